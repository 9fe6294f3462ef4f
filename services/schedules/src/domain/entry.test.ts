import { describe, expect, it } from 'vitest';
import { earliestChangeDate, effectiveEndDate, hasHistory, latestStartedOccurrence, phaseOf, type EntryDates } from './entry.ts';

const monday: EntryDates = { day_of_week: 1, start_time: '08:00', start_date: '2026-03-02', end_date: '2026-05-24', status: 'ACTIVE', cancelled_from: null };
const at = (date: string, time: string) => ({ date, time, stamp: `${date} ${time}:00` });

describe('entry rules', () => {
  it('when cancelled, then the effective end is the day before cancelled_from', () => {
    expect(effectiveEndDate(monday)).toBe('2026-05-24');
    expect(effectiveEndDate({ ...monday, status: 'CANCELLED', cancelled_from: '2026-04-01' })).toBe('2026-03-31');
  });

  it.each([
    ['2026-03-01', 'UPCOMING'],
    ['2026-04-01', 'CURRENT'],
    ['2026-06-01', 'FINISHED'],
  ])('when today is %s, then the phase is %s', (today, phase) => {
    expect(phaseOf(monday, today)).toBe(phase);
  });

  it('when cancelled and today reached cancelled_from, then the phase is CANCELLED', () => {
    expect(phaseOf({ ...monday, status: 'CANCELLED', cancelled_from: '2026-04-01' }, '2026-04-01')).toBe('CANCELLED');
  });

  it('when the first occurrence has not begun, then there is no history; once it starts, there is', () => {
    expect(hasHistory(monday, at('2026-03-02', '07:59'))).toBe(false);
    expect(hasHistory(monday, at('2026-03-02', '08:00'))).toBe(true);
    expect(latestStartedOccurrence(monday, at('2026-03-11', '10:00'))).toBe('2026-03-09');
  });

  it('when today\'s occurrence has started, then the earliest change date is tomorrow', () => {
    expect(earliestChangeDate(monday, at('2026-03-09', '07:00'))).toBe('2026-03-09');
    expect(earliestChangeDate(monday, at('2026-03-09', '08:30'))).toBe('2026-03-10');
  });
});
