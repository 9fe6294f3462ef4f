/**
 * R20's per-user limits in fixed windows, counted by the platform's rate counter on the injected clock:
 * in memory without `REDIS_URL`, in Redis with it (replicas share the windows). The keys carry the window
 * start, so a test that moves the clock moves the window without sleeping.
 */
import { errors } from '@sicora/platform/errors';
import type { RateCounter, RateLimit } from '@sicora/platform/rate-limit';

export type Limit = Pick<RateLimit, 'max' | 'windowMs'>;

export function createRateLimiter(counter: RateCounter, onError: (err: unknown) => void = () => undefined) {
  return {
    /** Counts one hit against every limit; throws 429 RATE_LIMITED with Retry-After when one is full. */
    async hit(name: string, userId: string, limits: readonly Limit[]) {
      let verdict;
      try {
        verdict = await counter.hit(name, userId, limits);
      } catch (err) {
        // A failing Redis must not stop attendance being taken: the hit is let through and reported.
        onError(err);
        return;
      }
      const full = verdict.refused;
      if (full) throw errors.rateLimited(verdict.retryAfterSeconds, { limit: full.max, window_seconds: full.windowMs / 1000 });
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
