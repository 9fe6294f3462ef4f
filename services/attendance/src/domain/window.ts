/**
 * R2's marking window. It opens `open_before_minutes` before the start for everyone; for an instructor it
 * closes at the end of the Bogotá day `session_date + instructor_edit_days` (open while now < 00:00 of the
 * following day); coordinadores and admins have no closing time (O5).
 */
import { addDays, addMinutes, endOfLocalDay } from './time.ts';

export type WindowState = 'NOT_STARTED' | 'OPEN' | 'CLOSED';

export interface WindowSettings {
  open_before_minutes: number;
  instructor_edit_days: number;
}

export function markingWindow(now: Date, session: { startAt: Date; sessionDate: string }, s: WindowSettings, timeZone: string, unbounded: boolean): WindowState {
  if (now < addMinutes(session.startAt, -s.open_before_minutes)) return 'NOT_STARTED';
  if (unbounded) return 'OPEN';
  return now < endOfLocalDay(addDays(session.sessionDate, s.instructor_edit_days), timeZone) ? 'OPEN' : 'CLOSED';
}

/** C1's state of a class: UPCOMING before start − open_before, IN_PROGRESS until its end, then ENDED. */
export function classState(now: Date, startAt: Date, endAt: Date, openBeforeMinutes: number): 'UPCOMING' | 'IN_PROGRESS' | 'ENDED' {
  if (now < addMinutes(startAt, -openBeforeMinutes)) return 'UPCOMING';
  return now < endAt ? 'IN_PROGRESS' : 'ENDED';
}
