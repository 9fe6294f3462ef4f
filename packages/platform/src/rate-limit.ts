/**
 * A per-key window counter shared by the services' own rate limits (attendance R20, ai R18): in memory
 * when `REDIS_URL` is not set (one process), in Redis when it is (one atomic Lua script per hit, so every
 * replica counts against the same windows). Time comes from the injected clock and the keys carry the
 * window, so a test that moves the clock moves the window without sleeping.
 *
 * A hit checks every limit first and counts in all of them only when all allow it: a refused request
 * counts nothing (a caller hammering a full limit does not push its other windows further).
 */
import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';

export interface RateLimit {
  max: number;
  windowMs: number;
  /**
   * `fixed` (default): one count per window aligned to the epoch. `sliding`: the gateway's R22 estimate,
   * previous window × (1 − elapsed fraction) + current window, allowed when estimate + 1 ≤ max.
   */
  mode?: 'fixed' | 'sliding';
  /**
   * A calendar window instead of the epoch-aligned one (e.g. a local day, computed by the caller with
   * `Intl`): its id goes into the key and `endsAt` (epoch ms) gives the reset. `windowMs` is then only the
   * key's lifetime bound.
   */
  calendar?: { id: string; endsAt: number };
}

export interface RateWindow {
  limit: RateLimit;
  /** The count (sliding: the estimate) including this hit when it was counted. */
  used: number;
  remaining: number;
  /** Seconds until this window resets (ceil, ≥ 1). */
  resetSeconds: number;
}

export interface RateVerdict {
  allowed: boolean;
  /** Seconds until the refused limit lets one more through (0 when allowed). */
  retryAfterSeconds: number;
  /** The first limit that refused. */
  refused?: RateLimit;
  windows: RateWindow[];
}

export interface RateCounter {
  kind: 'memory' | 'redis';
  /** Checks `key` against every limit of `name`; counts in all of them when all allow it. */
  hit(name: string, key: string, limits: readonly RateLimit[]): Promise<RateVerdict>;
  /** The same verdict without counting (remaining requests, resets). */
  peek(name: string, key: string, limits: readonly RateLimit[]): Promise<RateVerdict>;
  healthy(): boolean;
  close(): Promise<void>;
}

export interface RateCounterOptions {
  /** `config.redisUrl`: Redis when set, memory otherwise. */
  redisUrl?: string;
  /** An already open client (tests, or a service that shares its connection); not closed by `close()`. */
  redis?: RedisClient;
  /** Key prefix in Redis (`<prefix>:rc:<name>:<key>:…`); default `sicora`. */
  prefix?: string;
  now: () => Date;
  onError?: (err: unknown) => void;
}

interface Slot {
  limit: RateLimit;
  current: string;
  previous: string;
  /** Weight of the previous window (sliding only; 0 otherwise). */
  weight: number;
  end: number;
  fraction: number;
}

function slots(prefix: string, name: string, key: string, limits: readonly RateLimit[], t: number): Slot[] {
  return limits.map((limit) => {
    const base = `${prefix}:${name}:${key}:${limit.windowMs}`;
    if (limit.calendar) {
      return { limit, current: `${base}:c${limit.calendar.id}`, previous: `${base}:none`, weight: 0, end: limit.calendar.endsAt, fraction: 0 };
    }
    const index = Math.floor(t / limit.windowMs);
    const fraction = (t - index * limit.windowMs) / limit.windowMs;
    const sliding = limit.mode === 'sliding';
    return { limit, current: `${base}:${index}`, previous: `${base}:${index - 1}`, weight: sliding ? 1 - fraction : 0, end: (index + 1) * limit.windowMs, fraction };
  });
}

