import { describe, expect, it } from 'vitest';
import { estimate, retryAfterSeconds, verdict, windowPosition } from './sliding-window.ts';

describe('sliding window counter (R22–R24)', () => {
  it('when 30 s into a 60 s window with 4 previous and 2 current under limit 5, then one more is allowed (4·0.5 + 2 + 1 = 5)', () => {
    const pos = windowPosition(1_000 * 60 * 100 + 30_000, 60);
    expect(pos.fraction).toBe(0.5);
    expect(estimate(4, 2, pos.fraction)).toBe(4);
    const allowed = verdict(4, 2, pos, 5, 60);
    expect(allowed).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 30 });
    const refused = verdict(4, 3, pos, 5, 60);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('when a key is refused, then Retry-After is the time until the estimate admits one more', () => {
    // 0 previous, 5 current at f = 0.5 with limit 5: the next window starts at 30 s, then 5·(1−g) ≤ 4 → g ≥ 0.2 → +12 s.
    expect(retryAfterSeconds(0, 5, 0.5, 5, 60)).toBe(42);
    // 10 previous, 0 current at f = 0.5, limit 5: 10·(1−f') ≤ 4 → f' ≥ 0.6 → 6 s more.
    expect(retryAfterSeconds(10, 0, 0.5, 5, 60)).toBe(6);
  });

  it('when the estimate is fresh, then remaining is limit − estimate − 1, floored and never negative', () => {
    const pos = windowPosition(0, 60);
    expect(verdict(0, 0, pos, 5, 60).remaining).toBe(4);
    expect(verdict(0, 9, pos, 5, 60).remaining).toBe(0);
  });
});
