import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, displayDate, fromEpochDay, localDateOf, localToInstant, toEpochDay, toLocal } from '../src/local-time.ts';

describe('local time', () => {
  it('when a Bogotá instant is read, then its local date, time and stamp (UTC−5, no daylight saving)', () => {
    expect(toLocal(new Date('2026-03-10T04:30:15Z'), 'America/Bogota')).toEqual({ date: '2026-03-09', time: '23:30', stamp: '2026-03-09 23:30:15' });
    expect(localDateOf(new Date('2026-03-10T05:00:00Z'), 'America/Bogota')).toBe('2026-03-10');
    expect(localToInstant('2026-03-09', '06:00', 'America/Bogota').toISOString()).toBe('2026-03-09T11:00:00.000Z');
  });

  it('when the zone changes its offset, then the conversion uses the offset of that day, not a fixed one', () => {
    // New York: UTC−5 before 8 March 2026, UTC−4 after.
    expect(localToInstant('2026-03-07', '09:00', 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(localToInstant('2026-03-09', '09:00', 'America/New_York').toISOString()).toBe('2026-03-09T13:00:00.000Z');
  });

  it('when days are added across months and leap years, then the calendar date is right', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(fromEpochDay(toEpochDay('2026-07-20'))).toBe('2026-07-20');
    expect(displayDate('2026-07-20')).toBe('20/07/2026');
  });
});
