import { describe, expect, it } from 'vitest';
import { attemptTimeoutMs, backoffMs, planRetry, type RetryQuestion } from './retry-schedule.ts';

const base: RetryQuestion = {
  method: 'GET',
  replayable: true,
  failure: { kind: 'connect_refused' },
  retriesDone: 0,
  maxRetries: 2,
  remainingMs: 5_000,
  random: 1,
};

describe('retry schedule (R28–R29)', () => {
  it('when the backoff is computed, then it is 50·2^(n−1) ms scaled by [0.5, 1]', () => {
    expect(backoffMs(1, 0)).toBe(25);
    expect(backoffMs(1, 0.999999)).toBe(50);
    expect(backoffMs(2, 1)).toBe(100);
    expect(backoffMs(3, 0)).toBe(100);
  });

  it('when an idempotent replayable request fails before a response, then it is retried', () => {
    for (const kind of ['connect_refused', 'connect_reset', 'dns', 'timeout'] as const) {
      expect(planRetry({ ...base, failure: { kind } })).toEqual({ retry: true, delayMs: 50 });
    }
    for (const status of [502, 503, 504]) expect(planRetry({ ...base, failure: { kind: 'http_status', status } }).retry).toBe(true);
  });

  it('when the method, body, outcome, count or deadline forbid it, then there is no retry', () => {
    expect(planRetry({ ...base, method: 'POST' }).retry).toBe(false);
    expect(planRetry({ ...base, method: 'PATCH' }).retry).toBe(false);
    expect(planRetry({ ...base, replayable: false }).retry).toBe(false);
    expect(planRetry({ ...base, failure: { kind: 'http_status', status: 500 } }).retry).toBe(false);
    expect(planRetry({ ...base, failure: { kind: 'malformed' } }).retry).toBe(false);
    expect(planRetry({ ...base, retriesDone: 2 }).retry).toBe(false);
    expect(planRetry({ ...base, remainingMs: 99 }).retry).toBe(false);
    expect(planRetry({ ...base, remainingMs: 100 }).retry).toBe(true);
  });

  it('when an attempt starts, then its timeout is the smaller of the configured one and the remaining deadline', () => {
    expect(attemptTimeoutMs(5_000, 8_000)).toBe(5_000);
    expect(attemptTimeoutMs(5_000, 1_200)).toBe(1_200);
    expect(attemptTimeoutMs(5_000, -3)).toBe(0);
  });
});
