/**
 * Records (RC1–RC5, R5, R10–R12, O1–O3, O5): scoped lists and reads, edits with the audit trail and the
 * apprentice's notice, soft deletes with a reason, and the change history.
 */
import { attendanceErrors } from '../domain/errors.ts';
import { isUnchanged, markProblem, needsReason, validReason, type RecordStatus } from '../domain/marks.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import { addDays, daysBetween } from '../domain/time.ts';
import { markingWindow } from '../domain/window.ts';
import type { Access } from './access.ts';
import type { Deadlines } from './deadlines.ts';
import { isCoordination, today, type Actor, type Deps } from './context.ts';
import { lookupPeople } from './people.ts';
import type { RecordFilter, RecordRow, RecordSortField, RollRow } from './ports.ts';
import { createRecordsExport } from './records.export.ts';
import { changeRecord, lockOf, type WriteContext } from './record-writes.ts';
import { changeView, recordView } from './views.ts';

export interface RecordListQuery {
  student_id?: string;
  apprentice_id?: string;
  group_id?: string;
  schedule_id?: string;
  instructor_id?: string;
  status?: string;
  method?: string;
  flagged?: boolean;
  start_date?: string;
  end_date?: string;
}

export interface RecordPatch {
  status?: RecordStatus;
  late_minutes?: number | null;
  notes?: string | null;
  reason?: string;
  expected_version?: number;
}

const MAX_PERIOD_DAYS = 366;
const STATUSES = ['PRESENT', 'LATE', 'ABSENT', 'JUSTIFIED', 'EXCUSED'];

