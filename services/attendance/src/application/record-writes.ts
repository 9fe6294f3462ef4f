/**
 * The one way a record is written inside a unit of work: every create and change appends its
 * record_changes row (R10) and, on a CLOSED roll, queues R12's notice. R7's advance notices apply to every
 * ABSENT write: an APPROVED notice makes it EXCUSED through the justification, a PENDING one is linked.
 */
import type { DayEndDeadline } from '../domain/business-days.ts';
import { noticeFor, type ChangeSource, type RecordStatus } from '../domain/marks.ts';
import { absenceRecorded, recordChanged } from './events.ts';
import type { PeopleResult } from './people.ts';
import type { CoveringItem, RecordRow, Repositories, RollRow } from './ports.ts';

export interface WriteContext {
  tx: Repositories;
  roll: RollRow;
  /** null = the system (auto-close). */
  actor: { sub: string; role: string } | null;
  at: Date;
  reason: string | null;
  people: PeopleResult;
  /** Active justification items of the session (R7, R10). */
  items: CoveringItem[];
  /** R23's deadline of the session, for the absence notice (gathered before the transaction). */
  deadline?: DayEndDeadline;
}

export interface Fields {
  status: RecordStatus;
  lateMinutes: number | null;
  notes: string | null;
  method: RecordRow['method'];
  checkInAt?: Date | null;
  justificationId?: string | null;
}

/** R7: an ABSENT write for a session an advance notice covers. */
function coverAbsence(ctx: WriteContext, studentId: string, fields: Fields): { fields: Fields; link: CoveringItem[]; applied: boolean } {
  if (fields.status !== 'ABSENT') return { fields, link: [], applied: false };
  const notices = ctx.items.filter((i) => i.studentId === studentId && i.kind === 'ADVANCE_NOTICE');
  const approved = notices.find((i) => i.status === 'APPROVED');
  if (approved) return { fields: { ...fields, status: 'EXCUSED', method: 'JUSTIFICATION', justificationId: approved.justificationId, lateMinutes: null }, link: [approved], applied: true };
  return { fields, link: notices.filter((i) => i.status === 'PENDING'), applied: false };
}

async function notice(ctx: WriteContext, record: RecordRow, change: { id: string; from: RecordStatus | null; to: RecordStatus }) {
  const kind = noticeFor(ctx.roll.status, change.from, change.to);
  if (kind === 'absence_recorded') await ctx.tx.outbox.enqueue(absenceRecorded(record, ctx.roll, change.id, ctx.people, ctx.deadline));
  if (kind === 'record_changed') await ctx.tx.outbox.enqueue(recordChanged(record, ctx.roll, { ...change, by: ctx.actor?.sub ?? null, reason: ctx.reason }, ctx.people));
}

/**
 * What follows every write of a record (`before` null for a new one): the justification items it now
 * covers are linked, one change row is appended (R10), and on a CLOSED roll R12's notice is queued.
 */
async function written(ctx: WriteContext, before: RecordRow | null, record: RecordRow, covered: { link: CoveringItem[]; applied: boolean }, source: ChangeSource) {
  await ctx.tx.justifications.linkRecord(covered.link.map((i) => i.itemId), record.id, covered.applied ? ctx.at : null);
  const change = await ctx.tx.records.insertChange({
    recordId: record.id,
    at: ctx.at,
    actorId: ctx.actor?.sub ?? null,
    actorRole: ctx.actor?.role ?? null,
    source,
    fromStatus: before?.status ?? null,
    toStatus: record.status,
    fromLateMinutes: before?.lateMinutes ?? null,
    toLateMinutes: record.lateMinutes,
    notesChanged: (before?.notes ?? null) !== record.notes,
    reason: ctx.reason,
  });
  await notice(ctx, record, { id: change.id, from: before?.status ?? null, to: record.status });
}

export async function createRecord(ctx: WriteContext, studentId: string, input: Fields, source: ChangeSource): Promise<RecordRow> {
  const { fields, ...covered } = coverAbsence(ctx, studentId, input);
  const by = ctx.actor?.sub ?? null;
  const record = await ctx.tx.records.insert({
    rollId: ctx.roll.id,
    studentId,
    scheduleId: ctx.roll.scheduleId,
    sessionDate: ctx.roll.sessionDate,
    groupId: ctx.roll.groupId,
    instructorId: ctx.roll.instructorId,
    status: fields.status,
    checkInAt: fields.checkInAt ?? null,
    lateMinutes: fields.lateMinutes,
    method: fields.method,
    notes: fields.notes,
    justificationId: fields.justificationId ?? null,
    createdBy: by,
    updatedBy: by,
    createdAt: ctx.at,
    updatedAt: ctx.at,
  });
  await written(ctx, null, record, covered, source);
  return record;
}

export async function changeRecord(ctx: WriteContext, current: RecordRow, input: Fields, source: ChangeSource): Promise<RecordRow> {
  const { fields, ...covered } = coverAbsence(ctx, current.studentId, input);
  const by = ctx.actor?.sub ?? null;
  const record = await ctx.tx.records.update(current.id, {
    status: fields.status,
    lateMinutes: fields.lateMinutes,
    notes: fields.notes,
    method: fields.method,
    ...(fields.checkInAt !== undefined ? { checkInAt: fields.checkInAt } : {}),
    ...(fields.justificationId !== undefined ? { justificationId: fields.justificationId } : {}),
    version: current.version + 1,
    updatedBy: by,
    updatedAt: ctx.at,
  });
  await written(ctx, current, record, covered, source);
  return record;
}

/** R10: the lock a justification puts on a record, as the coded reason, or undefined. */
export function lockOf(record: RecordRow, items: CoveringItem[]): 'RECORD_JUSTIFIED' | 'RECORD_HAS_PENDING_JUSTIFICATION' | undefined {
  if (record.status === 'JUSTIFIED' || (record.status === 'EXCUSED' && record.justificationId !== null)) return 'RECORD_JUSTIFIED';
  const pending = items.some((i) => i.status === 'PENDING' && i.studentId === record.studentId && (i.recordId === record.id || i.recordId === null));
  return pending ? 'RECORD_HAS_PENDING_JUSTIFICATION' : undefined;
}
