import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateCounter, type RateCounter } from '../src/rate-limit.ts';

const MIN = 60_000;
const base = 1_000 * MIN; // the start of a minute window

// Like the gateway's store test: memory always; Redis too when CI sets REDIS_URL (unique prefix per run).
const backends: Array<[string, (now: () => Date) => RateCounter]> = [['memory', (now) => createRateCounter({ now })]];
const prefix = `sicora-test-${randomUUID().slice(0, 8)}`;
if (process.env.REDIS_URL) backends.push(['redis', (now) => createRateCounter({ redisUrl: process.env.REDIS_URL, prefix, now })]);

describe.each(backends)('the rate counter in %s', (_kind, make) => {
  const opened: RateCounter[] = [];
  const counter = (clock: { t: number }) => {
    const c = make(() => new Date(clock.t));
    opened.push(c);
    return c;
  };
  afterAll(async () => {
    for (const c of opened) await c.close();
  });

  it('when a key hits 1 per 3 s and 3 per minute, then the second within 3 s and the fourth in the minute are refused with the retry-after of the full window', async () => {
    const clock = { t: base + 1_000 };
    const c = counter(clock);
    const limits = [{ max: 1, windowMs: 3_000 }, { max: 3, windowMs: MIN }];
    expect(await c.hit('q1', 'u1', limits)).toMatchObject({ allowed: true, retryAfterSeconds: 0 });
    const second = await c.hit('q1', 'u1', limits);
    expect(second).toMatchObject({ allowed: false, retryAfterSeconds: 2, refused: limits[0] });
    // Another key and another name count apart.
    expect((await c.hit('q1', 'u2', limits)).allowed).toBe(true);
    expect((await c.hit('q2', 'u1', limits)).allowed).toBe(true);
    clock.t += 12_000;
    expect((await c.hit('q1', 'u1', limits)).allowed).toBe(true);
    clock.t += 3_000;
    const third = await c.hit('q1', 'u1', limits);
    expect(third.allowed).toBe(true);
    expect(third.windows[1]).toMatchObject({ used: 3, remaining: 0, resetSeconds: 44 });
    clock.t += 3_000;
    const fourth = await c.hit('q1', 'u1', limits);
    expect(fourth).toMatchObject({ allowed: false, refused: limits[1], retryAfterSeconds: 41 });
    // A refusal counts nothing: the 3-s window is still free once the minute turns.
    clock.t = base + MIN;
    expect((await c.hit('q1', 'u1', limits)).allowed).toBe(true);
  });

  it('when the minute is sliding, then the previous minute weighs by the time left and peek counts nothing', async () => {
    const clock = { t: base - MIN + 5_000 };
    const c = counter(clock);
    const roomy = [{ max: 100, windowMs: MIN, mode: 'sliding' as const }];
    for (let i = 0; i < 4; i++) await c.hit('ask', 'u1', roomy);
    clock.t = base + 1_000;
    for (let i = 0; i < 2; i++) await c.hit('ask', 'u1', roomy);
    clock.t = base + 30_000;
    const five = [{ max: 5, windowMs: MIN, mode: 'sliding' as const }];
    // estimate 4 × 0.5 + 2 = 4: one more fits, then full.
    expect((await c.peek('ask', 'u1', five)).windows[0]).toMatchObject({ used: 4, remaining: 1 });
    expect((await c.hit('ask', 'u1', five)).windows[0]).toMatchObject({ used: 5, remaining: 0 });
    const refused = await c.hit('ask', 'u1', five);
    // estimate 4 × (1 − f) + 3 + 1 ≤ 5 when f ≥ 0.75: 15 s from now.
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 15 });
    expect((await c.peek('ask', 'u1', five)).windows[0].used).toBe(5);
    clock.t = base + 45_000;
    expect((await c.hit('ask', 'u1', five)).allowed).toBe(true);
  });

  it('when a limit is a calendar window, then its id keys the count and its end gives the retry-after', async () => {
    const clock = { t: base };
    const c = counter(clock);
    const day = (id: string) => [{ max: 2, windowMs: 86_400_000, calendar: { id, endsAt: base + 3_600_000 } }];
    expect((await c.hit('day', 'u1', day('2026-12-07'))).allowed).toBe(true);
    expect((await c.hit('day', 'u1', day('2026-12-07'))).windows[0]).toMatchObject({ used: 2, remaining: 0, resetSeconds: 3_600 });
    expect(await c.hit('day', 'u1', day('2026-12-07'))).toMatchObject({ allowed: false, retryAfterSeconds: 3_600 });
    expect((await c.hit('day', 'u1', day('2026-12-08'))).allowed).toBe(true);
    expect(await c.hit('day', 'u1', [])).toMatchObject({ allowed: true, windows: [] });
  });

  it('when two counters share the back end concurrently, then no more than the limit are allowed', async () => {
    const clock = { t: base + 200 * MIN };
    const a = counter(clock);
    const b = _kind === 'redis' ? counter(clock) : a;
    const limits = [{ max: 10, windowMs: MIN }];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).hit('shared', 'u9', limits)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });
});

describe('the rate counter when Redis does not answer', () => {
  it('when the server is unreachable, then a hit rejects soon (the service decides whether to let it through) and healthy() is false', async () => {
    const errors: unknown[] = [];
    const c = createRateCounter({ redisUrl: 'redis://127.0.0.1:1', now: () => new Date(base), onError: (err) => errors.push(err) });
    try {
      const started = Date.now();
      await expect(c.hit('q1', 'u1', [{ max: 1, windowMs: 3_000 }])).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(c.healthy()).toBe(false);
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await c.close();
    }
  });
});
