/** The API shapes of rows (§4.6): snake_case, ISO instants; use cases answer with these. */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { PeopleResult } from './people.ts';
import { nameOf } from './people.ts';
import type { RecordChangeRow, RecordRow, RollRow, StatusCounts } from './ports.ts';

export interface RollContext {
  subject: string;
  startTime: string;
  endTime: string;
  groupNumber: string;
}

export function rollFields(r: RollRow) {
  return {
    id: r.id,
    schedule_id: r.scheduleId,
    session_date: r.sessionDate,
    group_id: r.groupId,
    group_number: r.groupNumber,
    program_id: r.programId,
    campus_id: r.campusId,
    venue_id: r.venueId,
    subject: r.subject,
    start_time: r.startTime,
    end_time: r.endTime,
    start_at: toIso(r.startAt),
    end_at: toIso(r.endAt),
    instructor_id: r.instructorId,
    status: r.status,
    opened_by: r.openedBy,
    opened_at: toIso(r.openedAt),
    first_mark_at: toIsoOrNull(r.firstMarkAt),
    closed_by: r.closedBy,
    closed_at: toIsoOrNull(r.closedAt),
    close_method: r.closeMethod,
    was_closed: r.wasClosed,
    created_at: toIso(r.createdAt),
    updated_at: toIso(r.updatedAt),
  };
}

export interface Counts {
  roster: number | null;
  present: number;
  late: number;
  absent: number;
  justified: number;
  excused: number;
  unmarked: number | null;
}

/** Counts of a roll; without the roster (lists, C1) `roster` and `unmarked` are null. */
export function countsView(c: StatusCounts | undefined, roster: number | null): Counts {
  const x = c ?? { present: 0, late: 0, absent: 0, justified: 0, excused: 0, total: 0 };
  return { roster, present: x.present, late: x.late, absent: x.absent, justified: x.justified, excused: x.excused, unmarked: roster === null ? null : Math.max(0, roster - x.total) };
}

export function rollLinks(id: string) {
  const base = `/api/v1/attendance/rolls/${id}`;
  return {
    self: { href: base, method: 'GET' },
    marks: { href: `${base}/marks`, method: 'PUT' },
    close: { href: `${base}/close`, method: 'POST' },
    reopen: { href: `${base}/reopen`, method: 'POST' },
    scan: { href: '/api/v1/attendance/qr/scan', method: 'POST' },
  };
}

export function recordView(r: RecordRow, ctx: RollContext | undefined, people: PeopleResult, justification: { id: string; status: string } | undefined, justifyDeadline: Date | null = null) {
  return {
    id: r.id,
    roll_id: r.rollId,
    student_id: r.studentId,
    schedule_id: r.scheduleId,
    session_date: r.sessionDate,
    group_id: r.groupId,
    instructor_id: r.instructorId,
    status: r.status,
    check_in_at: toIsoOrNull(r.checkInAt),
    late_minutes: r.lateMinutes,
    method: r.method,
    qr_code_id: r.qrCodeId,
    flags: r.flags,
    notes: r.notes,
    justification_id: r.justificationId,
    version: r.version,
    created_by: r.createdBy,
    updated_by: r.updatedBy,
    created_at: toIso(r.createdAt),
    updated_at: toIso(r.updatedAt),
    student_name: nameOf(people, r.studentId),
    instructor_name: nameOf(people, r.instructorId),
    group_number: ctx?.groupNumber ?? null,
    subject: ctx?.subject ?? null,
    start_time: ctx?.startTime ?? null,
    end_time: ctx?.endTime ?? null,
    justification: justification ?? null,
    justify_deadline: toIsoOrNull(justifyDeadline),
  };
}

export type RecordView = ReturnType<typeof recordView>;

export function changeView(c: RecordChangeRow, people: PeopleResult) {
  return {
    id: c.id,
    at: toIso(c.at),
    actor_id: c.actorId,
    actor_name: nameOf(people, c.actorId),
    actor_role: c.actorRole,
    source: c.source,
    from_status: c.fromStatus,
    to_status: c.toStatus,
    from_late_minutes: c.fromLateMinutes,
    to_late_minutes: c.toLateMinutes,
    notes_changed: c.notesChanged,
    reason: c.reason,
  };
}
