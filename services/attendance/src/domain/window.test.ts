import { describe, expect, it } from 'vitest';
import { endOfLocalDay, localToInstant } from './time.ts';
import { classState, markingWindow } from './window.ts';

const TZ = 'America/Bogota';
const s = { open_before_minutes: 15, instructor_edit_days: 0 };
const session = { startAt: new Date('2026-03-09T11:00:00Z'), sessionDate: '2026-03-09' };

describe('R2 marking window', () => {
  it('when it is more than 15 minutes before the start, then NOT_STARTED for everyone', () => {
    expect(markingWindow(new Date('2026-03-09T10:44:59Z'), session, s, TZ, false)).toBe('NOT_STARTED');
    expect(markingWindow(new Date('2026-03-09T10:44:59Z'), session, s, TZ, true)).toBe('NOT_STARTED');
    expect(markingWindow(new Date('2026-03-09T10:45:00Z'), session, s, TZ, false)).toBe('OPEN');
  });

  it('when the Bogotá day ends, then the instructor is CLOSED at 00:00 and a coordinador is not', () => {
    const midnight = endOfLocalDay('2026-03-09', TZ);
    expect(midnight.toISOString()).toBe('2026-03-10T05:00:00.000Z');
    expect(markingWindow(new Date(midnight.getTime() - 1), session, s, TZ, false)).toBe('OPEN');
    expect(markingWindow(midnight, session, s, TZ, false)).toBe('CLOSED');
    expect(markingWindow(midnight, session, { ...s, instructor_edit_days: 1 }, TZ, false)).toBe('OPEN');
    expect(markingWindow(new Date('2027-01-01T00:00:00Z'), session, s, TZ, true)).toBe('OPEN');
  });

  it('when a class is before, inside or after its times, then UPCOMING, IN_PROGRESS, ENDED', () => {
    const start = localToInstant('2026-03-09', '06:00', TZ);
    const end = localToInstant('2026-03-09', '09:00', TZ);
    expect(classState(new Date('2026-03-09T10:44:00Z'), start, end, 15)).toBe('UPCOMING');
    expect(classState(new Date('2026-03-09T10:50:00Z'), start, end, 15)).toBe('IN_PROGRESS');
    expect(classState(end, start, end, 15)).toBe('ENDED');
  });
});
