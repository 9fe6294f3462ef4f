/**
 * R24's per-user limits as a sliding-window counter (the previous fixed window weighted by how much of
 * it still overlaps the sliding one, plus the current window), in memory on the injected clock. `service`
 * tokens are exempt. A shared Redis counter is the multi-replica upgrade (README).
 */
import { kbErrors } from '../domain/errors.ts';

export interface Limit {
  max: number;
  windowMs: number;
}

export const LIMITS = {
  search: { max: 60, windowMs: 60_000 },
  suggest: { max: 120, windowMs: 60_000 },
  pdf: { max: 20, windowMs: 3_600_000 },
  import: { max: 5, windowMs: 3_600_000 },
} as const satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

export function createRateLimiter(now: () => Date) {
  const counts = new Map<string, number>();
  let sweptAt = 0;
  return {
    /** Counts one hit; returns the RateLimit-* headers, or throws 429 with them and Retry-After. */
    hit(name: LimitName, userId: string, role: string): Record<string, string> {
      if (role === 'service') return {};
      const l = LIMITS[name];
      const t = now().getTime();
      if (t - sweptAt > 2 * 3_600_000) {
        for (const k of counts.keys()) if (Number(k.split(':').pop()) < t - 2 * l.windowMs) counts.delete(k);
        sweptAt = t;
      }
      const start = Math.floor(t / l.windowMs) * l.windowMs;
      const cur = counts.get(`${name}:${userId}:${start}`) ?? 0;
      const prev = counts.get(`${name}:${userId}:${start - l.windowMs}`) ?? 0;
      const weight = 1 - (t - start) / l.windowMs;
      const used = Math.floor(prev * weight) + cur;
      const reset = Math.ceil((start + l.windowMs - t) / 1000);
      const headers = { 'RateLimit-Limit': String(l.max), 'RateLimit-Remaining': String(Math.max(0, l.max - used - 1)), 'RateLimit-Reset': String(reset), 'RateLimit-Policy': `${l.max};w=${l.windowMs / 1000}` };
      if (used >= l.max) {
        // The earliest moment the weighted count drops below the limit.
        const retry = prev > 0 && cur < l.max ? Math.max(1, Math.ceil(((1 - (l.max - cur) / prev) * l.windowMs - (t - start)) / 1000)) : reset;
        throw kbErrors.rateLimited(Math.max(1, Math.min(retry, reset + l.windowMs / 1000)), { ...headers, 'RateLimit-Remaining': '0' });
      }
      counts.set(`${name}:${userId}:${start}`, cur + 1);
      return headers;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
