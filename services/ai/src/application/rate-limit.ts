/**
 * Per-user question limits (R18) through the platform's rate counter — in memory without `REDIS_URL`, in
 * Redis with it, so replicas share the counts — and open-stream slots (R17), per process. Time comes from
 * the injected clock.
 */
import type { RateCounter, RateLimit, RateVerdict } from '@sicora/platform/rate-limit';
import { localDateOf } from '../domain/dates.ts';
import { aiErrors } from '../domain/errors.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export type RateHeaders = Record<'RateLimit-Limit' | 'RateLimit-Remaining' | 'RateLimit-Reset', string>;

export function createRateLimiter(opts: { counter: RateCounter; perMinute: number; perDay: number; now: () => Date; timeZone: string; onError?: (err: unknown) => void }) {
  const streams = new Map<string, number>();

  /** The day first: when both are full, the day's refusal (and its longer Retry-After) is the one given. */
  function limits(): RateLimit[] {
    const now = opts.now();
    const day = { id: localDateOf(now, opts.timeZone), endsAt: now.getTime() + secondsToNextDay(now, opts.timeZone) * 1000 };
    return [
      { max: opts.perDay, windowMs: DAY, calendar: day },
      // R18: a sliding-window counter with gateway.md R22's arithmetic.
      { max: opts.perMinute, windowMs: MINUTE, mode: 'sliding' },
    ];
  }

  /** The headers of the limit with the fewest requests remaining (the minute on a tie). */
  function headersOf(v: RateVerdict): RateHeaders {
    const [day, minute] = v.windows;
    const w = minute.remaining <= day.remaining ? minute : day;
    return { 'RateLimit-Limit': String(w.limit.max), 'RateLimit-Remaining': String(w.remaining), 'RateLimit-Reset': String(w.resetSeconds) };
  }

  /** A failing Redis must not stop the assistant: the question is let through (headers say full room). */
  function unlimited(err: unknown): RateHeaders {
    opts.onError?.(err);
    return { 'RateLimit-Limit': String(opts.perMinute), 'RateLimit-Remaining': String(opts.perMinute), 'RateLimit-Reset': '60' };
  }

  return {
    /** Counts one question or throws 429 RATE_LIMITED (with Retry-After and the headers). */
    async take(userId: string): Promise<RateHeaders> {
      let v: RateVerdict;
      try {
        v = await opts.counter.hit('ai-questions', userId, limits());
      } catch (err) {
        return unlimited(err);
      }
      if (v.refused) {
        const window = v.refused.calendar ? 'day' : 'minute';
        throw aiErrors.rateLimited(v.retryAfterSeconds, v.refused.max, window, { ...headersOf(v) });
      }
      return headersOf(v);
    },
    async usedToday(userId: string): Promise<number> {
      try {
        return (await opts.counter.peek('ai-questions', userId, limits())).windows[0].used;
      } catch (err) {
        opts.onError?.(err);
        return 0;
      }
    },
    /**
     * R17: at most 2 open streams per user. Counted per process on purpose: a stream is a connection held
     * by this process, and a shared count would keep the slots of a replica that died mid-stream (no
     * release ever runs) until some expiry, refusing a user who has no stream open anywhere.
     */
    openStream(userId: string): () => void {
      const n = streams.get(userId) ?? 0;
      if (n >= 2) throw aiErrors.rateLimited(5, 2, 'streams');
      streams.set(userId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (streams.get(userId) ?? 1) - 1;
        if (left <= 0) streams.delete(userId);
        else streams.set(userId, left);
      };
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

function secondsToNextDay(now: Date, timeZone: string): number {
  const day = localDateOf(now, timeZone);
  let t = now.getTime();
  // Step forward by 15 min until the local date changes, then refine by the minute: zone-safe, no offsets.
  while (localDateOf(new Date(t), timeZone) === day) t += 15 * MINUTE;
  t -= 15 * MINUTE;
  while (localDateOf(new Date(t), timeZone) === day) t += MINUTE;
  return Math.max(1, Math.ceil((t - now.getTime()) / 1000));
}
