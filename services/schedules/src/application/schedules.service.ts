/** Weekly entries (S1–S7): create, read, change with history (R15), cancel (R16), delete (R17), conflict dry run. */
import { errors } from '@sicora/platform/errors';
import type { SortSpec } from '@sicora/platform/pagination';
import { addDays, displayDate, firstWeekdayOnOrAfter } from '../domain/calendar.ts';
import { checkDates, validateEntry, type EntryInput } from '../domain/candidate.ts';
import { earliestChangeDate, effectiveEndDate, hasHistory, latestStartedOccurrence, phaseOf } from '../domain/entry.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { blocksFor, dayName, resolveSlot } from '../domain/shifts.ts';
import type { Access } from './access.ts';
import { ConflictsFound, conflictsFor, namingConflicts, withNames } from './conflict-check.ts';
import { callAs, localNow, type Actor, type Deps } from './context.ts';
import { entryDates, scheduleView } from './entries.view.ts';
import { notify } from './events.ts';
import { invalidInstructors, type NameResolver } from './names.ts';
import type { EntryFilter, EntrySortField, JoinedEntry } from './ports.ts';
import { exceptionView } from './views.ts';

export interface CreateEntryInput extends EntryInput {
  group_id: string;
  instructor_id: string;
  venue_id: string;
  subject: string;
  notes?: string | null;
}

export type UpdateEntryInput = Partial<Omit<CreateEntryInput, 'group_id'>> & { group_id?: string; effective_from?: string };

export const scheduleNotFound = () => scheduleErrors.notFound('SCHEDULE_NOT_FOUND', 'Horario no encontrado');

