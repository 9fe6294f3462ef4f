/**
 * Fixed-window rate limits (R14): in memory (one process), or in Redis when `REDIS_URL` is set so every
 * replica shares the counts. Windows are aligned to the clock, so both stores agree on their edges.
 */
import { Redis } from 'ioredis';

export interface RateLimiter {
  /** Counts one hit; resolves the seconds to wait when over the limit, else 0. */
  hit(key: string): Promise<number>;
}

export interface LimiterOptions {
  name: string;
  limit: number;
  windowMs: number;
  now: () => number;
}

const retryAfter = (windowStart: number, windowMs: number, now: number) => Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));

export function createMemoryLimiter(opts: LimiterOptions): RateLimiter {
  const counts = new Map<string, number>();
  let current = -1;
  return {
    async hit(key) {
      const now = opts.now();
      const start = Math.floor(now / opts.windowMs) * opts.windowMs;
      if (start !== current) {
        counts.clear();
        current = start;
      }
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n > opts.limit ? retryAfter(start, opts.windowMs, now) : 0;
    },
  };
}

/**
 * Redis store: INCR + PEXPIRE on `<prefix>:<name>:<window start>:<key>`. When Redis cannot answer the
 * request is let through (fail open) and reported: a login must not fail because a counter is down.
 */
export function createRedisLimiter(redis: Redis, prefix: string, opts: LimiterOptions, onError: (err: unknown) => void): RateLimiter {
  return {
    async hit(key) {
      const now = opts.now();
      const start = Math.floor(now / opts.windowMs) * opts.windowMs;
      const redisKey = `${prefix}:${opts.name}:${start}:${key}`;
      try {
        const [[, count]] = (await redis.multi().incr(redisKey).pexpire(redisKey, opts.windowMs + 1000).exec()) as [[Error | null, number]];
        return count > opts.limit ? retryAfter(start, opts.windowMs, now) : 0;
      } catch (err) {
        onError(err);
        return 0;
      }
    },
  };
}

export function openRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: false });
}
