/**
 * The `data` variables of each event attendance sends to notification (§7's table), declared once: every
 * producer builds its data through `eventData`, which sends exactly these keys, and a test checks that
 * each variable the notification catalogue's attendance.* templates use is one of them.
 */
export const EVENT_DATA_KEYS = {
  'attendance.absence_recorded': ['first_name', 'subject', 'group_number', 'session_date', 'start_time', 'end_time', 'instructor_name', 'justify_deadline', 'record_id', 'justify_url'],
  'attendance.record_changed': ['first_name', 'subject', 'session_date', 'from_status_label', 'to_status_label', 'changed_by_name', 'reason'],
  'attendance.justification_submitted': ['student_name', 'group_number', 'kind_label', 'type_label', 'sessions_count', 'first_session_date', 'last_session_date', 'justification_id', 'review_url'],
  'attendance.justification_reviewed': ['first_name', 'decision_label', 'review_comment', 'reviewer_name', 'sessions', 'resubmit_until'],
  'attendance.justification_overdue': ['student_name', 'group_number', 'submitted_at', 'days_pending', 'review_url'],
  'attendance.alert_for_student': ['first_name', 'alert_type_label', 'level_label', 'title', 'message', 'escalated', 'alert_url'],
  'attendance.alert_for_staff': ['student_name', 'student_id', 'group_number', 'alert_type_label', 'level_label', 'title', 'message', 'metrics', 'recommended_actions', 'escalated', 'alert_url'],
  'attendance.alert_overdue': ['student_name', 'group_number', 'title', 'level_label', 'days_open', 'alert_url'],
  'attendance.roll_missing': ['first_name', 'subject', 'group_number', 'session_date', 'start_time', 'end_time', 'venue_code', 'roll_url'],
  'attendance.missing_rolls_digest': ['date', 'sessions_total', 'sessions_missing', 'affected_instructors', 'items', 'report_url'],
} as const;

export type AttendanceEventType = keyof typeof EVENT_DATA_KEYS;

/** Every declared key must be given (null when unknown, e.g. a name while users is down). */
export type EventData<T extends AttendanceEventType> = { [K in (typeof EVENT_DATA_KEYS)[T][number]]: unknown };

/** The event's data with exactly its declared keys, in the declared order: nothing more is ever sent. */
export function eventData<T extends AttendanceEventType>(type: T, data: EventData<T>): Record<string, unknown> {
  const given = data as Record<string, unknown>;
  return Object.fromEntries(EVENT_DATA_KEYS[type].map((k) => [k, given[k] ?? null]));
}
