/**
 * The Redis side of the R14 limits (REDIS_URL set, so replicas share the counts): @fastify/rate-limit's
 * own Redis store (its INCR + PEXPIRE script), wrapped so a failing Redis is reported. The plugin's
 * `skipOnError` lets the request through (a login must not fail because a counter is down) but says
 * nothing; this wrapper logs each failed count.
 */
import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';

type Incr = FastifyRateLimitStore['incr'];

interface LibraryRedisStore {
  incr: Incr;
}

type RedisStoreCtor = new (continueExceeding: boolean, exponentialBackoff: boolean, redis: Redis, nameSpace: string) => LibraryRedisStore;

// Both modules are loaded on the Redis path only (REDIS_URL set): the embedded default never loads ioredis.
const load = createRequire(import.meta.url);

export function openRedis(url: string): Redis {
  const { Redis: RedisClient } = load('ioredis') as { Redis: typeof Redis };
  return new RedisClient(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: false });
}

/**
 * The plugin's `store` option: keys are `<nameSpace><key>`; the route keys already carry the limit's name
 * and window (`login:<window start>:<ip>`), so every route shares this one store instead of a per-route child.
 */
export function reportingRedisStore(redis: Redis, nameSpace: string, onError: (err: unknown, key: string) => void): FastifyRateLimitStoreCtor {
  // The package exports its stores only through the plugin's `redis` option; this is the same module file.
  const RedisStore = load('@fastify/rate-limit/store/RedisStore.js') as RedisStoreCtor;
  const inner = new RedisStore(false, false, redis, nameSpace);
  const store: FastifyRateLimitStore = {
    incr(key, callback, timeWindow, max) {
      inner.incr(key, (err, result) => {
        if (err) onError(err, key);
        callback(err, result);
      }, timeWindow, max);
    },
    child: () => store,
  };
  return function ReportingRedisStore() {
    return store;
  } as unknown as FastifyRateLimitStoreCtor;
}
