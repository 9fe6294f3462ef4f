/**
 * Rolls (RL1–RL6, R1–R9, R12): open a session's roll, mark it all-or-nothing, close it (absentees
 * recorded and told) and reopen it. Remote reads (W3, G7, U12) come first; each write is one short unit of
 * work that calls no other service (01-architecture §4).
 */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { attendanceErrors, type MarkProblem } from '../domain/errors.ts';
import { isUnchanged, markedState, markProblem, needsReason, validReason, type MarkInput } from '../domain/marks.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import { addDays, daysBetween } from '../domain/time.ts';
import { markingWindow } from '../domain/window.ts';
import type { Access } from './access.ts';
import type { Deadlines } from './deadlines.ts';
import type { DayEndDeadline } from '../domain/business-days.ts';
import { absenceRecorded } from './events.ts';
import { isCoordination, today, type Actor, type Deps } from './context.ts';
import { lookupPeople, type PeopleResult } from './people.ts';
import type { Apprentice, RecordRow, Repositories, RollRow, Session } from './ports.ts';
import { changeRecord, createRecord, lockOf, type WriteContext } from './record-writes.ts';
import { countsView, recordView, rollFields, rollLinks, type Counts } from './views.ts';

export interface Mark extends MarkInput {
  student_id: string;
  expected_version?: number;
}

export interface MarksInput {
  marks?: Mark[];
  mark_rest?: 'PRESENT' | 'ABSENT';
  reason?: string;
}

export interface RollListQuery {
  date?: string;
  start_date?: string;
  end_date?: string;
  group_id?: string;
  instructor_id?: string;
  status?: 'OPEN' | 'CLOSED';
}

const MAX_LIST_DAYS = 31;