export function createRecordsService(deps: Deps, access: Access, settings: { current(): Promise<AttendanceSettings> }, deadlines: Deadlines) {
  const { repos } = deps;
  const exporter = createRecordsExport(deps);

  /** R41: start ≤ end, at most 366 days, default the last 30 days ending today. */
  function period(q: { start_date?: string; end_date?: string }) {
    const to = q.end_date ?? (q.start_date ? addDays(q.start_date, 29) : today(deps));
    const from = q.start_date ?? addDays(to, -29);
    if (from > to) throw attendanceErrors.field('end_date', 'before_start', 'end_date no puede ser anterior a start_date');
    if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) throw attendanceErrors.rangeTooLong(MAX_PERIOD_DAYS);
    return { from, to };
  }

  /** A record the actor may read (O1, O2), with its roll; else 404. */
  async function visible(actor: Actor, id: string): Promise<{ record: RecordRow; roll: RollRow }> {
    const record = await repos.records.get(id);
    if (!record) throw attendanceErrors.recordNotFound();
    const roll = (await repos.rolls.get(record.rollId))!;
    if (actor.role === 'aprendiz' && record.studentId !== actor.sub) throw attendanceErrors.recordNotFound();
    if (actor.role === 'instructor' && !access.recordInReach(record, roll, await access.reach(actor))) throw attendanceErrors.recordNotFound();
    return { record, roll };
  }

  async function views(rows: Array<{ row: RecordRow; roll: { subject: string; startTime: string; endTime: string; groupNumber: string } }>) {
    const people = await lookupPeople(deps.users, rows.flatMap((r) => [r.row.studentId, r.row.instructorId]));
    const justifications = await repos.justifications.forRecords(rows.map((r) => r.row.id));
    const dates = await deadlines.forDates(rows.filter((r) => r.row.status === 'ABSENT').map((r) => r.row.sessionDate));
    return { items: rows.map((r) => recordView(r.row, r.roll, people, justifications.get(r.row.id), deadlines.offered(r.row, justifications.get(r.row.id), dates))), warnings: people.warnings };
  }

  /** RC1/RC6's filter with the caller's scope (O1, O2): apprentices their own, instructors their reach. */
  async function scoped(actor: Actor, q: RecordListQuery): Promise<RecordFilter> {
    const studentId = q.student_id ?? q.apprentice_id;
    const { from, to } = period(q);
    const status = q.status?.split(',').map((x) => x.trim().toUpperCase());
    if (status?.some((x) => !STATUSES.includes(x))) throw attendanceErrors.field('status', 'enum', `status admite: ${STATUSES.join(', ')}`);
    const filter: RecordFilter = { student_id: studentId, group_id: q.group_id, schedule_id: q.schedule_id, instructor_id: q.instructor_id, status, method: q.method, flagged: q.flagged, from, to };
    if (actor.role === 'aprendiz') {
      if (studentId && studentId !== actor.sub) throw attendanceErrors.outOfScope('student_id');
      if (q.group_id && q.group_id !== actor.groupId) throw attendanceErrors.outOfScope('group_id');
      filter.student_id = actor.sub;
    }
    if (actor.role === 'instructor') {
      const reach = (await access.reach(actor))!;
      if (q.group_id && !reach.groupIds.includes(q.group_id) && !(await repos.records.taughtBy(actor.sub, { groupId: q.group_id }))) throw attendanceErrors.outOfScope('group_id');
      if (studentId && !(await access.studentInReach(studentId, reach))) throw attendanceErrors.outOfScope('student_id');
      if (q.instructor_id && q.instructor_id !== actor.sub && !q.group_id && !studentId) throw attendanceErrors.outOfScope('instructor_id');
      if (!q.group_id && !studentId && !q.instructor_id) filter.instructor_id = actor.sub;
      // A named student or ficha in reach shows all of their records; otherwise stay within the reach.
      if (!q.group_id && !studentId) filter.reach = reach;
    }
    return filter;
  }

  async function oneView(record: RecordRow, roll: RollRow) {
    const { items, warnings } = await views([{ row: record, roll }]);
    return { data: items[0], warnings };
  }

  return {
    /** RC1: aprendiz → own records only; instructor → O2 (own sessions without filters); others → all. */
    async list(actor: Actor, q: RecordListQuery, sort: Array<{ field: RecordSortField; direction: 'asc' | 'desc' }>, page: { limit: number; offset: number }) {
      const filter = await scoped(actor, q);
      const { rows, total } = await repos.records.list(filter, sort, page.limit, page.offset);
      const out = await views(rows);
      return { ...out, total };
    },

    /** RC6: the same filters and scope as RC1, as CSV (§6.2). */
    async export(actor: Actor, q: RecordListQuery) {
      return exporter.build(await scoped(actor, q));
    },

    /** RC2 */
    async get(actor: Actor, id: string) {
      const { record, roll } = await visible(actor, id);
      return oneView(record, roll);
    },

    /** RC3 (R5, R9, R10, R12) */
    async update(actor: Actor, id: string, patch: RecordPatch) {
      const { record, roll } = await visible(actor, id);
      await access.requireSessionInstructor(actor, roll.scheduleId, roll.sessionDate);
      const s = await settings.current();
      const w = markingWindow(deps.now(), roll, s, deps.timeZone, isCoordination(actor));
      if (w === 'NOT_STARTED') throw attendanceErrors.sessionNotStarted();
      if (w === 'CLOSED') throw attendanceErrors.editWindowClosed();
      const status = patch.status ?? record.status;
      const mark = { status, late_minutes: patch.late_minutes !== undefined ? patch.late_minutes : status === 'LATE' ? record.lateMinutes : null, notes: patch.notes !== undefined ? patch.notes : record.notes };
      if (patch.status === 'JUSTIFIED') throw attendanceErrors.statusNotSettable();
      const problem = markProblem(mark);
      if (problem) throw attendanceErrors.field(problem.message.includes('late_minutes') ? 'late_minutes' : 'notes', 'invalid', problem.message);
      const reason = patch.reason?.trim() || null;
      const correction = needsReason(roll);
      if (correction && !validReason(reason)) throw attendanceErrors.reasonRequired();
      const people = await lookupPeople(deps.users, [actor.sub, record.studentId, roll.instructorId]);
      const deadline = (await deadlines.forDates([roll.sessionDate])).get(roll.sessionDate);
      const updated = await deps.withTransaction(async (tx) => {
        const current = await tx.records.getForUpdate(id);
        if (!current) throw attendanceErrors.recordNotFound();
        if (patch.expected_version !== undefined && patch.expected_version !== current.version) {
          throw attendanceErrors.versionConflict(recordView(current, roll, people, undefined));
        }
        const items = await tx.justifications.activeForSession(roll.scheduleId, roll.sessionDate);
        const lock = lockOf(current, items);
        if (lock === 'RECORD_JUSTIFIED') throw attendanceErrors.recordJustified();
        if (lock) throw attendanceErrors.pendingJustification();
        const next = { status: mark.status, lateMinutes: mark.status === 'LATE' ? (mark.late_minutes ?? null) : null, notes: mark.notes?.trim() || null };
        if (isUnchanged(current, next)) return current;
        const lockedRoll = (await tx.rolls.getForUpdate(roll.id))!;
        const ctx: WriteContext = { tx, roll: lockedRoll, actor, at: deps.now(), reason: correction ? reason : null, people, items, deadline };
        // `method` is the source of the current status: a note-only edit keeps it, a status set by hand is MANUAL.
        const sameStatus = next.status === current.status && next.lateMinutes === current.lateMinutes;
        return changeRecord(ctx, current, { ...next, method: sameStatus ? current.method : 'MANUAL' }, correction ? 'CORRECTION' : 'MANUAL');
      });
      return oneView(updated, roll);
    },

    /** RC4 (R11): soft delete with its DELETE change row; the roll and other records untouched. */
    async remove(actor: Actor, id: string, reason: string) {
      const { roll } = await visible(actor, id);
      if (!validReason(reason)) throw attendanceErrors.field('reason', 'length', 'El motivo debe tener de 5 a 300 caracteres');
      await deps.withTransaction(async (tx) => {
        const current = await tx.records.getForUpdate(id);
        if (!current) throw attendanceErrors.recordNotFound();
        const lock = lockOf(current, await tx.justifications.activeForSession(roll.scheduleId, roll.sessionDate));
        if (lock === 'RECORD_JUSTIFIED') throw attendanceErrors.recordJustified();
        if (lock) throw attendanceErrors.pendingJustification();
        const at = deps.now();
        await tx.records.update(id, { deletedAt: at, deletedBy: actor.sub, deleteReason: reason.trim(), updatedAt: at, updatedBy: actor.sub });
        await tx.records.insertChange({ recordId: id, at, actorId: actor.sub, actorRole: actor.role, source: 'DELETE', fromStatus: current.status, toStatus: null, fromLateMinutes: current.lateMinutes, toLateMinutes: null, notesChanged: false, reason: reason.trim() });
      });
    },

    /** RC5: oldest first. */
    async changes(actor: Actor, id: string) {
      await visible(actor, id);
      const rows = await repos.records.changesOf(id);
      const people = await lookupPeople(deps.users, rows.map((r) => r.actorId));
      return { items: rows.map((r) => changeView(r, people)), warnings: people.warnings };
    },
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;
