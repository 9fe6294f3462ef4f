/**
 * The API shapes of stored rows (schedules.md §4): snake_case fields, instants as ISO-8601 UTC strings.
 * Repositories return rows; the use cases answer with these.
 */
import { toIso } from '@sicora/platform/schemas';
import type { AssignmentRow, CampusRow, ExceptionRow, GroupWithRefs, NonTeachingDayRow, ProgramRow, VenueWithCampus } from './ports.ts';

export function auditView(row: { createdBy: string | null; updatedBy: string | null; createdAt: Date; updatedAt: Date }) {
  return {
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}

export function campusView(r: CampusRow) {
  return { id: r.id, code: r.code, name: r.name, address: r.address, city: r.city, is_active: r.isActive, ...auditView(r) };
}

export function programView(r: ProgramRow) {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    level: r.level,
    duration_months: r.durationMonths,
    quarters: r.quarters,
    description: r.description,
    is_active: r.isActive,
    ...auditView(r),
  };
}

export function venueView({ v, campus }: VenueWithCampus) {
  return {
    id: v.id,
    campus_id: v.campusId,
    campus,
    code: v.code,
    name: v.name,
    type: v.type,
    capacity: v.capacity,
    floor: v.floor,
    building: v.building,
    equipment: v.equipment,
    is_active: v.isActive,
    ...auditView(v),
  };
}

export function groupView({ row: r, program, campus }: GroupWithRefs) {
  return {
    id: r.id,
    number: r.number,
    program_id: r.programId,
    program,
    campus_id: r.campusId,
    campus,
    shift: r.shift,
    start_date: r.startDate,
    end_date: r.endDate,
    current_quarter: r.currentQuarter,
    max_apprentices: r.maxApprentices,
    notes: r.notes,
    is_active: r.isActive,
    ...auditView(r),
  };
}
export type GroupView = ReturnType<typeof groupView>;

export function assignmentView(r: AssignmentRow) {
  return {
    id: r.id,
    group_id: r.groupId,
    instructor_id: r.instructorId,
    role: r.role,
    subject: r.subject,
    start_date: r.startDate,
    end_date: r.endDate,
    notes: r.notes,
    ...auditView(r),
  };
}

export function nonTeachingDayView(r: NonTeachingDayRow) {
  return { id: r.id, date: r.date, name: r.name, campus_id: r.campusId, source: r.source, ...auditView(r) };
}

export function exceptionView(x: ExceptionRow) {
  return { id: x.id, schedule_id: x.scheduleId, date: x.date, kind: x.kind, instructor_id: x.instructorId, venue_id: x.venueId, reason: x.reason, created_by: x.createdBy, created_at: toIso(x.createdAt) };
}
