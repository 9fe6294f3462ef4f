/**
 * Local calendar arithmetic for Bogotá dates (00-conventions §5): dates stay `YYYY-MM-DD` strings, day
 * maths runs on epoch days, and every local↔instant conversion goes through the IANA zone with Intl, never
 * a fixed offset or the process zone.
 */
import { addDays, daysBetween, displayDate, localDateOf, localToInstant, toEpochDay, toLocal } from '@sicora/platform/local-time';

// The zone conversions and day arithmetic are the platform's (local-time.ts), re-exported for this service.
export { addDays, daysBetween, displayDate, localDateOf, localToInstant, toEpochDay, toLocal };

/** The first instant of the local day after `date`: "until the end of the day" is `now < this`. */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return localToInstant(addDays(date, 1), '00:00', timeZone);
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000);
}
