/**
 * Local calendar arithmetic. Local dates (`YYYY-MM-DD`) and times (`HH:MM`) stay strings; day maths runs
 * on epoch-day integers (pure Gregorian arithmetic, no zone involved) and every local↔instant conversion
 * goes through the IANA zone with Intl (00-conventions §5), never a fixed offset or the process zone.
 */
const DAY_MS = 86_400_000;

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

export function toEpochDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return fromEpochDay(toEpochDay(date) + n);
}

export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
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

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDateTime {
  date: string;
  time: string;
  /** `YYYY-MM-DD HH:MM:SS`, comparable as a string. */
  stamp: string;
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  return { date, time, stamp: `${date} ${time}:${parts.second}` };
}

/** The UTC instant of a local wall-clock date and time in `timeZone`. */
export function localToInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let guess = wall;
  // Two passes settle the zone offset at the target instant (enough for any real zone transition).
  for (let i = 0; i < 2; i++) {
    const local = toLocal(new Date(guess), timeZone);
    const [ly, lm, ld] = local.date.split('-').map(Number);
    const [lh, lmi] = local.time.split(':').map(Number);
    const offset = Date.UTC(ly, lm - 1, ld, lh, lmi) - guess;
    guess = wall - offset;
  }
  return new Date(guess);
}

/** `dd/mm/yyyy` for messages and notification variables. */
export function displayDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
