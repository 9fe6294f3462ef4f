/**
 * Justifications (J1–J9, R22–R28). Remote reads (W3 per session, K3 for business days, U12 for names)
 * come first; each write is one short unit of work that calls no other service (01-architecture §4), so a
 * refusal at any step — a field, a file, a session, a deadline — writes nothing.
 *
 * Scope: an aprendiz reaches only their own justifications (O1); an instructor only those with at least
 * one session they taught as effective instructor (O4: other instructors of the ficha never see medical
 * evidence); coordination everything. Outside it a path id is 404.
 */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { errors } from '@sicora/platform/errors';
import {
  advanceNoticeRefusal,
  earliestDeadline,
  justificationDeadline,
  justificationKind,
  nonTeachingYearsFor,
  resubmissionDeadline,
  type DayEndDeadline,
} from '../domain/business-days.ts';
import { attendanceErrors, qrErrors } from '../domain/errors.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import { addDays, daysBetween, localToInstant } from '../domain/time.ts';
import type { EvidenceMeta, JustificationItemRow, JustificationRow, JustificationSortField } from '../infrastructure/justifications.repo.ts';
import type { Access } from './access.ts';
import { isCoordination, today, type Actor, type Deps } from './context.ts';
import { checkFiles, justificationErrors, type UploadedFile } from './justifications.evidence.ts';
import { justificationReviewed, justificationSubmitted, justificationView } from './justifications.views.ts';
import { lookupPeople } from './people.ts';
import type { RecordRow, Session } from './ports.ts';

export const JUSTIFICATION_TYPES = ['MEDICAL', 'FAMILY', 'PERSONAL', 'WORK', 'INSTITUTIONAL', 'OTHER'] as const;
export const JUSTIFICATION_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
const MAX_SESSIONS = 10;
const MAX_PERIOD_DAYS = 366;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export interface SubmitInput {
  /** The multipart text parts, as sent. */
  fields: Record<string, string>;
  files: UploadedFile[];
}

export interface ListQuery {
  status?: string;
  kind?: JustificationRow['kind'];
  type?: JustificationRow['type'];
  student_id?: string;
  group_id?: string;
  overdue?: boolean;
  start_date?: string;
  end_date?: string;
}

export interface ReviewInput {
  decision: 'APPROVED' | 'REJECTED';
  comment?: string;
}

const invalid = (field: string, reason: string, message: string) => errors.validation([{ field, reason, message }], message);

/** J1's text parts: `sessions` (JSON, 1–10 distinct), `type`, `reason` (10–1000 trimmed); others → 422. */
function parseSubmission(fields: Record<string, string>) {
  for (const name of Object.keys(fields)) if (!['sessions', 'type', 'reason'].includes(name)) throw invalid(name, 'unknown_part', `Parte no admitida: ${name}`);
  let raw: unknown;
  try {
    raw = JSON.parse(fields.sessions ?? '');
  } catch {
    throw invalid('sessions', 'invalid_json', 'sessions debe ser un arreglo JSON de {schedule_id, session_date}');
  }
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_SESSIONS) throw invalid('sessions', 'size', `Indique entre 1 y ${MAX_SESSIONS} clases`);
  const sessions = raw.map((s: unknown, i) => {
    const o = s as Record<string, unknown> | null;
    const ok = o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).every((k) => k === 'schedule_id' || k === 'session_date');
    if (!ok || typeof o.schedule_id !== 'string' || !UUID.test(o.schedule_id) || typeof o.session_date !== 'string' || !DATE.test(o.session_date) || Number.isNaN(Date.parse(o.session_date))) {
      throw invalid(`sessions[${i}]`, 'invalid', 'Cada clase lleva schedule_id (uuid) y session_date (AAAA-MM-DD)');
    }
    return { scheduleId: o.schedule_id.toLowerCase(), sessionDate: o.session_date };
  });
  if (new Set(sessions.map((s) => `${s.scheduleId}|${s.sessionDate}`)).size !== sessions.length) throw invalid('sessions', 'duplicate', 'Una clase aparece más de una vez');
  const type = fields.type;
  if (!(JUSTIFICATION_TYPES as readonly string[]).includes(type)) throw invalid('type', 'enum', `type debe ser uno de ${JUSTIFICATION_TYPES.join(', ')}`);
  const reason = (fields.reason ?? '').trim();
  if (reason.length < 10 || reason.length > 1000 || reason.includes('\u0000')) throw invalid('reason', 'length', 'El motivo debe tener entre 10 y 1000 caracteres');
  return { sessions, type: type as JustificationRow['type'], reason };
}

