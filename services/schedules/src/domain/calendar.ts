/**
 * Local calendar arithmetic. Local dates (`YYYY-MM-DD`) and times (`HH:MM`) stay strings; day maths runs
 * on epoch-day integers (pure Gregorian arithmetic, no zone involved) and every local↔instant conversion
 * goes through the IANA zone with Intl (00-conventions §5), never a fixed offset or the process zone.
 */
import { addDays, daysBetween, displayDate, fromEpochDay, localToInstant, toEpochDay, toLocal, type LocalDateTime } from '@sicora/platform/local-time';

// The zone conversions and day arithmetic are the platform's (local-time.ts), re-exported for this service.
export { addDays, daysBetween, displayDate, fromEpochDay, localToInstant, toEpochDay, toLocal, type LocalDateTime };

export const DAY_NAMES = ['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'] as const;
export const DAY_CODES = ['LUN', 'MAR', 'MIE', 'JUE', 'VIE', 'SAB', 'DOM'] as const;

export function isValidDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}



/** ISO weekday: 1 = lunes … 7 = domingo. 1970-01-01 (epoch day 0) was a Thursday. */
export function isoWeekday(date: string): number {
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** First date ≥ from with that weekday, or null when it falls after `to`. */
export function firstWeekdayOnOrAfter(from: string, dow: number, to?: string): string | null {
  const d = addDays(from, (dow - isoWeekday(from) + 7) % 7);
  return to !== undefined && d > to ? null : d;
}

/** Last date ≤ to with that weekday, or null when it falls before `from`. */
export function lastWeekdayOnOrBefore(to: string, dow: number, from?: string): string | null {
  const d = addDays(to, -((isoWeekday(to) - dow + 7) % 7));
  return from !== undefined && d < from ? null : d;
}

/** Every date in [from, to] with weekday `dow`. */
export function weekdayDates(from: string, to: string, dow: number): string[] {
  const out: string[] = [];
  for (let d = firstWeekdayOnOrAfter(from, dow, to); d !== null && d <= to; d = addDays(d, 7)) out.push(d);
  return out;
}

export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}