/** The verdict from the counts read before this hit (previous, current per slot) and whether it counted. */
function decide(all: Slot[], counts: Array<[number, number]>, counted: boolean, t: number): RateVerdict {
  const estimates = all.map((s, i) => counts[i][0] * s.weight + counts[i][1]);
  const refusedAt = all.findIndex((s, i) => estimates[i] + 1 > s.limit.max + 1e-9);
  const allowed = refusedAt < 0;
  const windows = all.map((s, i) => {
    const used = estimates[i] + (allowed && counted ? 1 : 0);
    return { limit: s.limit, used, remaining: Math.max(0, Math.floor(s.limit.max - used + 1e-9)), resetSeconds: Math.max(1, Math.ceil((s.end - t) / 1000)) };
  });
  let retryAfterSeconds = 0;
  if (!allowed) {
    const s = all[refusedAt];
    const [previous, current] = counts[refusedAt];
    retryAfterSeconds = s.limit.mode === 'sliding' && !s.limit.calendar ? slidingRetry(previous, current, s.fraction, s.limit) : (s.end - t) / 1000;
    retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
  return { allowed, retryAfterSeconds, refused: allowed ? undefined : all[refusedAt].limit, windows };
}

/** When the previous window's falling weight lets estimate + 1 ≤ max (else the current window's end). */
function slidingRetry(previous: number, current: number, fraction: number, limit: RateLimit): number {
  if (current + 1 > limit.max || previous === 0) return ((1 - fraction) * limit.windowMs) / 1000;
  const need = 1 - (limit.max - 1 - current) / previous;
  return ((need - fraction) * limit.windowMs) / 1000;
}

export function createRateCounter(opts: RateCounterOptions): RateCounter {
  if (opts.redis || opts.redisUrl) return redisCounter(opts);
  return memoryCounter(opts.now);
}

function memoryCounter(now: () => Date): RateCounter {
  const counts = new Map<string, { n: number; expires: number }>();
  let sweptAt = 0;
  const read = (k: string, t: number) => {
    const e = counts.get(k);
    return e && e.expires > t ? e.n : 0;
  };
  // Expired windows are dropped now and then so memory stays bounded by the active keys.
  const sweep = (t: number) => {
    if (t - sweptAt < 60_000) return;
    sweptAt = t;
    for (const [k, e] of counts) if (e.expires <= t) counts.delete(k);
  };
  const run = (name: string, key: string, limits: readonly RateLimit[], count: boolean) => {
    const t = now().getTime();
    sweep(t);
    const all = slots('', name, key, limits, t);
    const before = all.map((s): [number, number] => [s.weight > 0 ? read(s.previous, t) : 0, read(s.current, t)]);
    const verdict = decide(all, before, count, t);
    if (count && verdict.allowed) {
      all.forEach((s, i) => counts.set(s.current, { n: before[i][1] + 1, expires: Math.max(s.end, t) + s.limit.windowMs }));
    }
    return verdict;
  };
  return {
    kind: 'memory',
    hit: async (name, key, limits) => run(name, key, limits, true),
    peek: async (name, key, limits) => run(name, key, limits, false),
    healthy: () => true,
    async close() {},
  };
}

/**
 * KEYS: per limit its previous and current window. ARGV: per limit max, previous weight, expiry ms; then
 * 1 to count. Reads every window, decides, and only when every limit allows increments every current
 * window, in one atomic step. Returns previous, current per limit (as read before counting).
 */
const HIT_SCRIPT = `
local n = #KEYS / 2
local out = {}
local allowed = true
for i = 1, n do
  local prev = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local cur = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  out[#out + 1] = prev
  out[#out + 1] = cur
  if prev * tonumber(ARGV[3 * i - 1]) + cur + 1 > tonumber(ARGV[3 * i - 2]) + 0.000000001 then allowed = false end
end
if allowed and ARGV[3 * n + 1] == '1' then
  for i = 1, n do
    if redis.call('INCR', KEYS[2 * i]) == 1 then redis.call('PEXPIRE', KEYS[2 * i], ARGV[3 * i]) end
  end
end
return out
`;

interface CounterCommands {
  sicoraRateCounter(numKeys: number, ...keysThenArgs: string[]): Promise<number[]>;
}

function redisCounter(opts: RateCounterOptions): RateCounter {
  const prefix = `${opts.prefix ?? 'sicora'}:rc`;
  const own = !opts.redis;
  // ioredis is loaded on the Redis path only: the embedded default (no REDIS_URL) never loads it.
  const redis: RedisClient =
    opts.redis ??
    new (createRequire(import.meta.url)('ioredis') as { Redis: typeof RedisClient }).Redis(opts.redisUrl!, {
      // Calls made while connecting wait in the offline queue (the first hits after start-up count), but a
      // Redis that does not answer fails a call within a second, and the service decides (fail open).
      maxRetriesPerRequest: 1,
      commandTimeout: 1_000,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(times * 100, 1_000),
    });
  if (own) redis.on('error', (err) => opts.onError?.(err));
  if (!(redis as unknown as Partial<CounterCommands>).sicoraRateCounter) redis.defineCommand('sicoraRateCounter', { lua: HIT_SCRIPT });
  const scripts = redis as unknown as CounterCommands;

  const run = async (name: string, key: string, limits: readonly RateLimit[], count: boolean) => {
    const t = opts.now().getTime();
    const all = slots(prefix, name, key, limits, t);
    if (all.length === 0) return decide(all, [], count, t);
    const keys = all.flatMap((s) => [s.previous, s.current]);
    // A window's key lives until it can no longer be anyone's previous window.
    const args = all.flatMap((s) => [String(s.limit.max), String(s.weight), String(Math.max(1, Math.ceil(s.end - t + s.limit.windowMs)))]);
    const flat = await scripts.sicoraRateCounter(keys.length, ...keys, ...args, count ? '1' : '0');
    const counts = all.map((_, i): [number, number] => [Number(flat[2 * i]), Number(flat[2 * i + 1])]);
    return decide(all, counts, count, t);
  };
  return {
    kind: 'redis',
    hit: (name, key, limits) => run(name, key, limits, true),
    peek: (name, key, limits) => run(name, key, limits, false),
    healthy: () => redis.status === 'ready',
    async close() {
      if (own) redis.disconnect();
    },
  };
}
