/**
 * Local calendar arithmetic for Bogotá dates (00-conventions §5): dates stay `YYYY-MM-DD` strings, day
 * maths runs on epoch days, and every local↔instant conversion goes through the IANA zone with Intl, never
 * a fixed offset or the process zone.
 */
const DAY_MS = 86_400_000;

export function toEpochDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function addDays(date: string, n: number): string {
  return new Date((toEpochDay(date) + n) * DAY_MS).toISOString().slice(0, 10);
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

export function toLocal(instant: Date, timeZone: string): { date: string; time: string } {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
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

/** The first instant of the local day after `date`: "until the end of the day" is `now < this`. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return localToInstant(addDays(date, 1), '00:00', timeZone);
}

/** `dd/mm/yyyy` for notification variables (§7). */
export function displayDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
