import { describe, expect, it } from 'vitest';
import { backoffMs, derivedStatus, digestDue, localParts, localToUtc, maskDestination, priorityAllows, quietWindowEnd, RETRY, throttleUntil } from './rules.ts';

const ZONE = 'America/Bogota';
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('priority gate (R15)', () => {
  it('when a channel is checked, then low reaches in_app and email, normal adds push, high and critical add sms', () => {
    const allowed = (p: 'low' | 'normal' | 'high' | 'critical') => (['in_app', 'email', 'push', 'sms'] as const).filter((c) => priorityAllows(p, c));
    expect(allowed('low')).toEqual(['in_app', 'email']);
    expect(allowed('normal')).toEqual(['in_app', 'email', 'push']);
    expect(allowed('high')).toEqual(['in_app', 'email', 'push', 'sms']);
    expect(allowed('critical')).toEqual(['in_app', 'email', 'push', 'sms']);
  });
});

describe('retry policy and backoff (R29, R11)', () => {
  it('when the per-channel policies are read, then they are the spec table', () => {
    expect(RETRY.email).toEqual({ maxAttempts: 6, baseMs: 30_000, capMs: 30 * MIN, timeoutMs: 30_000 });
    expect(RETRY.sms).toEqual({ maxAttempts: 4, baseMs: 20_000, capMs: 10 * MIN, timeoutMs: 15_000 });
    expect(RETRY.push).toEqual({ maxAttempts: 4, baseMs: 10_000, capMs: 10 * MIN, timeoutMs: 10_000 });
    expect(RETRY.in_app).toEqual({ maxAttempts: 3, baseMs: 2_000, capMs: 30_000, timeoutMs: 5_000 });
  });

  it('when the gap is computed, then it is min(cap, base·2^(n−1)) × U[0.5, 1]', () => {
    expect(backoffMs(1, 30_000, 30 * MIN, () => 0)).toBe(15_000);
    expect(backoffMs(1, 30_000, 30 * MIN, () => 1)).toBe(30_000);
    expect(backoffMs(3, 30_000, 30 * MIN, () => 1)).toBe(120_000);
    expect(backoffMs(10, 30_000, 30 * MIN, () => 1)).toBe(30 * MIN);
    expect(backoffMs(10, 30_000, 30 * MIN, () => 0)).toBe(15 * MIN);
    for (let i = 0; i < 50; i++) {
      const g = backoffMs(2, 10_000, MIN);
      expect(g).toBeGreaterThanOrEqual(10_000);
      expect(g).toBeLessThanOrEqual(20_000);
    }
  });
});

describe('notification status from its deliveries (R32)', () => {
  it('when any delivery is in progress, then no end state yet', () => {
    expect(derivedStatus({ sent: 3, queued: 1 })).toBeNull();
    expect(derivedStatus({ retrying: 1, dead: 2 })).toBeNull();
    expect(derivedStatus({ pending: 1 })).toBeNull();
  });

  it('when all are terminal, then completed without dead, partially_failed with dead and some success, failed with only dead', () => {
    expect(derivedStatus({ sent: 2, skipped: 1 })).toBe('completed');
    expect(derivedStatus({})).toBe('completed');
    expect(derivedStatus({ delivered: 1, dead: 1 })).toBe('partially_failed');
    expect(derivedStatus({ digested: 1, dead: 1 })).toBe('partially_failed');
    expect(derivedStatus({ dead: 2, skipped: 3 })).toBe('failed');
  });
});

describe('masking of destinations (O5)', () => {
  it('when a destination is shown, then e-mail keeps its first letter and domain, phones their prefix and last 4, tokens their last 8', () => {
    expect(maskDestination('email', 'laura.gomez21@demo.sicora.test')).toBe('l***@demo.sicora.test');
    expect(maskDestination('sms', '+573001234567')).toBe('+57******4567');
    expect(maskDestination('push', 'demo-fcm-carlos-android-0001')).toBe('…oid-0001');
    expect(maskDestination('email', null)).toBeNull();
    expect(maskDestination('email', 'sin-arroba')).toBe('***');
  });
});

