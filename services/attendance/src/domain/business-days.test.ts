import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advanceNoticeHorizon,
  advanceNoticeRefusal,
  dayEndDeadline,
  earliestDeadline,
  isBusinessDay,
  isDeadlineMet,
  isoWeekday,
  justificationDeadline,
  justificationKind,
  nonTeachingYearsFor,
  nthBusinessDayAfter,
  resubmissionDeadline,
} from './business-days.ts';
import { addDays, localDateOf, localToInstant } from './time.ts';

const TZ = 'America/Bogota';
const at = (iso: string) => new Date(iso);
const localInstant = (date: string, time: string, zone = TZ) => localToInstant(date, time, zone);
// Centre-wide non-teaching days of March–April 2026 (San José, Holy Thursday and Friday).
const HOLIDAYS_2026 = ['2026-03-23', '2026-04-02', '2026-04-03'];

describe('calendar in Bogotá', () => {
  it('when an instant is read in Bogotá, then its local date is five hours behind UTC', () => {
    expect(localDateOf(at('2026-03-27T04:59:59.999Z'), TZ)).toBe('2026-03-26');
    expect(localDateOf(at('2026-03-27T05:00:00.000Z'), TZ)).toBe('2026-03-27');
    expect(localInstant('2026-03-16', '06:00').toISOString()).toBe('2026-03-16T11:00:00.000Z');
  });

  it('when weekdays are asked, then ISO numbering is used', () => {
    expect(isoWeekday('2026-03-16')).toBe(1); // Monday
    expect(isoWeekday('2026-03-22')).toBe(7); // Sunday
  });

  it('property: isoWeekday agrees with the UTC weekday of the date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20_000, max: 40_000 }), (n) => {
        const date = addDays('2000-01-01', n);
        expect(isoWeekday(date)).toBe(((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1);
      }),
    );
  });
});

describe('business days (R23)', () => {
  it('when weekends and non-teaching days are asked, then they are not business days', () => {
    expect(isBusinessDay('2026-03-20', HOLIDAYS_2026)).toBe(true);
    expect(isBusinessDay('2026-03-21', HOLIDAYS_2026)).toBe(false);
    expect(isBusinessDay('2026-03-22', HOLIDAYS_2026)).toBe(false);
    expect(isBusinessDay('2026-03-23', new Set(HOLIDAYS_2026))).toBe(false);
  });

  it('when the spec example is computed (Friday 2026-03-20, San José on Monday), then Thursday 26 23:59:59 Bogotá', () => {
    const d = justificationDeadline({ sessionDate: '2026-03-20', businessDays: 3, nonTeachingDays: HOLIDAYS_2026, timeZone: TZ });
    expect(d.date).toBe('2026-03-26');
    expect(d.shownAt.toISOString()).toBe('2026-03-27T04:59:59.000Z');
    expect(d.closesAt.toISOString()).toBe('2026-03-27T05:00:00.000Z');
  });

  it('US-ATT-09: given S on Monday, then Thursday 10:00 meets the deadline and Friday 00:01 does not', () => {
    // Monday 2026-03-09, no non-teaching days that week.
    const d = justificationDeadline({ sessionDate: '2026-03-09', businessDays: 3, nonTeachingDays: [], timeZone: TZ });
    expect(d.date).toBe('2026-03-12');
    expect(isDeadlineMet(localInstant('2026-03-12', '10:00'), d)).toBe(true);
    expect(isDeadlineMet(localInstant('2026-03-13', '00:01'), d)).toBe(false);
  });

  it('when now is a sub-second instant after 23:59:59, then the deadline is still met; at 00:00 it is not', () => {
    const d = dayEndDeadline('2026-03-12', TZ);
    expect(isDeadlineMet(new Date(d.shownAt.getTime() + 999), d)).toBe(true);
    expect(isDeadlineMet(d.closesAt, d)).toBe(false);
  });

  it('when Holy Week falls inside the count, then both days are skipped', () => {
    // Tuesday 2026-03-31: Wed 1 (1), Thu 2 and Fri 3 off, weekend, Mon 6 (2), Tue 7 (3).
    expect(nthBusinessDayAfter('2026-03-31', 3, HOLIDAYS_2026)).toBe('2026-04-07');
  });

  it('when a session is late in December, then the deadline crosses into January and needs next year\'s days', () => {
    expect(nonTeachingYearsFor('2026-12-30')).toEqual([2026, 2027]);
    // Wed 30 Dec: Thu 31 (1), Fri 1 Jan off, Mon 4 (2), Tue 5 (3).
    expect(nthBusinessDayAfter('2026-12-30', 3, ['2027-01-01'])).toBe('2027-01-05');
  });

  it('when n is not a positive integer, then it is refused', () => {
    expect(() => nthBusinessDayAfter('2026-03-20', 0, [])).toThrow(RangeError);
  });

  it('property: the n-th business day is a business day after the session with exactly n business days up to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 1, max: 15 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }),
        (start, n, offsets) => {
          const session = addDays('2024-01-01', start);
          const off = offsets.map((o) => addDays(session, o));
          const due = nthBusinessDayAfter(session, n, off);
          expect(isBusinessDay(due, off)).toBe(true);
          let count = 0;
          for (let d = addDays(session, 1); d <= due; d = addDays(d, 1)) if (isBusinessDay(d, off)) count++;
          expect(count).toBe(n);
        },
      ),
    );
  });

  it('when several items are justified together, then the justification deadline is the earliest', () => {
    const a = dayEndDeadline('2026-03-26', TZ);
    const b = dayEndDeadline('2026-03-24', TZ);
    expect(earliestDeadline([a, b])).toBe(b);
    expect(earliestDeadline([])).toBeNull();
  });

  it('when a justification is rejected on the last day, then the student keeps 2 business days to resubmit', () => {
    const item = justificationDeadline({ sessionDate: '2026-03-09', businessDays: 3, nonTeachingDays: [], timeZone: TZ }); // Thu 12
    const late = resubmissionDeadline({ itemDeadline: item, rejectedAt: localInstant('2026-03-12', '18:00'), nonTeachingDays: [], timeZone: TZ });
    expect(late.date).toBe('2026-03-16'); // Fri 13 (1), Mon 16 (2)
    const early = resubmissionDeadline({ itemDeadline: item, rejectedAt: localInstant('2026-03-09', '18:00'), nonTeachingDays: [], timeZone: TZ });
    expect(early).toBe(item); // Wed 11 is earlier than Thu 12: the session's deadline stays
  });
});

