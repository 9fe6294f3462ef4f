/**
 * Time helpers: whole-second truncation (JWT `iat`) and Bogotá rendering for notification variables (R36).
 * The CSV export's local ISO time is the platform's (`localIso` of `@sicora/platform/csv-export`).
 */
export const truncSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);
export const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `dd/mm/yyyy HH:mm` in the given IANA zone. */
export function localStamp(d: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}
