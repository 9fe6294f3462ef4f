/**
 * Local calendar time in an IANA zone (00-conventions §5: America/Bogota unless configured). Local dates
 * (`YYYY-MM-DD`) and times (`HH:MM`) stay strings; day arithmetic runs on epoch days (pure Gregorian, no
 * zone involved); every local↔instant conversion goes through the zone with Intl, never a fixed offset or
 * the process zone. Pure, so services' domain/ code may use it.
 */
const DAY_MS = 86_400_000;

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

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
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

export function localDateOf(instant: Date, timeZone: string): string {
  return toLocal(instant, timeZone).date;
}

/** The UTC instant of a local wall-clock date and time (`HH:MM`) in `timeZone`. */
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
    guess = wall - (Date.UTC(ly, lm - 1, ld, lh, lmi) - guess);
  }
  return new Date(guess);
}

/** `dd/mm/yyyy`, the date format of messages and notification variables. */
export function displayDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}
