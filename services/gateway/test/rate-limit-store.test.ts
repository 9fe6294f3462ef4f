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
});