describe('justification kind and advance-notice window (R22)', () => {
  const now = localInstant('2026-03-16', '10:00'); // Monday

  it('US-ATT-12: given next Wednesday\'s two sessions, then ADVANCE_NOTICE; mixing a past session → JUSTIFICATION_MIXED_KINDS', () => {
    const wed1 = { startAt: localInstant('2026-03-25', '06:00') };
    const wed2 = { startAt: localInstant('2026-03-25', '13:00') };
    const past = { startAt: localInstant('2026-03-13', '06:00') };
    expect(justificationKind([wed1, wed2], now)).toEqual({ ok: true, kind: 'ADVANCE_NOTICE' });
    expect(justificationKind([wed1, past], now)).toEqual({ ok: false, code: 'JUSTIFICATION_MIXED_KINDS' });
    expect(justificationKind([past], now)).toEqual({ ok: true, kind: 'AFTER_ABSENCE' });
    expect(advanceNoticeRefusal('2026-03-25', now, 30, TZ)).toBeNull();
  });

  it('when a session has started exactly now, then it counts as started', () => {
    expect(justificationKind([{ startAt: now }], now)).toEqual({ ok: true, kind: 'AFTER_ABSENCE' });
    expect(() => justificationKind([], now)).toThrow(RangeError);
  });

  it('US-ATT-12: given a session 40 days ahead, then ADVANCE_NOTICE_TOO_FAR; today + 30 is the last allowed date', () => {
    expect(advanceNoticeHorizon(now, 30, TZ)).toBe('2026-04-15');
    expect(advanceNoticeRefusal(addDays('2026-03-16', 40), now, 30, TZ)).toBe('ADVANCE_NOTICE_TOO_FAR');
    expect(advanceNoticeRefusal('2026-04-15', now, 30, TZ)).toBeNull();
    expect(advanceNoticeRefusal('2026-04-16', now, 30, TZ)).toBe('ADVANCE_NOTICE_TOO_FAR');
  });

  it('when it is 23:30 in Bogotá (already the next day in UTC), then "today" is the Bogotá date', () => {
    const lateNight = localInstant('2026-03-16', '23:30');
    expect(lateNight.toISOString().slice(0, 10)).toBe('2026-03-17');
    expect(advanceNoticeRefusal('2026-04-16', lateNight, 30, TZ)).toBe('ADVANCE_NOTICE_TOO_FAR');
  });
});
