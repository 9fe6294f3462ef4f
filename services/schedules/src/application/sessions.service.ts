/**
 * Sessions (R18–R20): weekly entries expanded into dated classes, with holidays, closures and session
 * exceptions applied; the views W1–W4 are windows and filters over this expansion.
 */
import { keysetBatches } from '@sicora/platform/csv-export';
import { errors } from '@sicora/platform/errors';
import { addDays, daysBetween, isoWeekday, localToInstant, mondayOf, toLocal, weekdayDates } from '../domain/calendar.ts';
import { effectiveEndDate, isOccurrence } from '../domain/entry.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { blocksFor, dayName } from '../domain/shifts.ts';
import type { Access } from './access.ts';
import { callAs, localNow, type Actor, type Deps } from './context.ts';
import { entryDates } from './entries.view.ts';
import type { NameResolver } from './names.ts';
import type { CampusRef, EntryFilter, JoinedEntry, NonTeachingDayRow, SessionKey } from './ports.ts';
import { scheduleNotFound } from './schedules.service.ts';

export interface SessionFilter {
  group_ids?: string[];
  instructor_id?: string;
  venue_id?: string;
  campus_id?: string;
  program_id?: string;
  schedule_ids?: string[];
  include_cancelled?: boolean;
}

type VenueRef = { id: string; code: string; name: string; campus: CampusRef };

export interface Session {
  schedule_id: string;
  date: string;
  day_of_week: number;
  day_name: ReturnType<typeof dayName>;
  start_time: string;
  end_time: string;
  start_at: string;
  end_at: string;
  blocks: string[];
  shift: JoinedEntry['group']['shift'];
  subject: string;
  status: 'SCHEDULED' | 'CANCELLED';
  cancel_reason: string | null;
  group: { id: string; number: string; program: { id: string; code: string; name: string } };
  instructor: { id: string; full_name: string | null };
  scheduled_instructor_id: string;
  venue: VenueRef;
  is_changed: boolean;
  in_progress: boolean;
}

/** A batch's last session is where the next keyset read resumes. */
type SessionCursor = Pick<Session, 'date' | 'start_time' | 'schedule_id'> & { group: { number: string } };

/** Sessions are written in this order (W2, W5): date, start time, ficha number; ties keep the entry order. */
function bySessionOrder(a: { date: string; start_time: string; group: { number: string } }, b: { date: string; start_time: string; group: { number: string } }) {
  return a.date.localeCompare(b.date) || a.start_time.localeCompare(b.start_time) || a.group.number.localeCompare(b.group.number);
}

