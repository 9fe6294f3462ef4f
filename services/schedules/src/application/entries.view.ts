/** ScheduleView (§4.3): stored fields, derived fields and the joined ficha, instructor and venue. */
import { effectiveEndDate, hasHistory, phaseOf } from '../domain/entry.ts';
import { blocksFor, dayName, hourOf } from '../domain/shifts.ts';
import type { LocalDateTime } from '../domain/calendar.ts';
import type { JoinedEntry } from './ports.ts';
import { auditView } from './views.ts';

export function entryDates(e: JoinedEntry['e']) {
  return { day_of_week: e.dayOfWeek, start_time: e.startTime.slice(0, 5), start_date: e.startDate, end_date: e.endDate, status: e.status, cancelled_from: e.cancelledFrom };
}

export function scheduleView(j: JoinedEntry, names: Map<string, string | null>, now: LocalDateTime) {
  const e = j.e;
  const start = e.startTime.slice(0, 5);
  const end = e.endTime.slice(0, 5);
  const blocks = blocksFor(j.group.shift, e.dayOfWeek, start, end);
  const dates = entryDates(e);
  return {
    id: e.id,
    group_id: e.groupId,
    instructor_id: e.instructorId,
    venue_id: e.venueId,
    subject: e.subject,
    day_of_week: e.dayOfWeek,
    start_time: start,
    end_time: end,
    start_date: e.startDate,
    end_date: e.endDate,
    status: e.status,
    cancelled_from: e.cancelledFrom,
    cancel_reason: e.cancelReason,
    replaced_by_id: e.replacedById,
    notes: e.notes,
    ...auditView(e),
    shift: j.group.shift,
    blocks,
    block_identifier: blocks[0] ?? null,
    duration_hours: hourOf(end) - hourOf(start),
    day_name: dayName(e.dayOfWeek),
    effective_end_date: effectiveEndDate(dates),
    has_history: hasHistory(dates, now),
    phase: phaseOf(dates, now.date),
    group: { id: j.group.id, number: j.group.number, shift: j.group.shift, program: j.program, campus: j.groupCampus },
    instructor: { id: e.instructorId, full_name: names.get(e.instructorId) ?? null },
    venue: { id: j.venue.id, code: j.venue.code, name: j.venue.name, type: j.venue.type, capacity: j.venue.capacity, campus: j.venueCampus },
  };
}

export type ScheduleView = ReturnType<typeof scheduleView>;

export function entryLinks(id: string, groupId: string) {
  return {
    self: { href: `/api/v1/schedules/${id}`, method: 'GET' },
    sessions: { href: `/api/v1/schedules/sessions?group_id=${groupId}`, method: 'GET' },
    cancel: { href: `/api/v1/schedules/${id}/cancel`, method: 'POST' },
  };
}
