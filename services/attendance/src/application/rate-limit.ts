/**
 * R20's per-user limits in fixed windows, counted in memory on the injected clock: the key carries the
 * window start, so a test that moves the clock moves the window without sleeping. One process only; a
 * shared Redis counter is the production upgrade (README).
 */
import { errors } from '@sicora/platform/errors';

export interface Limit {
  max: number;
  windowMs: number;
}

export function createRateLimiter(now: () => Date) {
  const counts = new Map<string, number>();
  let sweptAt = 0;
  return {
    /** Counts one hit against every limit; throws 429 RATE_LIMITED with Retry-After when one is full. */
    hit(name: string, userId: string, limits: readonly Limit[]) {
      const t = now().getTime();
      if (t - sweptAt > 60_000) {
        counts.clear();
        sweptAt = t;
      }
      const keys = limits.map((l) => {
        const start = Math.floor(t / l.windowMs) * l.windowMs;
        return { key: `${name}:${userId}:${l.windowMs}:${start}`, limit: l, end: start + l.windowMs };
      });
      const full = keys.find((k) => (counts.get(k.key) ?? 0) >= k.limit.max);
      if (full) throw errors.rateLimited((full.end - t) / 1000, { limit: full.limit.max, window_seconds: full.limit.windowMs / 1000 });
      for (const k of keys) counts.set(k.key, (counts.get(k.key) ?? 0) + 1);
    },
  };
}