/** The roll of a session as opened now (R1: the session's fields are copied). */
export function rollValues(s: Session, actor: Actor, at: Date) {
  return {
    scheduleId: s.schedule_id,
    sessionDate: s.date,
    groupId: s.group.id,
    groupNumber: s.group.number,
    programId: s.group.program.id,
    campusId: s.venue.campus.id,
    venueId: s.venue.id,
    subject: s.subject.slice(0, 200),
    startTime: s.start_time,
    endTime: s.end_time,
    startAt: new Date(s.start_at),
    endAt: new Date(s.end_at),
    instructorId: s.instructor.id,
    status: 'OPEN' as const,
    openedBy: actor.sub,
    openedAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

function lastNameOrder(a: Apprentice, b: Apprentice) {
  return (a.last_name ?? '').localeCompare(b.last_name ?? '', 'es') || (a.first_name ?? '').localeCompare(b.first_name ?? '', 'es') || a.id.localeCompare(b.id);
}

export function createRollsService(deps: Deps, access: Access, settings: { current(): Promise<AttendanceSettings> }, deadlines: Deadlines) {
  const { repos } = deps;

  /** R2 for this actor on this roll's session. */
  function windowFor(actor: Actor, roll: Pick<RollRow, 'startAt' | 'sessionDate'>, s: AttendanceSettings) {
    return markingWindow(deps.now(), { startAt: roll.startAt, sessionDate: roll.sessionDate }, s, deps.timeZone, isCoordination(actor));
  }

  function requireWindow(actor: Actor, roll: Pick<RollRow, 'startAt' | 'sessionDate'>, s: AttendanceSettings) {
    const w = windowFor(actor, roll, s);
    if (w === 'NOT_STARTED') throw attendanceErrors.sessionNotStarted();
    if (w === 'CLOSED') throw attendanceErrors.editWindowClosed();
  }

  /** A roll the actor may read (O2), else 404 so its existence is not revealed. */
  async function visibleRoll(actor: Actor, id: string): Promise<RollRow> {
    const roll = await repos.rolls.get(id);
    if (!roll || !access.rollInReach(roll, await access.reach(actor))) throw attendanceErrors.rollNotFound();
    return roll;
  }

  /** RL2–RL6's shared preamble for writes: readable, O3, then R2. */
  async function writableRoll(actor: Actor, id: string) {
    const roll = await visibleRoll(actor, id);
    await access.requireSessionInstructor(actor, roll.scheduleId, roll.sessionDate);
    const s = await settings.current();
    requireWindow(actor, roll, s);
    return { roll, s };
  }

  /** RollView with roster[] (§4.6). */
  async function detail(actor: Actor, roll: RollRow, s: AttendanceSettings, rosterIn?: Apprentice[]) {
    const roster = [...(rosterIn ?? (await deps.schedules.apprentices(roll.groupId)))].sort(lastNameOrder);
    const records = await repos.records.byRoll(roll.id);
    const [items, shared, justifications] = await Promise.all([
      repos.justifications.activeForSession(roll.scheduleId, roll.sessionDate),
      repos.devices.sharedAttempts(roll.scheduleId, roll.sessionDate),
      repos.justifications.forRecords(records.map((r) => r.id)),
    ]);
    const people = await lookupPeople(deps.users, [roll.instructorId, ...roster.map((a) => a.id), ...records.map((r) => r.studentId)]);
    const dates = await deadlines.forDates([roll.sessionDate]);
    const byStudent = new Map(records.map((r) => [r.studentId, r]));
    const ctx = { subject: roll.subject, startTime: roll.startTime, endTime: roll.endTime, groupNumber: roll.groupNumber };
    // Apprentices who left the ficha keep their records and their row (R4).
    const rosterIds = new Set(roster.map((a) => a.id));
    const leavers = records.filter((r) => !rosterIds.has(r.studentId)).map((r) => ({ id: r.studentId, first_name: null, last_name: null, full_name: people.byId.get(r.studentId)?.full_name ?? null, document_number: people.byId.get(r.studentId)?.document_number ?? null }));
    const rows = [...roster, ...leavers].map((a) => {
      const record = byStudent.get(a.id);
      const notice = items.find((i) => i.studentId === a.id && i.kind === 'ADVANCE_NOTICE');
      const flags = record ? record.flags : shared.has(a.id) ? ['SHARED_DEVICE_ATTEMPT'] : [];
      return {
        student_id: a.id,
        full_name: a.full_name ?? people.byId.get(a.id)?.full_name ?? null,
        document_number: a.document_number ?? null,
        avatar_url: people.byId.get(a.id)?.avatar_url ?? null,
        record: record ? recordView(record, ctx, people, justifications.get(record.id), deadlines.offered(record, justifications.get(record.id), dates)) : null,
        status: (record?.status ?? 'UNMARKED') as RecordRow['status'] | 'UNMARKED',
        flags,
        advance_notice: notice ? { justification_id: notice.justificationId, status: notice.status } : null,
      };
    });
    const counts = (await repos.rolls.counts([roll.id])).get(roll.id);
    return {
      data: { ...summary(actor, roll, s, people, countsView(counts, roster.length)), roster: rows },
      warnings: people.warnings,
    };
  }

  function summary(actor: Actor, roll: RollRow, s: AttendanceSettings, people: PeopleResult, counts: Counts) {
    const mayWrite = isCoordination(actor) || roll.instructorId === actor.sub;
    return {
      ...rollFields(roll),
      instructor_name: people.byId.get(roll.instructorId)?.full_name ?? null,
      counts,
      can_mark: mayWrite && windowFor(actor, roll, s) === 'OPEN',
      links: rollLinks(roll.id),
    };
  }

  function period(q: RollListQuery) {
    if (q.date) return { from: q.date, to: q.date };
    const t = today(deps);
    const from = q.start_date ?? (q.end_date ? addDays(q.end_date, -(MAX_LIST_DAYS - 1)) : addDays(t, -(MAX_LIST_DAYS - 1)));
    const to = q.end_date ?? (q.start_date ? addDays(q.start_date, MAX_LIST_DAYS - 1) : t);
    if (from > to) throw attendanceErrors.field('end_date', 'before_start', 'end_date no puede ser anterior a start_date');
    if (daysBetween(from, to) + 1 > MAX_LIST_DAYS) throw attendanceErrors.field('end_date', 'too_long', `El rango no puede superar ${MAX_LIST_DAYS} días`);
    return { from, to };
  }

  return {
    /** RL1: an instructor without filters sees their own sessions; a ficha or instructor outside O2 → 403. */
    async list(actor: Actor, q: RollListQuery, sort: { field: 'session_date' | 'start_time'; direction: 'asc' | 'desc' }, page: { limit: number; offset: number }) {
      const { from, to } = period(q);
      const reach = await access.reach(actor);
      let instructorId = q.instructor_id;
      if (reach) {
        if (q.group_id && !reach.groupIds.includes(q.group_id) && !(await repos.records.taughtBy(actor.sub, { groupId: q.group_id }))) throw attendanceErrors.outOfScope('group_id');
        if (q.instructor_id && q.instructor_id !== actor.sub && !q.group_id) throw attendanceErrors.outOfScope('instructor_id');
        if (!q.group_id && !q.instructor_id) instructorId = actor.sub;
      }
      const { rows, total } = await repos.rolls.list({ from, to, group_id: q.group_id, instructor_id: instructorId, status: q.status, reach }, sort, page.limit, page.offset);
      const [counts, people, s] = await Promise.all([repos.rolls.counts(rows.map((r) => r.id)), lookupPeople(deps.users, rows.map((r) => r.instructorId)), settings.current()]);
      // The roster size needs G7 per ficha; lists leave it (and `unmarked`) to RL3.
      const items = rows.map((r) => {
        return summary(actor, r, s, people, countsView(counts.get(r.id), null));
      });
      return { items, total, warnings: people.warnings };
    },

    /** RL2 (R1–R3): the session's roll, opened once; an existing one is answered with 200. */
    async open(actor: Actor, scheduleId: string, sessionDate: string) {
      const session = await access.session(scheduleId, sessionDate);
      if (actor.role === 'instructor' && session.instructor.id !== actor.sub) throw attendanceErrors.notSessionInstructor();
      const s = await settings.current();
      requireWindow(actor, { startAt: new Date(session.start_at), sessionDate }, s);
      const roster = await deps.schedules.apprentices(session.group.id);
      const existing = await repos.rolls.bySession(scheduleId, sessionDate);
      if (existing) return { created: false, ...(await detail(actor, existing, s, roster)) };
      let roll: RollRow;
      let created = true;
      try {
        roll = await onUniqueViolation(() => repos.rolls.insert(rollValues(session, actor, deps.now())), 'ROLL_EXISTS');
      } catch (err) {
        // A concurrent RL2 opened it first (R3): answer that roll.
        const raced = await repos.rolls.bySession(scheduleId, sessionDate);
        if (!raced) throw err;
        roll = raced;
        created = false;
      }
      return { created, ...(await detail(actor, roll, s, roster)) };
    },

    /** RL3 */
    async get(actor: Actor, id: string) {
      const roll = await visibleRoll(actor, id);
      return detail(actor, roll, await settings.current());
    },

    /** RL4 (R4–R7, R9, R10, R12): every mark validated first; any failure writes nothing. */
    async mark(actor: Actor, id: string, input: MarksInput) {
      const marks = input.marks ?? [];
      if (marks.length === 0 && !input.mark_rest) throw attendanceErrors.field('marks', 'required', 'Envíe al menos una marca o mark_rest');
      const { roll, s } = await writableRoll(actor, id);
      const roster = await deps.schedules.apprentices(roll.groupId);
      const people = await lookupPeople(deps.users, [actor.sub, roll.instructorId, ...marks.map((m) => m.student_id)]);
      const deadline = (await deadlines.forDates([roll.sessionDate])).get(roll.sessionDate);
      const result = await deps.withTransaction(async (tx) => {
        const locked = (await tx.rolls.getForUpdate(roll.id))!;
        const reason = input.reason?.trim() || null;
        const records = await tx.records.byRoll(locked.id);
        const items = await tx.justifications.activeForSession(locked.scheduleId, locked.sessionDate);
        const byStudent = new Map(records.map((r) => [r.studentId, r]));
        const inRoster = new Set(roster.map((a) => a.id));
        const problems: MarkProblem[] = [];
        const seen = new Set<string>();
        marks.forEach((m, index) => {
          const fail = (code: string, message: string) => problems.push({ index, student_id: m.student_id, code, message });
          const current = byStudent.get(m.student_id);
          if (seen.has(m.student_id)) return fail('DUPLICATE_STUDENT', 'El aprendiz aparece más de una vez');
          seen.add(m.student_id);
          if (!inRoster.has(m.student_id)) return fail('STUDENT_NOT_IN_GROUP', 'El aprendiz no pertenece a la ficha');
          const p = markProblem(m);
          if (p) return fail(p.code, p.message);
          if (current && m.expected_version !== undefined && m.expected_version !== current.version) return fail('VERSION_CONFLICT', `El registro está en la versión ${current.version}`);
          const lock = current ? lockOf(current, items) : undefined;
          if (lock && !isUnchanged(current!, markedState(current, m))) fail(lock, lock === 'RECORD_JUSTIFIED' ? 'El registro está justificado' : 'El registro tiene una justificación pendiente');
          return undefined;
        });
        if (problems.length > 0) throw attendanceErrors.marksInvalid(problems);
        const correction = needsReason(locked);
        const changes = marks.filter((m) => {
          const cur = byStudent.get(m.student_id);
          return !cur || !isUnchanged(cur, markedState(cur, m));
        });
        const rest = input.mark_rest ? roster.filter((a) => !byStudent.has(a.id) && !seen.has(a.id)) : [];
        if (correction && (changes.length > 0 || rest.length > 0) && !validReason(reason)) throw attendanceErrors.reasonRequired();
        const at = deps.now();
        const ctx: WriteContext = { tx, roll: locked, actor, at, reason: correction ? reason : null, people, items, deadline };
        const source = correction ? 'CORRECTION' : 'MANUAL';
        let created = 0;
        let updated = 0;
        for (const m of changes) {
          const cur = byStudent.get(m.student_id);
          const next = { ...markedState(cur, m), method: 'MANUAL' as const, checkInAt: null };
          if (cur) {
            await changeRecord(ctx, cur, next, source);
            updated += 1;
          } else {
            await createRecord(ctx, m.student_id, next, source);
            created += 1;
          }
        }
        for (const a of rest) {
          await createRecord(ctx, a.id, { status: input.mark_rest!, lateMinutes: null, notes: null, method: 'MANUAL' }, source);
          created += 1;
        }
        if (created > 0 && !locked.firstMarkAt) await tx.rolls.update(locked.id, { firstMarkAt: at, updatedAt: at });
        else if (created + updated > 0) await tx.rolls.update(locked.id, { updatedAt: at });
        return { created, updated, unchanged: marks.length - changes.length };
      });
      const fresh = (await repos.rolls.get(roll.id))!;
      const view = await detail(actor, fresh, s, roster);
      return { data: { ...view.data, result }, warnings: view.warnings };
    },

    /** RL5 (R7, R12): absentees recorded; idempotent on a CLOSED roll. */
    async close(actor: Actor, id: string, confirmAllAbsent: boolean) {
      const { roll, s } = await writableRoll(actor, id);
      const roster = await deps.schedules.apprentices(roll.groupId);
      const people = await lookupPeople(deps.users, [roll.instructorId, ...roster.map((a) => a.id)]);
      const deadline = (await deadlines.forDates([roll.sessionDate])).get(roll.sessionDate);
      const result = await closeRoll(deps, roll.id, roster, people, { actor, method: 'MANUAL', confirmAllAbsent, deadline });
      const fresh = (await repos.rolls.get(roll.id))!;
      const view = await detail(actor, fresh, s, roster);
      return { data: { ...view.data, result }, warnings: view.warnings };
    },

    /** RL6 (R9): OPEN again; idempotent on an OPEN roll; never auto-closed again. */
    async reopen(actor: Actor, id: string) {
      const { roll, s } = await writableRoll(actor, id);
      const at = deps.now();
      await deps.withTransaction(async (tx) => {
        const locked = (await tx.rolls.getForUpdate(roll.id))!;
        if (locked.status === 'OPEN') return;
        await tx.rolls.update(locked.id, { status: 'OPEN', closedAt: null, closedBy: null, closeMethod: null, updatedAt: at });
      });
      const fresh = (await repos.rolls.get(roll.id))!;
      const people = await lookupPeople(deps.users, [fresh.instructorId]);
      const counts = (await repos.rolls.counts([fresh.id])).get(fresh.id);
      return { data: summary(actor, fresh, s, people, countsView(counts, null)), warnings: people.warnings };
    },
  };
}

/**
 * R7 (and R8 with method AUTO): every roster apprentice without a record gets ABSENT (or EXCUSED by an
 * approved advance notice); the roll is CLOSED; one absence notice per record ABSENT at close, keyed by
 * the change that set it, so a re-close notifies only new absences.
 */
export async function closeRoll(
  deps: Pick<Deps, 'withTransaction' | 'now'>,
  rollId: string,
  roster: Apprentice[],
  people: PeopleResult,
  opts: { actor: Actor | null; method: 'MANUAL' | 'AUTO'; confirmAllAbsent: boolean; deadline?: DayEndDeadline },
): Promise<{ absent_marked: number; excused_marked: number }> {
  return deps.withTransaction(async (tx: Repositories) => {
    const roll = (await tx.rolls.getForUpdate(rollId))!;
    // R9: a reopened roll is never auto-closed again, also when it was reopened after the job read it.
    if (roll.status === 'CLOSED' || (opts.method === 'AUTO' && roll.wasClosed)) return { absent_marked: 0, excused_marked: 0 };
    const records = await tx.records.byRoll(roll.id);
    if (records.length === 0 && !opts.confirmAllAbsent) throw attendanceErrors.emptyRoll();
    const at = deps.now();
    const items = await tx.justifications.activeForSession(roll.scheduleId, roll.sessionDate);
    const ctx: WriteContext = { tx, roll, actor: opts.actor, at, reason: null, people, items, deadline: opts.deadline };
    const have = new Set(records.map((r) => r.studentId));
    const written: RecordRow[] = [];
    for (const a of roster) {
      if (have.has(a.id)) continue;
      written.push(await createRecord(ctx, a.id, { status: 'ABSENT', lateMinutes: null, notes: null, method: 'ROLL_CLOSE' }, 'ROLL_CLOSE'));
    }
    const closed = await tx.rolls.update(roll.id, {
      status: 'CLOSED',
      closedAt: at,
      closedBy: opts.method === 'AUTO' ? null : (opts.actor?.sub ?? null),
      closeMethod: opts.method,
      wasClosed: true,
      firstMarkAt: roll.firstMarkAt ?? (written.length > 0 ? at : null),
      updatedAt: at,
    });
    const absent = [...records, ...written].filter((r) => r.status === 'ABSENT');
    const keys = await tx.records.lastAbsentChanges(absent.map((r) => r.id));
    await tx.outbox.enqueue(absent.flatMap((r) => (keys.has(r.id) ? [absenceRecorded(r, closed, keys.get(r.id)!.id, people, opts.deadline)] : [])));
    return { absent_marked: written.filter((r) => r.status === 'ABSENT').length, excused_marked: written.filter((r) => r.status === 'EXCUSED').length };
  });
}

export type RollsService = ReturnType<typeof createRollsService>;
