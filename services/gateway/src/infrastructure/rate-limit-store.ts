/**
 * Rate-limit counter stores (gateway.md R16–R17, R22, R26): the same sliding-window counter in memory
 * (one instance) or in Redis (shared by every instance, one atomic Lua script per decision).
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { verdict, windowPosition, type LimitVerdict } from '../core/sliding-window.ts';

export interface LimitRequest {
  policy: string;
  key: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitStore {
  kind: 'memory' | 'redis';
  /** Decides and counts when allowed; throws when the store fails or takes longer than 50 ms. */
  hit(req: LimitRequest): Promise<LimitVerdict>;
  /** The current estimate without counting (P5). */
  peek(req: LimitRequest): Promise<{ estimate: number; remaining: number; resetSeconds: number }>;
  /** Deletes both windows of a key (P6); resolves how many counters were removed. */
  reset(policy: string, key: string, windowSeconds: number): Promise<number>;
  healthy(): boolean;
  close(): Promise<void>;
}

export function createMemoryStore(now: () => number = Date.now): RateLimitStore {
  const counts = new Map<string, number>();
  const id = (policy: string, key: string, index: number) => `${policy}\u0000${key}\u0000${index}`;
  let sweeps = 0;
  const sweep = (index: number, policy: string, key: string) => {
    counts.delete(id(policy, key, index - 2));
    // Stale windows of idle keys: dropped now and then so memory stays bounded.
    if (++sweeps % 10_000 === 0 && counts.size > 100_000) counts.clear();
  };
  return {
    kind: 'memory',
    async hit(req) {
      const pos = windowPosition(now(), req.windowSeconds);
      const prev = counts.get(id(req.policy, req.key, pos.index - 1)) ?? 0;
      const cur = counts.get(id(req.policy, req.key, pos.index)) ?? 0;
      const v = verdict(prev, cur, pos, req.limit, req.windowSeconds);
      if (v.allowed) counts.set(id(req.policy, req.key, pos.index), cur + 1);
      sweep(pos.index, req.policy, req.key);
      return v;
    },
    async peek(req) {
      const pos = windowPosition(now(), req.windowSeconds);
      const prev = counts.get(id(req.policy, req.key, pos.index - 1)) ?? 0;
      const cur = counts.get(id(req.policy, req.key, pos.index)) ?? 0;
      const v = verdict(prev, cur, pos, req.limit, req.windowSeconds);
      return { estimate: prev * (1 - pos.fraction) + cur, remaining: v.remaining, resetSeconds: v.resetSeconds };
    },
    async reset(policy, key, windowSeconds) {
      const { index } = windowPosition(now(), windowSeconds);
      let cleared = 0;
      for (const i of [index - 1, index]) if (counts.delete(id(policy, key, i))) cleared++;
      return cleared;
    },
    healthy: () => true,
    async close() {},
  };
}

/** Reads both windows, decides and increments in one step, so concurrent instances never overshoot. */
const HIT_SCRIPT = `
local prev = tonumber(redis.call('GET', KEYS[1]) or '0')
local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
local est = prev * (1 - tonumber(ARGV[2])) + cur
if est + 1 <= tonumber(ARGV[1]) + 0.000000001 then
  redis.call('INCR', KEYS[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return {1, prev, cur}
end
return {0, prev, cur}
`;

const STORE_TIMEOUT_MS = 50;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('rate-limit store timeout')), STORE_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createRedisStore(url: string, opts: { prefix?: string; now?: () => number; onError?: (err: unknown) => void } = {}): RateLimitStore {
  const now = opts.now ?? Date.now;
  const prefix = opts.prefix ?? 'sicora';
  // No offline queue: while Redis is away a call fails at once instead of waiting (R16, R25).
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    connectTimeout: 1_000,
  });
  redis.on('error', (err) => opts.onError?.(err));
  const keyOf = (policy: string, key: string, index: number) =>
    `${prefix}:rl:${policy}:${createHash('sha1').update(key).digest('hex')}:${index}`;

  return {
    kind: 'redis',
    async hit(req) {
      const pos = windowPosition(now(), req.windowSeconds);
      const ttlMs = String(req.windowSeconds * 2 * 1000);
      const [allowed, prev, cur] = (await withTimeout(
        redis.eval(HIT_SCRIPT, 2, keyOf(req.policy, req.key, pos.index - 1), keyOf(req.policy, req.key, pos.index), String(req.limit), String(pos.fraction), ttlMs),
      )) as [number, number, number];
      const v = verdict(Number(prev), Number(cur), pos, req.limit, req.windowSeconds);
      return { ...v, allowed: allowed === 1 };
    },
    async peek(req) {
      const pos = windowPosition(now(), req.windowSeconds);
      const [prev, cur] = await withTimeout(redis.mget(keyOf(req.policy, req.key, pos.index - 1), keyOf(req.policy, req.key, pos.index)));
      const p = Number(prev ?? 0);
      const c = Number(cur ?? 0);
      const v = verdict(p, c, pos, req.limit, req.windowSeconds);
      return { estimate: p * (1 - pos.fraction) + c, remaining: v.remaining, resetSeconds: v.resetSeconds };
    },
    async reset(policy, key, windowSeconds) {
      const { index } = windowPosition(now(), windowSeconds);
      return withTimeout(redis.del(keyOf(policy, key, index - 1), keyOf(policy, key, index)));
    },
    healthy: () => redis.status === 'ready',
    async close() {
      redis.disconnect();
    },
  };
}