export function createJustificationsService(
  deps: Deps,
  access: Access,
  settings: { current(): Promise<AttendanceSettings> },
  hooks: { studentChanged?: (studentId: string) => void } = {},
) {
  const { repos } = deps;

  async function overdueBefore() {
    const s = await settings.current();
    return new Date(deps.now().getTime() - s.justification_overdue_days * 86_400_000);
  }

  /** K3's centre-wide non-teaching days for these dates' years and the next (R23); 503 when unreachable. */
  async function nonTeachingDays(dates: string[]): Promise<Set<string>> {
    const years = [...new Set(dates.flatMap((d) => nonTeachingYearsFor(d)))];
    const days = new Set<string>();
    for (const y of years) for (const d of await deps.schedules.nonTeachingDays(y)) days.add(d);
    return days;
  }

  /** O1/O4 for a justification, else 404. */
  async function visible(actor: Actor, id: string, notFound = justificationErrors.notFound) {
    const j = await repos.justifications.get(id);
    if (!j) throw notFound();
    const items = await repos.justifications.itemsOf([j.id]);
    if (actor.role === 'aprendiz' && j.studentId !== actor.sub) throw notFound();
    if (actor.role === 'instructor' && !items.some((i) => i.instructorId === actor.sub)) throw notFound();
    if (!['aprendiz', 'instructor'].includes(actor.role) && !isCoordination(actor)) throw notFound();
    return { j, items };
  }

  /** The owner's PENDING justification (J4, J6, J7); others' → 404, decided → 409. */
  async function ownPending(actor: Actor, id: string, notFound = justificationErrors.notFound) {
    const found = await visible(actor, id, notFound);
    if (found.j.studentId !== actor.sub) throw notFound();
    if (found.j.status !== 'PENDING') throw justificationErrors.notPending();
    return found;
  }

  async function views(rows: JustificationRow[], itemsIn?: JustificationItemRow[]) {
    const ids = rows.map((r) => r.id);
    const [items, files] = await Promise.all([itemsIn ? Promise.resolve(itemsIn) : repos.justifications.itemsOf(ids), repos.justifications.filesOf(ids)]);
    const recordIds = items.map((i) => i.recordId).filter((v): v is string => v !== null);
    const records = new Map<string, RecordRow>();
    for (const id of [...new Set(recordIds)]) {
      const r = await repos.records.get(id);
      if (r) records.set(id, r);
    }
    const people = await lookupPeople(deps.users, [...rows.flatMap((r) => [r.studentId, r.reviewedBy]), ...items.map((i) => i.instructorId)]);
    const before = await overdueBefore();
    return { items: rows.map((j) => justificationView(j, { items, files, records, people, overdueBefore: before })), warnings: people.warnings };
  }

  async function one(j: JustificationRow) {
    const res = await views([j]);
    return { data: res.items[0], warnings: res.warnings };
  }

  /** R22–R23 for J1's sessions: kind, scope, absences, deadlines, coverage and the resubmission limit. */
  async function checkSessions(actor: Actor, keys: Array<{ scheduleId: string; sessionDate: string }>, s: AttendanceSettings) {
    const sessions: Session[] = [];
    for (const k of keys) {
      const session = await access.session(k.scheduleId, k.sessionDate);
      if (!actor.groupId || session.group.id !== actor.groupId) throw qrErrors.notForStudent();
      sessions.push(session);
    }
    const now = deps.now();
    const kind = justificationKind(sessions.map((x) => ({ startAt: new Date(x.start_at) })), now);
    if (!kind.ok) throw justificationErrors.mixedKinds();
    const records = await repos.records.forStudentSessions(actor.sub, keys);
    const recordOf = (x: Session) => records.find((r) => r.scheduleId === x.schedule_id && r.sessionDate === x.date);
    const history = await repos.justifications.history(actor.sub, keys);
    let deadline: DayEndDeadline | null = null;
    if (kind.kind === 'ADVANCE_NOTICE') {
      for (const x of sessions) if (advanceNoticeRefusal(x.date, now, s.advance_notice_max_days, deps.timeZone)) throw justificationErrors.tooFar();
    } else {
      for (const x of sessions) if (recordOf(x)?.status !== 'ABSENT') throw justificationErrors.notAbsent();
      const days = await nonTeachingDays(keys.map((k) => k.sessionDate));
      const deadlines = sessions.map((x) => {
        const own = justificationDeadline({ sessionDate: x.date, businessDays: s.justification_deadline_business_days, nonTeachingDays: days, timeZone: deps.timeZone });
        const rejectedAt = history.get(`${x.schedule_id}|${x.date}`)?.lastRejectedAt;
        // R23: after a rejection, the later of the session's deadline and 2 business days after it.
        return rejectedAt ? resubmissionDeadline({ itemDeadline: own, rejectedAt, nonTeachingDays: days, timeZone: deps.timeZone }) : own;
      });
      if (deadlines.some((d) => now.getTime() >= d.closesAt.getTime())) throw justificationErrors.deadlinePassed();
      deadline = earliestDeadline(deadlines);
    }
    if ((await repos.justifications.activeItemsFor(actor.sub, keys)).length > 0) throw justificationErrors.alreadyCovered();
    if (keys.some((k) => (history.get(`${k.scheduleId}|${k.sessionDate}`)?.count ?? 0) >= 2)) throw justificationErrors.resubmissionLimit();
    return { sessions, kind: kind.kind, deadline, recordOf };
  }

  return {
    /** J1 (R22–R24): everything checked first; the justification, items, files and event in one transaction. */
    async submit(actor: Actor, input: SubmitInput) {
      const { sessions: keys, type, reason } = parseSubmission(input.fields);
      const files = checkFiles(input.files);
      const s = await settings.current();
      const { sessions, kind, deadline, recordOf } = await checkSessions(actor, keys, s);
      const people = await lookupPeople(deps.users, [actor.sub]);
      const at = deps.now();
      const created = await deps.withTransaction(async (tx) => {
        const j = await tx.justifications.insert({ studentId: actor.sub, groupId: actor.groupId!, kind, type, reason, status: 'PENDING', submittedAt: at, deadlineAt: deadline?.shownAt ?? null, createdAt: at, updatedAt: at });
        const items = await onUniqueViolation(
          () =>
            tx.justifications.insertItems(
              sessions.map((x) => {
                const record = recordOf(x);
                return { justificationId: j.id, studentId: actor.sub, scheduleId: x.schedule_id, sessionDate: x.date, subject: x.subject.slice(0, 200), startTime: x.start_time, endTime: x.end_time, instructorId: x.instructor.id, recordId: record?.status === 'ABSENT' ? record.id : null };
              }),
            ),
          // A concurrent J1 covered one of the sessions first.
          'SESSION_ALREADY_COVERED',
        );
        await tx.justifications.insertFiles(files.map((f) => ({ justificationId: j.id, fileName: f.fileName, mediaType: f.mediaType, sizeBytes: f.sizeBytes, sha256: f.sha256, content: f.content, uploadedAt: at })));
        await tx.outbox.enqueue(justificationSubmitted(j, items, people));
        return { j, items };
      });
      hooks.studentChanged?.(actor.sub);
      const res = await views([created.j], created.items);
      return { data: res.items[0], warnings: res.warnings, row: created.j };
    },

    /** J2: scoped by O1/O4; a student or ficha named outside the scope → 403. */
    async list(actor: Actor, q: ListQuery, sort: Array<{ field: JustificationSortField; direction: 'asc' | 'desc' }>, page: { limit: number; offset: number }) {
      const to = q.end_date ?? (q.start_date ? addDays(q.start_date, 29) : today(deps));
      const from = q.start_date ?? addDays(to, -29);
      if (from > to) throw attendanceErrors.field('end_date', 'before_start', 'end_date no puede ser anterior a start_date');
      if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) throw attendanceErrors.rangeTooLong(MAX_PERIOD_DAYS);
      let studentId = q.student_id;
      let reviewerId: string | undefined;
      if (actor.role === 'aprendiz') {
        if (q.student_id && q.student_id !== actor.sub) throw attendanceErrors.outOfScope('student_id');
        if (q.group_id && q.group_id !== actor.groupId) throw attendanceErrors.outOfScope('group_id');
        studentId = actor.sub;
      } else if (actor.role === 'instructor') {
        const reach = (await access.reach(actor))!;
        if (q.student_id && !(await access.studentInReach(q.student_id, reach))) throw attendanceErrors.outOfScope('student_id');
        if (q.group_id && !reach.groupIds.includes(q.group_id) && !(await repos.records.taughtBy(actor.sub, { groupId: q.group_id }))) throw attendanceErrors.outOfScope('group_id');
        reviewerId = actor.sub;
      }
      const statuses = q.status ? (q.status.split(',') as JustificationRow['status'][]) : undefined;
      const { rows, total } = await repos.justifications.list(
        {
          studentId,
          groupId: q.group_id,
          statuses,
          kind: q.kind,
          type: q.type,
          from: localToInstant(from, '00:00', deps.timeZone),
          to: localToInstant(addDays(to, 1), '00:00', deps.timeZone),
          overdue: q.overdue,
          overdueBefore: await overdueBefore(),
          reviewerId,
        },
        sort,
        page.limit,
        page.offset,
      );
      const res = await views(rows);
      return { items: res.items, total, warnings: res.warnings };
    },

    /** J3 */
    async get(actor: Actor, id: string) {
      const { j } = await visible(actor, id);
      return { ...(await one(j)), row: j };
    },

    /** J4 (R25): type and reason while PENDING, by the owner. */
    async edit(actor: Actor, id: string, patch: { type?: JustificationRow['type']; reason?: string }) {
      await ownPending(actor, id);
      const reason = patch.reason?.trim();
      if (reason !== undefined && (reason.length < 10 || reason.length > 1000)) throw invalid('reason', 'length', 'El motivo debe tener entre 10 y 1000 caracteres');
      const j = await deps.withTransaction(async (tx) => {
        const locked = (await tx.justifications.getForUpdate(id))!;
        if (locked.status !== 'PENDING') throw justificationErrors.notPending();
        return tx.justifications.update(id, { ...(patch.type ? { type: patch.type } : {}), ...(reason !== undefined ? { reason } : {}), updatedAt: deps.now() });
      });
      return { ...(await one(j)), row: j };
    },

    /** J5 (R25): the owner or an admin withdraws a PENDING justification (hard delete). */
    async withdraw(actor: Actor, id: string) {
      const { j } = await visible(actor, id);
      if (actor.role !== 'admin' && j.studentId !== actor.sub) throw justificationErrors.notFound();
      await deps.withTransaction(async (tx) => {
        const locked = await tx.justifications.getForUpdate(id);
        if (!locked) throw justificationErrors.notFound();
        if (locked.status !== 'PENDING') throw justificationErrors.notPending();
        await tx.justifications.remove(id);
      });
      hooks.studentChanged?.(j.studentId);
    },

    /** J6 (R24, R25): more files up to 3 in all, none repeating a stored one. */
    async addFiles(actor: Actor, id: string, uploaded: UploadedFile[]) {
      await ownPending(actor, id);
      const stored = await repos.justifications.filesOf([id]);
      const files = checkFiles(uploaded, { count: stored.length, hashes: stored.map((f) => f.sha256) });
      const at = deps.now();
      const j = await deps.withTransaction(async (tx) => {
        const locked = (await tx.justifications.getForUpdate(id))!;
        if (locked.status !== 'PENDING') throw justificationErrors.notPending();
        // Re-read under the lock: two concurrent J6 calls must not pass 3 files together.
        const now = await tx.justifications.filesOf([id]);
        checkFiles(uploaded, { count: now.length, hashes: now.map((f) => f.sha256) });
        await tx.justifications.insertFiles(files.map((f) => ({ justificationId: id, fileName: f.fileName, mediaType: f.mediaType, sizeBytes: f.sizeBytes, sha256: f.sha256, content: f.content, uploadedAt: at })));
        return tx.justifications.update(id, { updatedAt: at });
      });
      return { ...(await one(j)), row: j };
    },

    /** J7 (R25): remove a file while another remains. */
    async removeFile(actor: Actor, id: string, fileId: string) {
      const { j } = await visible(actor, id, justificationErrors.evidenceNotFound);
      if (j.studentId !== actor.sub) throw justificationErrors.evidenceNotFound();
      await deps.withTransaction(async (tx) => {
        const locked = (await tx.justifications.getForUpdate(id))!;
        const files: EvidenceMeta[] = await tx.justifications.filesOf([id]);
        if (!files.some((f) => f.id === fileId)) throw justificationErrors.evidenceNotFound();
        if (locked.status !== 'PENDING') throw justificationErrors.notPending();
        if (files.length <= 1) throw justificationErrors.lastFile();
        await tx.justifications.removeFile(fileId);
        await tx.justifications.update(id, { updatedAt: deps.now() });
      });
    },

    /** J8 (R28): the bytes, to the owner, O4 reviewers and coordination; anyone else and purged files → 404. */
    async download(actor: Actor, id: string, fileId: string) {
      await visible(actor, id, justificationErrors.evidenceNotFound);
      const file = await repos.justifications.fileContent(id, fileId);
      if (!file || !file.content || file.purgedAt) throw justificationErrors.evidenceNotFound();
      return { fileName: file.fileName, mediaType: file.mediaType, content: file.content };
    },

    /** J9 (R26): one decision while PENDING; an approval turns the covered ABSENT records in one transaction. */
    async review(actor: Actor, id: string, input: ReviewInput) {
      const found = await visible(actor, id);
      if (found.j.status !== 'PENDING') throw justificationErrors.notPending();
      const comment = input.comment?.trim() || null;
      if (input.decision === 'REJECTED' && (!comment || comment.length < 10 || comment.length > 1000)) throw justificationErrors.commentRequired();
      if (comment && comment.length > 1000) throw invalid('comment', 'length', 'El comentario admite hasta 1000 caracteres');
      const people = await lookupPeople(deps.users, [found.j.studentId, actor.sub]);
      // R23's resubmission window for the rejection notice; a K3 outage only leaves it out.
      let resubmitUntil: string | null = null;
      if (input.decision === 'REJECTED' && found.j.kind === 'AFTER_ABSENCE') {
        try {
          const s = await settings.current();
          const days = await nonTeachingDays(found.items.map((i) => i.sessionDate));
          const windows = found.items.map((i) =>
            resubmissionDeadline({ itemDeadline: justificationDeadline({ sessionDate: i.sessionDate, businessDays: s.justification_deadline_business_days, nonTeachingDays: days, timeZone: deps.timeZone }), rejectedAt: deps.now(), nonTeachingDays: days, timeZone: deps.timeZone }),
          );
          resubmitUntil = earliestDeadline(windows)?.date ?? null;
        } catch {
          resubmitUntil = null;
        }
      }
      const at = deps.now();
      const result = await deps.withTransaction(async (tx) => {
        const locked = (await tx.justifications.getForUpdate(id))!;
        if (locked.status !== 'PENDING') throw justificationErrors.notPending();
        const items = await tx.justifications.itemsOf([id]);
        let updated = 0;
        if (input.decision === 'APPROVED') {
          const records = await tx.records.forStudentSessions(locked.studentId, items.map((i) => ({ scheduleId: i.scheduleId, sessionDate: i.sessionDate })));
          for (const item of items) {
            const record = records.find((r) => r.scheduleId === item.scheduleId && r.sessionDate === item.sessionDate);
            // Not ABSENT (the student came after all) stays unapplied; a notice without a record applies at close (R7).
            if (!record || record.status !== 'ABSENT') continue;
            const status = locked.kind === 'AFTER_ABSENCE' ? 'JUSTIFIED' : 'EXCUSED';
            await tx.records.update(record.id, { status, method: 'JUSTIFICATION', justificationId: id, lateMinutes: null, version: record.version + 1, updatedBy: actor.sub, updatedAt: at });
            await tx.records.insertChange({ recordId: record.id, at, actorId: actor.sub, actorRole: actor.role, source: 'JUSTIFICATION_APPROVED', fromStatus: record.status, toStatus: status, fromLateMinutes: record.lateMinutes, toLateMinutes: null, notesChanged: false, reason: null });
            await tx.justifications.updateItem(item.id, { recordId: record.id, appliedAt: at });
            updated += 1;
          }
        } else {
          await tx.justifications.deactivateItems(id);
        }
        const j = await tx.justifications.update(id, { status: input.decision, reviewedBy: actor.sub, reviewedAt: at, reviewComment: comment, updatedAt: at });
        await tx.outbox.enqueue(justificationReviewed(j, items, people, resubmitUntil));
        return { j, updated };
      });
      hooks.studentChanged?.(result.j.studentId);
      return { ...(await one(result.j)), row: result.j, recordsUpdated: result.updated };
    },
  };
}

export type JustificationsService = ReturnType<typeof createJustificationsService>;
