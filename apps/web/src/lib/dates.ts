/** Dates and times in America/Bogota, written with Intl in es-CO (web.md §3). */
export const ZONE = 'America/Bogota';
const LOCALE = 'es-CO';

const dateFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long' });
const shortDateFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, day: 'numeric', month: 'short', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, hour: 'numeric', minute: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
const isoParts = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's local date `YYYY-MM-DD` in Bogotá. */
export function todayLocal(at: Date = new Date()): string {
  return isoParts.format(at);
}

/** A local date `YYYY-MM-DD` as noon UTC, so formatting it in Bogotá (UTC−5) never shifts the day. */
function localDate(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase('es-CO') + s.slice(1);
/** e.g. "Lunes, 7 de diciembre" (only the first letter capitalised, as Spanish writes it). */
export const formatDay = (date: string) => capitalize(dateFmt.format(localDate(date)));
export const formatShortDate = (date: string) => shortDateFmt.format(localDate(date));
const dayMonthFmt = new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, day: 'numeric', month: 'short' });
/** e.g. "7 dic" (week ranges, where the year is obvious). */
export const formatDayMonth = (date: string) => dayMonthFmt.format(localDate(date));
export const formatTime = (iso: string) => timeFmt.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFmt.format(new Date(iso));
/** `HH:MM` (a local time of day as the API keeps it) in es-CO, e.g. `7:00 a. m.`. */
export const formatClock = (hhmm: string) => timeFmt.format(new Date(`2000-01-01T${hhmm.slice(0, 5)}:00-05:00`));

export function addDays(date: string, days: number): string {
  const d = localDate(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const dow = localDate(date).getUTCDay() || 7;
  return addDays(date, 1 - dow);
}

export const percent = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 }).format(value) + ' %';
