/**
 * Rate-limit counter stores (gateway.md R16–R17, R22, R26): the same sliding-window counter in memory
 * (one instance) or in Redis (shared by every instance, one atomic Lua script per request, covering
 * every policy that request is checked against, so a request costs one round trip).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';
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
  /**
   * Several checks of one request, decided in order in one step: each allowed one is counted, and the
   * first refusal ends the list (it and the checks after it count nothing, R18). Resolves the verdicts
   * decided, the last one being the refusal if there was one.
   */
  hitAll(reqs: readonly LimitRequest[]): Promise<LimitVerdict[]>;
  /** The current estimate without counting (P5). */
  peek(req: LimitRequest): Promise<{ estimate: number; remaining: number; resetSeconds: number }>;
  /** Deletes both windows of a key (P6); resolves how many counters were removed. */
  reset(policy: string, key: string, windowSeconds: number): Promise<number>;
  healthy(): boolean;
  close(): Promise<void>;
}

export function createMemoryStore(now: () => number): RateLimitStore {
  const counts = new Map<string, number>();
  const id = (policy: string, key: string, index: number) => `${policy}\u0000${key}\u0000${index}`;
  let sweeps = 0;
  const sweep = (index: number, policy: string, key: string) => {
    counts.delete(id(policy, key, index - 2));
    // Stale windows of idle keys: dropped now and then so memory stays bounded.
    if (++sweeps % 10_000 === 0 && counts.size > 100_000) counts.clear();
  };
  const hitOne = (req: LimitRequest): LimitVerdict => {
    const pos = windowPosition(now(), req.windowSeconds);
    const prev = counts.get(id(req.policy, req.key, pos.index - 1)) ?? 0;
    const cur = counts.get(id(req.policy, req.key, pos.index)) ?? 0;
    const v = verdict(prev, cur, pos, req.limit, req.windowSeconds);
    if (v.allowed) counts.set(id(req.policy, req.key, pos.index), cur + 1);
    sweep(pos.index, req.policy, req.key);
    return v;
  };
  return {
    kind: 'memory',
    async hit(req) {
      return hitOne(req);
    },
    async hitAll(reqs) {
      const out: LimitVerdict[] = [];
      for (const req of reqs) {
        const v = hitOne(req);
        out.push(v);
        if (!v.allowed) break;
      }
      return out;
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

/**
 * For each check of one request (KEYS: its previous and current window; ARGV: limit, elapsed fraction,
 * expiry in ms), reads both windows, decides and increments in one atomic step, so concurrent instances
 * never overshoot; the first refusal stops the loop (R18). Returns allowed, previous, current per check.
 */
const HIT_ALL_SCRIPT = `
local out = {}
for i = 1, #KEYS / 2 do
  local a = 3 * (i - 1)
  local prev = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local cur = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local allowed = 0
  if prev * (1 - tonumber(ARGV[a + 2])) + cur + 1 <= tonumber(ARGV[a + 1]) + 0.000000001 then
    -- Expiry set once, when the window's key is created: 2 windows from then outlive its use as previous.
    if redis.call('INCR', KEYS[2 * i]) == 1 then
      redis.call('PEXPIRE', KEYS[2 * i], ARGV[a + 3])
    end
    allowed = 1
  end
  out[#out + 1] = allowed
  out[#out + 1] = prev
  out[#out + 1] = cur
  if allowed == 0 then break end
end
return out
`;

/** ioredis's command for the script: EVALSHA, falling back to EVAL once per connection (NOSCRIPT). */
interface RateLimitCommands {
  sicoraRateLimit(numKeys: number, ...keysThenArgs: string[]): Promise<number[]>;
}

const STORE_TIMEOUT_MS = 50;
const HASHED_KEYS_MAX = 10_000;

export function createRedisStore(url: string, opts: { prefix?: string; now: () => number; onError?: (err: unknown) => void }): RateLimitStore {
  const now = opts.now;
  const prefix = opts.prefix ?? 'sicora';
  // ioredis is loaded here, on the Redis path only: the embedded default (no REDIS_URL) never loads it.
  const { Redis } = createRequire(import.meta.url)('ioredis') as { Redis: typeof RedisClient };
  // No offline queue: while Redis is away a call fails at once instead of waiting (R16, R25).
  const redis: RedisClient = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    connectTimeout: 1_000,
    // R16/R25: a call not answered within 50 ms fails (and the policy's failure mode applies).
    commandTimeout: STORE_TIMEOUT_MS,
    // No auto-pipelining: measured under the R60 load it cost the gateway more CPU per request (its
    // per-tick Pipeline objects) than the writes it saved.
    enableAutoPipelining: false,
  });
  redis.on('error', (err) => opts.onError?.(err));
  redis.defineCommand('sicoraRateLimit', { lua: HIT_ALL_SCRIPT });
  const scripts = redis as unknown as RateLimitCommands;
  // The same few keys (one per client address or user) come back on every request: their SHA-1 is kept.
  const hashed = new Map<string, string>();
  const sha1Of = (key: string) => {
    let h = hashed.get(key);
    if (h === undefined) {
      if (hashed.size >= HASHED_KEYS_MAX) hashed.clear();
      hashed.set(key, (h = createHash('sha1').update(key).digest('hex')));
    }
    return h;
  };
  const keyOf = (policy: string, key: string, index: number) => `${prefix}:rl:${policy}:${sha1Of(key)}:${index}`;

  async function hitAll(reqs: readonly LimitRequest[]): Promise<LimitVerdict[]> {
    if (reqs.length === 0) return [];
    const t = now();
    const positions = reqs.map((req) => windowPosition(t, req.windowSeconds));
    const keys: string[] = [];
    const args: string[] = [];
    reqs.forEach((req, i) => {
      keys.push(keyOf(req.policy, req.key, positions[i].index - 1), keyOf(req.policy, req.key, positions[i].index));
      args.push(String(req.limit), String(positions[i].fraction), String(req.windowSeconds * 2 * 1000));
    });
    const flat = await scripts.sicoraRateLimit(keys.length, ...keys, ...args);
    const out: LimitVerdict[] = [];
    for (let i = 0; i * 3 < flat.length; i++) {
      const [allowed, prev, cur] = [Number(flat[3 * i]), Number(flat[3 * i + 1]), Number(flat[3 * i + 2])];
      const v = verdict(prev, cur, positions[i], reqs[i].limit, reqs[i].windowSeconds);
      // The script's decision is the one that counted; the arithmetic above only supplies the headers.
      out.push({ ...v, allowed: allowed === 1, retryAfterSeconds: allowed === 1 ? 0 : v.retryAfterSeconds || 1 });
    }
    return out;
  }

  return {
    kind: 'redis',
    async hit(req) {
      return (await hitAll([req]))[0];
    },
    hitAll,
    async peek(req) {
      const pos = windowPosition(now(), req.windowSeconds);
      const [prev, cur] = await redis.mget(keyOf(req.policy, req.key, pos.index - 1), keyOf(req.policy, req.key, pos.index));
      const p = Number(prev ?? 0);
      const c = Number(cur ?? 0);
      const v = verdict(p, c, pos, req.limit, req.windowSeconds);
      return { estimate: p * (1 - pos.fraction) + c, remaining: v.remaining, resetSeconds: v.resetSeconds };
    },
    async reset(policy, key, windowSeconds) {
      const { index } = windowPosition(now(), windowSeconds);
      return redis.del(keyOf(policy, key, index - 1), keyOf(policy, key, index));
    },
    healthy: () => redis.status === 'ready',
    async close() {
      redis.disconnect();
    },
  };
}
