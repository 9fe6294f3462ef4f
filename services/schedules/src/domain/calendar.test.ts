import { describe, expect, it } from 'vitest';
import { addDays, firstWeekdayOnOrAfter, isoWeekday, isValidDate, lastWeekdayOnOrBefore, localToInstant, mondayOf, toLocal, weekdayDates } from './calendar.ts';

describe('local calendar', () => {
  it('when weekdays are computed, then they are ISO (1 = lunes, 7 = domingo)', () => {
    expect(isoWeekday('2026-03-02')).toBe(1);
    expect(isoWeekday('2026-03-08')).toBe(7);
    expect(isoWeekday('1969-12-31')).toBe(3);
    expect(mondayOf('2026-03-11')).toBe('2026-03-09');
  });

  it('when days are added across months and leap years, then the calendar date is right', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
  });

  it('when weekday bounds are asked, then the first/last matching dates are returned or null', () => {
    expect(firstWeekdayOnOrAfter('2026-05-19', 1, '2026-05-23')).toBeNull();
    expect(lastWeekdayOnOrBefore('2026-05-30', 1, '2026-05-18')).toBe('2026-05-25');
    expect(weekdayDates('2026-03-02', '2026-03-16', 1)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
  });

  it('when 23:30 in Bogotá is converted, then it is 04:30Z of the next UTC day, both ways', () => {
    expect(localToInstant('2026-03-02', '23:30', 'America/Bogota').toISOString()).toBe('2026-03-03T04:30:00.000Z');
    expect(localToInstant('2026-03-02', '06:00', 'America/Bogota').toISOString()).toBe('2026-03-02T11:00:00.000Z');
    expect(toLocal(new Date('2026-03-03T04:30:00Z'), 'America/Bogota')).toMatchObject({ date: '2026-03-02', time: '23:30' });
  });

  it('when a zone with daylight saving is used, then the offset of that instant is applied', () => {
    expect(localToInstant('2026-07-01', '12:00', 'Europe/Madrid').toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(localToInstant('2026-01-15', '12:00', 'Europe/Madrid').toISOString()).toBe('2026-01-15T11:00:00.000Z');
  });
});
