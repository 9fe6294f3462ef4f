/**
 * Rules of one weekly entry: effective end (R12), occurrences (R11), phase (§3.7) and history (R15).
 */
import { addDays, firstWeekdayOnOrAfter, lastWeekdayOnOrBefore, type LocalDateTime } from './calendar.ts';

export interface EntryDates {
  day_of_week: number;
  start_time: string;
  start_date: string;
  end_date: string;
  status: 'ACTIVE' | 'CANCELLED';
  cancelled_from: string | null;
}

export function effectiveEndDate(e: Pick<EntryDates, 'status' | 'cancelled_from' | 'end_date'>): string {
  if (e.status === 'CANCELLED' && e.cancelled_from) {
    const prev = addDays(e.cancelled_from, -1);
    return prev < e.end_date ? prev : e.end_date;
  }
  return e.end_date;
}

export function firstOccurrence(e: EntryDates): string | null {
  return firstWeekdayOnOrAfter(e.start_date, e.day_of_week, effectiveEndDate(e));
}

export function isOccurrence(e: EntryDates, date: string, weekday: number): boolean {
  return weekday === e.day_of_week && date >= e.start_date && date <= effectiveEndDate(e);
}

export type Phase = 'CANCELLED' | 'UPCOMING' | 'CURRENT' | 'FINISHED';

export function phaseOf(e: EntryDates, today: string): Phase {
  if (e.status === 'CANCELLED' && e.cancelled_from && today >= e.cancelled_from) return 'CANCELLED';
  if (today < e.start_date) return 'UPCOMING';
  if (today <= effectiveEndDate(e)) return 'CURRENT';
  return 'FINISHED';
}

/** `YYYY-MM-DD HH:MM:SS` of an occurrence's local start, comparable with `LocalDateTime.stamp`. */
function startStamp(date: string, time: string): string {
  return `${date} ${time.slice(0, 5)}:00`;
}

/** The latest occurrence that has already started at `now`, or null (R15: none = no history). */
export function latestStartedOccurrence(e: EntryDates, now: LocalDateTime): string | null {
  const end = effectiveEndDate(e);
  const bound = now.date < end ? now.date : end;
  let d = lastWeekdayOnOrBefore(bound, e.day_of_week, e.start_date);
  if (d !== null && startStamp(d, e.start_time) > now.stamp) d = lastWeekdayOnOrBefore(addDays(d, -1), e.day_of_week, e.start_date);
  return d;
}

export function hasHistory(e: EntryDates, now: LocalDateTime): boolean {
  return latestStartedOccurrence(e, now) !== null;
}

/**
 * The earliest date a cancellation or split may take effect (R15, R16): today, or tomorrow once today's
 * occurrence has started, and always after every started occurrence.
 */
export function earliestChangeDate(e: EntryDates, now: LocalDateTime): string {
  const latest = latestStartedOccurrence(e, now);
  let min = now.date;
  if (latest !== null && latest >= min) min = addDays(latest, 1);
  return min;
}