describe('quiet hours in Bogotá time (R20)', () => {
  it('when the window crosses midnight, then 23:00 and 03:00 are inside and end at 06:00 local; 10:00 is outside', () => {
    expect(quietWindowEnd(new Date('2026-03-12T04:00:00Z'), '21:00', '06:00', ZONE)!.toISOString()).toBe('2026-03-12T11:00:00.000Z');
    expect(quietWindowEnd(new Date('2026-03-12T08:00:00Z'), '21:00', '06:00', ZONE)!.toISOString()).toBe('2026-03-12T11:00:00.000Z');
    expect(quietWindowEnd(new Date('2026-03-12T15:00:00Z'), '21:00', '06:00', ZONE)).toBeNull();
    // The end minute itself is outside the window.
    expect(quietWindowEnd(new Date('2026-03-12T11:00:00Z'), '21:00', '06:00', ZONE)).toBeNull();
  });

  it('when the window is within one day, then only its own hours are quiet', () => {
    expect(quietWindowEnd(new Date('2026-03-12T18:30:00Z'), '13:00', '14:00', ZONE)!.toISOString()).toBe('2026-03-12T19:00:00.000Z');
    expect(quietWindowEnd(new Date('2026-03-12T20:00:00Z'), '13:00', '14:00', ZONE)).toBeNull();
    // Carlos's 22:00–05:30 window.
    expect(quietWindowEnd(new Date('2026-03-12T10:00:00Z'), '22:00', '05:30', ZONE)!.toISOString()).toBe('2026-03-12T10:30:00.000Z');
    expect(quietWindowEnd(new Date('2026-03-12T10:30:00Z'), '22:00', '05:30', ZONE)).toBeNull();
  });

  it('when local parts are read, then they use the zone, not a fixed offset', () => {
    expect(localParts(new Date('2026-03-12T04:30:00Z'), ZONE)).toEqual({ date: '2026-03-11', minutes: 23 * 60 + 30 });
    expect(localToUtc('2026-03-12', 7, ZONE).toISOString()).toBe('2026-03-12T12:00:00.000Z');
  });
});

describe('throttle windows (R21)', () => {
  const now = Date.parse('2026-03-12T15:00:00Z');

  it('when 3 SMS were sent in the last hour, then the 4th waits until the oldest leaves the 60-min window', () => {
    const sends = [now - 50 * MIN, now - 20 * MIN, now - 5 * MIN];
    expect(throttleUntil(sends, now, 'sms')).toBe(now - 50 * MIN + HOUR);
    expect(throttleUntil(sends.slice(1), now, 'sms')).toBeNull();
  });

  it('when the daily limit is reached, then the wait follows the 24 h window; in_app is never throttled', () => {
    const daily = Array.from({ length: 10 }, (_, i) => now - (23 - i) * HOUR);
    expect(throttleUntil(daily, now, 'sms')).toBe(now - 23 * HOUR + 24 * HOUR);
    expect(throttleUntil(Array.from({ length: 100 }, () => now - MIN), now, 'in_app')).toBeNull();
    expect(throttleUntil(Array.from({ length: 9 }, () => now - MIN), now, 'email')).toBeNull();
    expect(throttleUntil(Array.from({ length: 10 }, () => now - MIN), now, 'email')).toBe(now - MIN + HOUR);
    expect(throttleUntil([now - 25 * HOUR, now - 26 * HOUR, now - 27 * HOUR], now, 'sms')).toBeNull();
  });
});

describe('digest due times (R22)', () => {
  it('when hourly, then the next full hour; when daily, then the next digest_hour:00 in Bogotá', () => {
    expect(digestDue(new Date('2026-03-12T15:20:00Z'), 'hourly', 7, ZONE).toISOString()).toBe('2026-03-12T16:00:00.000Z');
    // 10:20 Bogotá → tomorrow 07:00 Bogotá = 12:00Z.
    expect(digestDue(new Date('2026-03-12T15:20:00Z'), 'daily', 7, ZONE).toISOString()).toBe('2026-03-13T12:00:00.000Z');
    // 05:00 Bogotá → today 07:00.
    expect(digestDue(new Date('2026-03-12T10:00:00Z'), 'daily', 7, ZONE).toISOString()).toBe('2026-03-12T12:00:00.000Z');
  });
});
