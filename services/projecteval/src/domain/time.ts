/** Local dates and quarters in SICORA_TIMEZONE (00-conventions §5), through Intl, never a fixed offset. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(at: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function localDate(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** `YYYY-MM-DD HH:mm` of the instant in the zone (§6 CSV). */
export function localDateTime(at: Date, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The calendar quarter of a local date: "2026-Q2". */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The local dates a quarter spans: [first day, first day of the next quarter). */
export function quarterBounds(quarter: string): { from: string; to: string } {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(6));
  const m = (q - 1) * 3 + 1;
  const from = `${year}-${String(m).padStart(2, '0')}-01`;
  const to = q === 4 ? `${year + 1}-01-01` : `${year}-${String(m + 3).padStart(2, '0')}-01`;
  return { from, to };
}

/** Whole days between two local dates (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.UTC(+b.slice(0, 4), +b.slice(5, 7) - 1, +b.slice(8, 10)) - Date.UTC(+a.slice(0, 4), +a.slice(5, 7) - 1, +a.slice(8, 10))) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days));
  return d.toISOString().slice(0, 10);
}

/** The instant of local midnight starting `date` in the zone (found by correcting the UTC guess). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  let guess = new Date(`${date}T00:00:00Z`);
  for (let i = 0; i < 3; i++) {
    const p = parts(guess, timeZone);
    const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
    const wanted = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10));
    if (shown === wanted) break;
    guess = new Date(guess.getTime() - (shown - wanted));
  }
  return guess;
}

const MAX_MS = Date.UTC(9999, 11, 31, 0, 0, 0);

/** An instant PostgreSQL and every back end hold: a window computed from a boundary date is clamped. */
export function clampInstant(d: Date): Date {
  const min = new Date(0);
  min.setUTCFullYear(1, 0, 2);
  const t = d.getTime();
  if (Number.isNaN(t) || t < min.getTime()) return min;
  return t > MAX_MS ? new Date(MAX_MS) : d;
}