export function createSchedulesService(deps: Deps, access: Access, names: NameResolver) {
  const { entries, exceptions, groups: groupsRepo, venues: venuesRepo } = deps.repos;

  async function views(rows: JoinedEntry[], actor: Actor) {
    const res = await names.resolve(rows.map((r) => r.e.instructorId), callAs(actor));
    const now = localNow(deps);
    return { items: rows.map((r) => scheduleView(r, res.names, now)), warnings: res.warnings, names: res.names };
  }

  async function loadJoined(id: string) {
    const [row] = await entries.find({ ids: [id] });
    if (!row) throw scheduleNotFound();
    return row;
  }

  async function refs(groupId: string, venueId: string, checkGroupActive = true) {
    const g = await groupsRepo.get(groupId);
    if (!g) throw scheduleErrors.referenceNotFound('group_id', groupId);
    if (checkGroupActive && !g.row.isActive) throw scheduleErrors.referenceInactive('group_id', groupId);
    const v = await venuesRepo.get(venueId);
    if (!v) throw scheduleErrors.referenceNotFound('venue_id', venueId);
    if (!v.v.isActive) throw scheduleErrors.referenceInactive('venue_id', venueId);
    return g;
  }

  async function checkInstructor(id: string, actor: Actor) {
    if ((await invalidInstructors(deps.users, [id], callAs(actor))).size) throw scheduleErrors.invalidInstructor(id);
  }

  async function prepare(input: CreateEntryInput) {
    const g = await refs(input.group_id, input.venue_id);
    const slot = validateEntry(g.row, input);
    return { group: g, candidate: { group_id: input.group_id, instructor_id: input.instructor_id, venue_id: input.venue_id, ...slot } };
  }

  async function readOne(id: string, actor: Actor) {
    const { items, warnings } = await views([await loadJoined(id)], actor);
    return { view: items[0], warnings };
  }

  function publishedData(groupNumber: string, programName: string, items: Array<{ subject: string; day_of_week: number; start_time: string; end_time: string; blocks: string[]; venue_code: string; campus_name: string; start_date: string; end_date: string; instructor_name: string | null }>) {
    return {
      group_number: groupNumber,
      program_name: programName,
      count: items.length,
      entries: items.map((i) => ({ ...i, day_of_week: undefined, day_name: dayName(i.day_of_week), start_date: displayDate(i.start_date), end_date: displayDate(i.end_date) })),
    };
  }

  return {
    views,
    async list(actor: Actor, f: EntryFilter & { group_id?: string; phase?: string; active_on?: string }, sort: SortSpec<EntrySortField>, page: { limit: number; offset: number }) {
      access.assertInstructorFilter(actor, f.instructor_id);
      const scope = await access.scope(actor);
      if (f.group_id && scope !== null && !scope.includes(f.group_id)) throw errors.forbidden('No tiene acceso a esta ficha');
      const filter: EntryFilter = { ...f };
      if (f.group_id) filter.group_ids = [f.group_id];
      else if (scope !== null) filter.group_ids = scope;
      if (f.active_on) {
        filter.from = f.active_on;
        filter.to = f.active_on;
      }
      let rows: JoinedEntry[];
      let total: number;
      if (f.phase) {
        // phase is computed from "today" (Bogotá), so it filters after loading.
        const today = localNow(deps).date;
        const all = (await entries.find(filter, sort)).filter((r) => phaseOf(entryDates(r.e), today) === f.phase);
        total = all.length;
        rows = all.slice(page.offset, page.offset + page.limit);
      } else {
        ({ rows, total } = await entries.findPage(filter, sort, page.limit, page.offset));
      }
      const v = await views(rows, actor);
      return { items: v.items, total, warnings: v.warnings };
    },
    async get(id: string, actor: Actor) {
      const j = await loadJoined(id);
      await access.assertGroup(actor, j.e.groupId);
      const { items, warnings } = await views([j], actor);
      const changes = (await exceptions.ofEntries([id])).map(exceptionView);
      return { view: { ...items[0], exceptions: changes }, warnings };
    },
    async checkConflicts(input: CreateEntryInput & { exclude_schedule_id?: string }, actor: Actor) {
      const { candidate } = await prepare(input);
      const conflicts = await conflictsFor(deps.repos, { ...candidate, id: input.exclude_schedule_id });
      const res = await names.resolve(conflicts.map((c) => c.instructor_id), callAs(actor));
      return { has_conflicts: conflicts.length > 0, conflicts: withNames(conflicts, res.names) };
    },
    async create(input: CreateEntryInput, actor: Actor) {
      const { group, candidate } = await prepare(input);
      await checkInstructor(input.instructor_id, actor);
      const nameRes = await names.resolve([input.instructor_id], callAs(actor));
      const now = deps.now();
      const venue = (await venuesRepo.get(input.venue_id))!;
      const resolveNames = async (ids: string[]) => (await names.resolve(ids, callAs(actor))).names;
      const id = await namingConflicts(() => deps.withTransaction(async (tx) => {
        await tx.entries.lockForConflictCheck();
        const conflicts = await conflictsFor(tx, candidate);
        if (conflicts.length) throw new ConflictsFound(conflicts);
        const newId = await tx.entries.insert({ ...candidate, subject: input.subject.trim(), notes: input.notes ?? null }, actor.sub);
        await notify(tx, {
          type: 'schedule.published',
          entityId: newId,
          stamp: now,
          users: [input.instructor_id],
          groups: [input.group_id],
          data: publishedData(group.row.number, group.program.name, [{ subject: input.subject, day_of_week: candidate.day_of_week, start_time: candidate.start_time, end_time: candidate.end_time, blocks: blocksFor(group.row.shift, candidate.day_of_week, candidate.start_time, candidate.end_time), venue_code: venue.v.code, campus_name: venue.campus.name, start_date: candidate.start_date, end_date: candidate.end_date, instructor_name: nameRes.names.get(input.instructor_id) ?? null }]),
        });
        return newId;
      }), resolveNames);
      return (await readOne(id, actor)).view;
    },
    async update(id: string, input: UpdateEntryInput, actor: Actor) {
      const j = await loadJoined(id);
      const e = j.e;
      if (input.group_id !== undefined && input.group_id !== e.groupId) throw scheduleErrors.immutable('group_id');
      const structural = ['instructor_id', 'venue_id', 'day_of_week', 'start_time', 'end_time', 'blocks', 'start_date', 'end_date'] as const;
      if (e.status === 'CANCELLED' && structural.some((k) => input[k] !== undefined)) throw scheduleErrors.alreadyCancelled();
      const nowLocal = localNow(deps);
      const dates = entryDates(e);
      const group = (await groupsRepo.get(e.groupId))!;
      const venueId = input.venue_id ?? e.venueId;
      if (input.venue_id !== undefined && input.venue_id !== e.venueId) await refs(e.groupId, venueId, false);
      const slotGiven = input.day_of_week !== undefined || input.start_time !== undefined || input.end_time !== undefined || input.blocks !== undefined;
      const slot = slotGiven
        ? resolveSlot({
            shift: group.row.shift,
            blocks: input.blocks,
            day_of_week: input.day_of_week ?? (input.blocks ? undefined : e.dayOfWeek),
            start_time: input.start_time ?? (input.blocks ? undefined : e.startTime.slice(0, 5)),
            end_time: input.end_time ?? (input.blocks ? undefined : e.endTime.slice(0, 5)),
          })
        : { day_of_week: e.dayOfWeek, start_time: e.startTime.slice(0, 5), end_time: e.endTime.slice(0, 5) };
      const next = {
        instructor_id: input.instructor_id ?? e.instructorId,
        venue_id: venueId,
        ...slot,
        start_date: input.start_date ?? e.startDate,
        end_date: input.end_date ?? e.endDate,
      };
      const slotChanged = next.instructor_id !== e.instructorId || next.venue_id !== e.venueId || next.day_of_week !== e.dayOfWeek || next.start_time !== dates.start_time || next.end_time !== e.endTime.slice(0, 5);
      const datesChanged = next.start_date !== e.startDate || next.end_date !== e.endDate;
      const history = hasHistory(dates, nowLocal);
      let split: string | undefined;
      if (history) {
        if (next.start_date !== e.startDate) throw scheduleErrors.hasHistory('La fecha de inicio no puede cambiar: el horario ya tiene clases dictadas');
        const latest = latestStartedOccurrence(dates, nowLocal)!;
        if (next.end_date < latest) throw scheduleErrors.hasHistory('La fecha de fin no puede quedar antes de la última clase dictada');
        if (slotChanged) {
          if (!input.effective_from) throw scheduleErrors.hasHistory('El horario ya tiene clases dictadas: indique effective_from');
          if (input.effective_from < earliestChangeDate(dates, nowLocal)) throw scheduleErrors.dateInPast('effective_from');
          if (input.effective_from < e.startDate || input.effective_from > effectiveEndDate(dates)) {
            throw scheduleErrors.validation('effective_from', 'out_of_range', 'effective_from debe estar dentro del rango vigente del horario');
          }
          split = input.effective_from;
        }
      }
      const newRange = split ? { start_date: split, end_date: next.end_date } : { start_date: next.start_date, end_date: next.end_date };
      if (slotChanged || datesChanged) checkDates(group.row, newRange.start_date, newRange.end_date, next.day_of_week);
      if (next.instructor_id !== e.instructorId) await checkInstructor(next.instructor_id, actor);
      const resolved = await names.resolve([e.instructorId, next.instructor_id], callAs(actor));
      const now = deps.now();
      // Everything read outside the transaction: on PGlite a query beside an open transaction waits for it.
      const newVenue = next.venue_id === e.venueId ? j.venue.code : (await venuesRepo.get(next.venue_id))!.v.code;
      const resolveNames = async (ids: string[]) => (await names.resolve(ids, callAs(actor))).names;
      const createdId = await namingConflicts(() => deps.withTransaction(async (tx) => {
        await tx.entries.lockForConflictCheck();
        if (slotChanged || datesChanged) {
          const conflicts = await conflictsFor(tx, { id, group_id: e.groupId, ...next, ...newRange });
          if (conflicts.length) throw new ConflictsFound(conflicts);
        }
        let newId: string | undefined;
        if (split) {
          newId = await tx.entries.insert({ group_id: e.groupId, ...next, ...newRange, subject: (input.subject ?? e.subject).trim(), notes: input.notes !== undefined ? input.notes : e.notes }, actor.sub);
          await tx.entries.update(id, { endDate: addDays(split, -1), replacedById: newId, updatedBy: actor.sub, updatedAt: now });
          // Exceptions from the split date on belong to the new entry's dates; they no longer apply.
          await tx.exceptions.removeFrom(id, split);
        } else {
          await tx.entries.update(id, {
            instructorId: next.instructor_id,
            venueId: next.venue_id,
            dayOfWeek: next.day_of_week,
            startTime: next.start_time,
            endTime: next.end_time,
            startDate: next.start_date,
            endDate: next.end_date,
            subject: (input.subject ?? e.subject).trim(),
            notes: input.notes !== undefined ? input.notes : e.notes,
            updatedBy: actor.sub,
            updatedAt: now,
          });
        }
        if (slotChanged || datesChanged) {
          const side = (x: typeof next, venueCode: string, instructor: string) => ({ day_name: dayName(x.day_of_week), start_time: x.start_time, end_time: x.end_time, venue_code: venueCode, instructor_name: resolved.names.get(instructor) ?? null, start_date: displayDate(x.start_date), end_date: displayDate(x.end_date) });
          await notify(tx, {
            type: 'schedule.changed',
            entityId: id,
            stamp: now,
            users: [e.instructorId, next.instructor_id],
            groups: [e.groupId],
            data: {
              group_number: j.group.number,
              subject: input.subject ?? e.subject,
              before: side({ instructor_id: e.instructorId, venue_id: e.venueId, day_of_week: e.dayOfWeek, start_time: dates.start_time, end_time: e.endTime.slice(0, 5), start_date: e.startDate, end_date: e.endDate }, j.venue.code, e.instructorId),
              after: side({ ...next, ...newRange }, newVenue, next.instructor_id),
              effective_from: displayDate(split ?? newRange.start_date),
            },
          });
        }
        return newId;
      }), resolveNames);
      const updated = (await readOne(id, actor)).view;
      return createdId ? { updated, created: (await readOne(createdId, actor)).view } : { updated };
    },
    async cancel(id: string, input: { from_date?: string; reason: string }, actor: Actor) {
      const j = await loadJoined(id);
      const e = j.e;
      if (e.status === 'CANCELLED') throw scheduleErrors.alreadyCancelled();
      const dates = entryDates(e);
      const earliest = earliestChangeDate(dates, localNow(deps));
      const from = input.from_date ?? earliest;
      if (from < earliest) throw scheduleErrors.dateInPast('from_date');
      if (from > e.endDate) throw scheduleErrors.validation('from_date', 'after_end', 'from_date no puede ser posterior a la fecha de fin');
      const now = deps.now();
      await deps.withTransaction(async (tx) => {
        await tx.entries.update(id, { status: 'CANCELLED', cancelledFrom: from, cancelReason: input.reason, updatedBy: actor.sub, updatedAt: now });
        await tx.exceptions.removeFrom(id, from);
        const start = from > e.startDate ? from : e.startDate;
        if (firstWeekdayOnOrAfter(start, e.dayOfWeek, e.endDate) !== null) {
          await notify(tx, {
            type: 'schedule.cancelled',
            entityId: id,
            stamp: now,
            users: [e.instructorId],
            groups: [e.groupId],
            data: { group_number: j.group.number, subject: e.subject, day_name: dayName(e.dayOfWeek), start_time: dates.start_time, end_time: e.endTime.slice(0, 5), from_date: displayDate(from), reason: input.reason },
          });
        }
      });
      return (await readOne(id, actor)).view;
    },
    async remove(id: string) {
      const j = await loadJoined(id);
      const e = j.e;
      if (hasHistory(entryDates(e), localNow(deps))) throw scheduleErrors.hasHistory('El horario ya tiene clases dictadas; cancélelo en su lugar');
      const now = deps.now();
      await deps.withTransaction(async (tx) => {
        await tx.entries.remove(id);
        await notify(tx, {
          type: 'schedule.cancelled',
          entityId: id,
          stamp: now,
          users: [e.instructorId],
          groups: [e.groupId],
          data: { group_number: j.group.number, subject: e.subject, day_name: dayName(e.dayOfWeek), start_time: e.startTime.slice(0, 5), end_time: e.endTime.slice(0, 5), from_date: displayDate(e.startDate), reason: 'Horario eliminado' },
        });
      });
    },
    publishedData,
  };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
