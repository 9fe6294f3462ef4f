import { describe, expect, it } from 'vitest';
import { createMemoryStore, createRedisStore, type RateLimitStore } from '../src/infrastructure/rate-limit-store.ts';
import { uniquePrefix } from './harness.ts';

const W = 60_000;
const base = 1_000 * W; // the start of a window

const stores: Array<[string, (now: () => number) => RateLimitStore]> = [['memory', (now) => createMemoryStore(now)]];
if (process.env.REDIS_URL) stores.push(['redis', (now) => createRedisStore(process.env.REDIS_URL!, { prefix: uniquePrefix(), now })]);

describe.each(stores)('sliding window in the %s store (US-GW-06)', (_kind, make) => {
  it('when 4 were counted in the previous window and 2 in this one, 30 s in with limit 5, then the next is allowed and the one after refused', async () => {
    let t = base - W + 1_000;
    const store = make(() => t);
    if (store.kind === 'redis') await new Promise((r) => setTimeout(r, 100));
    const req = { policy: 'user', key: 'user:11111111-1111-4111-8111-111111111111', limit: 5, windowSeconds: 60 };
    // The counts are set up under a roomy limit; the decision under test uses 5.
    const setup = { ...req, limit: 100 };
    try {
      for (let i = 0; i < 4; i++) expect((await store.hit(setup)).allowed).toBe(true);
      t = base + 1_000;
      for (let i = 0; i < 2; i++) expect((await store.hit(setup)).allowed).toBe(true);
      t = base + 30_000;
      const allowed = await store.hit(req);
      expect(allowed).toMatchObject({ allowed: true, remaining: 0 });
      const refused = await store.hit(req);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      // A refused request is not counted (R18).
      expect((await store.peek(req)).estimate).toBe(5);
      expect(await store.reset('user', req.key, 60)).toBe(2);
      expect((await store.hit(req)).allowed).toBe(true);
    } finally {
      await store.reset('user', req.key, 60);
      await store.close();
    }
  });

  it('when one request is checked against two policies in one call, then each allowed one counts and a refusal counts nothing, neither its own nor the ones after it (R18)', async () => {
    const t = base + 10_000;
    const store = make(() => t);
    if (store.kind === 'redis') await new Promise((r) => setTimeout(r, 100));
    const ceiling = { policy: 'ip-ceiling', key: 'ip:192.0.2.77', limit: 10, windowSeconds: 60 };
    const user = { policy: 'user', key: 'user:22222222-2222-4222-8222-222222222222', limit: 2, windowSeconds: 60 };
    const ai = { policy: 'ai', key: user.key, limit: 100, windowSeconds: 60 };
    try {
      expect((await store.hitAll([ceiling, user])).map((v) => [v.allowed, v.remaining])).toEqual([[true, 9], [true, 1]]);
      expect((await store.hitAll([ceiling, user])).map((v) => v.allowed)).toEqual([true, true]);
      const third = await store.hitAll([ceiling, user, ai]);
      expect(third.map((v) => v.allowed)).toEqual([true, false]);
      expect(third[1].retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect((await store.peek(ceiling)).estimate).toBe(3);
      expect((await store.peek(user)).estimate).toBe(2);
      expect((await store.peek(ai)).estimate).toBe(0);
      // A refusal first: nothing is counted at all.
      expect((await store.hitAll([user, ceiling])).map((v) => v.allowed)).toEqual([false]);
      expect((await store.peek(ceiling)).estimate).toBe(3);
      expect(await store.hitAll([])).toEqual([]);
    } finally {
      for (const r of [ceiling, user, ai]) await store.reset(r.policy, r.key, 60);
      await store.close();
    }
  });
});

describe.runIf(process.env.REDIS_URL)('Redis counter keys (R17)', () => {
  it('when a window key is created and counted again, then it carries an expiry of at most two windows, so no counter outlives its use', async () => {
    const { Redis } = await import('ioredis');
    const { createHash } = await import('node:crypto');
    const prefix = uniquePrefix();
    const t = base + 5_000;
    const store = createRedisStore(process.env.REDIS_URL!, { prefix, now: () => t });
    const redis = new Redis(process.env.REDIS_URL!);
    const req = { policy: 'user', key: 'user:33333333-3333-4333-8333-333333333333', limit: 10, windowSeconds: 60 };
    try {
      await new Promise((r) => setTimeout(r, 100));
      await store.hitAll([req]);
      await store.hitAll([req]);
      const key = `${prefix}:rl:user:${createHash('sha1').update(req.key).digest('hex')}:${Math.floor(t / W)}`;
      expect(await redis.get(key)).toBe('2');
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * W);
    } finally {
      await store.reset(req.policy, req.key, 60);
      await store.close();
      redis.disconnect();
    }
  });
});
