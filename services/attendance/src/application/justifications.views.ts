/**
 * JustificationView (§4.6) and the two justification events of §7. Views never carry file content;
 * events never carry evidence or the reason (R28, R48).
 */
import type { NotificationInput } from '@sicora/platform/notify';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { displayDate } from '../domain/time.ts';
import { eventData } from '../domain/event-data.ts';
import type { EvidenceMeta, JustificationItemRow, JustificationRow } from '../infrastructure/justifications.repo.ts';
import { firstNameOf, nameOf, type PeopleResult } from './people.ts';
import type { RecordRow } from './ports.ts';

export const TYPE_LABELS: Record<JustificationRow['type'], string> = {
  MEDICAL: 'Médica',
  FAMILY: 'Calamidad familiar',
  PERSONAL: 'Personal',
  WORK: 'Laboral',
  INSTITUTIONAL: 'Institucional',
  OTHER: 'Otra',
};

export const KIND_LABELS: Record<JustificationRow['kind'], string> = {
  AFTER_ABSENCE: 'Justificación de inasistencia',
  ADVANCE_NOTICE: 'Aviso previo de inasistencia',
};

const BASE = '/api/v1/attendance/justifications';

export interface ViewContext {
  items: JustificationItemRow[];
  files: EvidenceMeta[];
  records: Map<string, RecordRow>;
  people: PeopleResult;
  /** R27: PENDING and submitted before this instant. */
  overdueBefore: Date;
}

export function justificationView(j: JustificationRow, ctx: ViewContext) {
  const student = ctx.people.byId.get(j.studentId);
  return {
    id: j.id,
    student_id: j.studentId,
    group_id: j.groupId,
    kind: j.kind,
    type: j.type,
    reason: j.reason,
    status: j.status,
    submitted_at: toIso(j.submittedAt),
    deadline_at: toIsoOrNull(j.deadlineAt),
    reviewed_by: j.reviewedBy,
    reviewed_at: toIsoOrNull(j.reviewedAt),
    review_comment: j.reviewComment,
    overdue_notified_at: toIsoOrNull(j.overdueNotifiedAt),
    created_at: toIso(j.createdAt),
    updated_at: toIso(j.updatedAt),
    student_name: student?.full_name ?? null,
    group_number: student?.group_number ?? null,
    reviewer_name: nameOf(ctx.people, j.reviewedBy),
    overdue: j.status === 'PENDING' && j.submittedAt < ctx.overdueBefore,
    items: ctx.items
      .filter((i) => i.justificationId === j.id)
      .map((i) => ({
        schedule_id: i.scheduleId,
        session_date: i.sessionDate,
        subject: i.subject,
        start_time: i.startTime,
        end_time: i.endTime,
        instructor_id: i.instructorId,
        instructor_name: nameOf(ctx.people, i.instructorId),
        record_id: i.recordId,
        record_status: i.recordId ? (ctx.records.get(i.recordId)?.status ?? null) : null,
        applied: i.appliedAt !== null,
      })),
    files: ctx.files
      .filter((f) => f.justificationId === j.id)
      .map((f) => ({
        id: f.id,
        file_name: f.fileName,
        media_type: f.mediaType,
        size_bytes: f.sizeBytes,
        sha256: f.sha256,
        uploaded_at: toIso(f.uploadedAt),
        purged: f.purgedAt !== null,
        download_url: `${BASE}/${j.id}/files/${f.id}`,
      })),
  };
}

export type JustificationView = ReturnType<typeof justificationView>;

export function justificationLinks(j: JustificationRow) {
  return {
    self: { href: `${BASE}/${j.id}`, method: 'GET' },
    files: { href: `${BASE}/${j.id}/files`, method: 'POST' },
    ...(j.status === 'PENDING' ? { review: { href: `${BASE}/${j.id}/review`, method: 'POST' } } : {}),
  };
}

/** J1 → the O4 reviewers (the effective instructors of its sessions). */
export function justificationSubmitted(j: JustificationRow, items: JustificationItemRow[], people: PeopleResult): NotificationInput {
  const dates = items.map((i) => i.sessionDate).sort();
  const student = people.byId.get(j.studentId);
  return {
    type: 'attendance.justification_submitted',
    key: [j.id, 1],
    target_users: [...new Set(items.map((i) => i.instructorId))],
    priority: 'normal',
    action_url: `/asistencia/justificaciones/${j.id}`,
    entity_type: 'justification',
    entity_id: j.id,
    data: eventData('attendance.justification_submitted', {
      student_name: student?.full_name ?? null,
      group_number: student?.group_number ?? null,
      kind_label: KIND_LABELS[j.kind],
      type_label: TYPE_LABELS[j.type],
      sessions_count: items.length,
      first_session_date: displayDate(dates[0]),
      last_session_date: displayDate(dates[dates.length - 1]),
      justification_id: j.id,
      review_url: `/asistencia/justificaciones/${j.id}`,
    }),
  };
}

/** J9 → the student. `resubmitUntil` (a local date) only for a rejection. */
export function justificationReviewed(j: JustificationRow, items: JustificationItemRow[], people: PeopleResult, resubmitUntil: string | null): NotificationInput {
  return {
    type: 'attendance.justification_reviewed',
    key: [j.id, 1],
    target_users: [j.studentId],
    priority: 'normal',
    action_url: `/asistencia/justificaciones/${j.id}`,
    entity_type: 'justification',
    entity_id: j.id,
    data: eventData('attendance.justification_reviewed', {
      first_name: firstNameOf(people, j.studentId),
      decision_label: j.status === 'APPROVED' ? 'Aprobada' : 'Rechazada',
      review_comment: j.reviewComment,
      reviewer_name: nameOf(people, j.reviewedBy),
      sessions: items.map((i) => ({ session_date: displayDate(i.sessionDate), subject: i.subject })),
      resubmit_until: j.status === 'REJECTED' && resubmitUntil ? displayDate(resubmitUntil) : null,
    }),
  };
}