export function createSessionsService(deps: Deps, access: Access, names: NameResolver) {
  const { entries, exceptions: exceptionsRepo, nonTeachingDays: days, venues: venuesRepo, groups: groupsRepo } = deps.repos;

  /** The entry filter behind a session filter: instructor and venue also match through exceptions. */
  function entryFilter(f: SessionFilter, from: string, to: string): EntryFilter {
    const ef: EntryFilter = { from, to, group_ids: f.group_ids, ids: f.schedule_ids, program_id: f.program_id };
    if (f.instructor_id) Object.assign(ef, { instructor_id: f.instructor_id, or_exception_instructor: f.instructor_id });
    if (f.venue_id) Object.assign(ef, { venue_id: f.venue_id, or_exception_venue: f.venue_id });
    return ef;
  }

  /**
   * The sessions of `rows` in [from, to] (R18): holidays and exceptions applied, the filters on effective
   * instructor, venue and campus, in session order. Names are left null (see `withNames`).
   */
  async function materialize(rows: JoinedEntry[], from: string, to: string, f: SessionFilter, closed: NonTeachingDayRow[]) {
    const exceptions = await exceptionsRepo.ofEntries(rows.map((r) => r.e.id), from, to);
    const exBy = new Map(exceptions.map((x) => [`${x.scheduleId}|${x.date}`, x]));
    const venueIds = [...new Set(exceptions.map((x) => x.venueId).filter((v): v is string => v !== null))];
    const extraVenues = new Map<string, VenueRef>();
    if (venueIds.length > 0) {
      for (const { v, campus } of (await venuesRepo.list({ ids: venueIds }, { field: 'code', direction: 'asc' })).rows) extraVenues.set(v.id, { id: v.id, code: v.code, name: v.name, campus });
    }
    const nowInstant = deps.now();
    function build(j: JoinedEntry, date: string) {
      const e = j.e;
      const x = exBy.get(`${e.id}|${date}`);
      const changed = x?.kind === 'CHANGED';
      const venue: VenueRef = changed && x.venueId ? extraVenues.get(x.venueId)! : { id: j.venue.id, code: j.venue.code, name: j.venue.name, campus: j.venueCampus };
      const instructorId = changed && x.instructorId ? x.instructorId : e.instructorId;
      const holiday = closed.find((d) => d.date === date && (d.campusId === null || d.campusId === venue.campus.id));
      let status: 'SCHEDULED' | 'CANCELLED' = 'SCHEDULED';
      let reason: string | null = null;
      if (holiday) {
        status = 'CANCELLED';
        reason = `HOLIDAY: ${holiday.name}`;
      } else if (x?.kind === 'CANCELLED') {
        status = 'CANCELLED';
        reason = `EXCEPTION: ${x.reason}`;
      }
      const start = e.startTime.slice(0, 5);
      const end = e.endTime.slice(0, 5);
      const startAt = localToInstant(date, start, deps.timeZone);
      const endAt = localToInstant(date, end, deps.timeZone);
      return {
        schedule_id: e.id,
        date,
        day_of_week: e.dayOfWeek,
        day_name: dayName(e.dayOfWeek),
        start_time: start,
        end_time: end,
        start_at: startAt.toISOString(),
        end_at: endAt.toISOString(),
        blocks: blocksFor(j.group.shift, e.dayOfWeek, start, end),
        shift: j.group.shift,
        subject: e.subject,
        status,
        cancel_reason: reason,
        group: { id: j.group.id, number: j.group.number, program: j.program },
        instructor: { id: instructorId, full_name: null as string | null },
        scheduled_instructor_id: e.instructorId,
        venue,
        is_changed: changed,
        in_progress: nowInstant >= startAt && nowInstant < endAt,
      };
    }
    const out: Session[] = [];
    for (const j of rows) {
      const end = effectiveEndDate(entryDates(j.e));
      const lo = j.e.startDate > from ? j.e.startDate : from;
      const hi = end < to ? end : to;
      if (lo > hi) continue;
      for (const date of weekdayDates(lo, hi, j.e.dayOfWeek)) {
        const s = build(j, date);
        if (f.instructor_id && s.instructor.id !== f.instructor_id) continue;
        if (f.venue_id && s.venue.id !== f.venue_id) continue;
        if (f.campus_id && s.venue.campus.id !== f.campus_id) continue;
        if (s.status === 'CANCELLED' && !f.include_cancelled) continue;
        out.push(s);
      }
    }
    return out.sort(bySessionOrder);
  }

  /** Fills in the instructors' names (R26); the warnings say when users could not answer. */
  async function withNames(sessions: Session[], actor: Actor) {
    const res = await names.resolve(sessions.map((s) => s.instructor.id), callAs(actor));
    for (const s of sessions) s.instructor.full_name = res.names.get(s.instructor.id) ?? null;
    return res.warnings;
  }

  /** Every session of a window (≤ 31 days for the views), in memory. */
  async function expand(from: string, to: string, f: SessionFilter, actor: Actor) {
    const rows = await entries.find(entryFilter(f, from, to));
    const closed = await days.between(from, to);
    const sessions = await materialize(rows, from, to, f, closed);
    const warnings = await withNames(sessions, actor);
    return { sessions, warnings, closed };
  }

  /**
   * The sessions of a window in `batchSize` batches, in session order, for exports: a keyset read over
   * (date, start time, ficha number, entry id), one date's entries at a time (`occurringOn`), so memory
   * holds one batch whatever the window. `names: false` skips the users lookups (counting).
   */
  function batches(from: string, to: string, f: SessionFilter, actor: Actor, o: { names: boolean; batchSize?: number }): AsyncIterable<Session[]> {
    const base = entryFilter(f, from, to);
    let closed: NonTeachingDayRow[] | undefined;
    const read = async (after: SessionCursor | undefined, limit: number): Promise<Session[]> => {
      closed ??= await days.between(from, to);
      const out: Session[] = [];
      let date = after?.date ?? from;
      let cursor: SessionKey | undefined = after && { start_time: after.start_time, group_number: after.group.number, id: after.schedule_id };
      while (date <= to && out.length < limit) {
        const want = limit - out.length;
        const rows = await entries.occurringOn(date, isoWeekday(date), base, cursor, want);
        if (rows.length > 0) {
          out.push(...(await materialize(rows, date, date, f, closed)));
          const last = rows[rows.length - 1];
          cursor = { start_time: last.e.startTime, group_number: last.group.number, id: last.e.id };
        }
        if (rows.length < want) {
          date = addDays(date, 1);
          cursor = undefined;
        }
      }
      if (o.names) await withNames(out, actor);
      return out;
    };
    return keysetBatches(read, (s) => s, o.batchSize);
  }

  function checkWindow(from: string, to: string, max: number) {
    if (to < from) throw scheduleErrors.datesOrder('to');
    if (daysBetween(from, to) + 1 > max) throw scheduleErrors.windowTooLong(max);
  }

  async function scoped(actor: Actor, f: SessionFilter & { group_id?: string }) {
    access.assertInstructorFilter(actor, f.instructor_id);
    const scope = await access.scope(actor);
    if (f.group_id && scope !== null && !scope.includes(f.group_id)) throw errors.forbidden('No tiene acceso a esta ficha');
    return { ...f, group_ids: f.group_id ? [f.group_id] : (scope ?? undefined) };
  }

  function currentWeek() {
    const monday = mondayOf(localNow(deps).date);
    return { from: monday, to: addDays(monday, 6) };
  }

  return {
    expand,
    batches,
    async me(actor: Actor, q: { from?: string; to?: string; include_cancelled?: boolean }) {
      const week = currentWeek();
      const from = q.from ?? (q.to ? addDays(q.to, -6) : week.from);
      const to = q.to ?? (q.from ? addDays(q.from, 6) : week.to);
      checkWindow(from, to, 31);
      let f: SessionFilter;
      if (actor.role === 'instructor') f = { instructor_id: actor.sub };
      else {
        if (!actor.groupId) throw errors.forbidden('El token no tiene ficha');
        f = { group_ids: [actor.groupId] };
      }
      return expand(from, to, { ...f, include_cancelled: q.include_cancelled }, actor);
    },
    async list(actor: Actor, q: SessionFilter & { group_id?: string; date?: string; from?: string; to?: string; at?: string; margin_before_minutes?: number; margin_after_minutes?: number }) {
      const f = await scoped(actor, q);
      if (q.at) {
        const at = new Date(q.at);
        const day = toLocal(at, deps.timeZone).date;
        const before = (q.margin_before_minutes ?? 0) * 60_000;
        const after = (q.margin_after_minutes ?? 0) * 60_000;
        const res = await expand(addDays(day, -1), addDays(day, 1), f, actor);
        res.sessions = res.sessions.filter((s) => Date.parse(s.start_at) - before <= at.getTime() && at.getTime() < Date.parse(s.end_at) + after);
        return res;
      }
      const from = q.date ?? q.from ?? localNow(deps).date;
      const to = q.date ?? q.to ?? from;
      checkWindow(from, to, 31);
      return expand(from, to, f, actor);
    },
    async one(actor: Actor, scheduleId: string, date: string) {
      const [j] = await entries.find({ ids: [scheduleId] });
      if (!j) throw scheduleNotFound();
      await access.assertGroup(actor, j.e.groupId);
      if (!isOccurrence(entryDates(j.e), date, isoWeekday(date))) throw errors.notFound('SESSION_NOT_FOUND', 'La fecha no corresponde a una clase de este horario');
      const res = await expand(date, date, { schedule_ids: [scheduleId], include_cancelled: true }, actor);
      return { session: res.sessions[0], warnings: res.warnings };
    },
    async timetable(actor: Actor, q: { group_id?: string; instructor_id?: string; venue_id?: string; week_of?: string }) {
      const given = [q.group_id, q.instructor_id, q.venue_id].filter((v) => v !== undefined);
      if (given.length !== 1) throw scheduleErrors.validation('group_id', 'exactly_one', 'Indique exactamente uno de group_id, instructor_id o venue_id');
      const f = await scoped(actor, q);
      const monday = mondayOf(q.week_of ?? localNow(deps).date);
      const sunday = addDays(monday, 6);
      const res = await expand(monday, sunday, { ...f, include_cancelled: true }, actor);
      let campusId: string | undefined;
      if (q.venue_id) campusId = (await venuesRepo.get(q.venue_id))?.v.campusId;
      if (q.group_id) campusId = (await groupsRepo.get(q.group_id))?.row.campusId;
      const daysOut = [0, 1, 2, 3, 4, 5, 6].map((i) => {
        const date = addDays(monday, i);
        const closure = res.closed.find((d) => d.date === date && (d.campusId === null || (campusId !== undefined && d.campusId === campusId)));
        return {
          date,
          day_of_week: i + 1,
          day_name: dayName(i + 1),
          non_teaching_day: closure ? { name: closure.name, campus_id: closure.campusId } : null,
          sessions: res.sessions.filter((s) => s.date === date),
        };
      });
      return { data: { week_start: monday, week_end: sunday, days: daysOut }, warnings: res.warnings };
    },
    checkWindow,
    scoped,
  };
}

export type SessionsService = ReturnType<typeof createSessionsService>;
