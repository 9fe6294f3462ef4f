import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import { startFakePlatform, type FakePlatform } from './fake-upstreams.ts';
import { startGateway, uniquePrefix } from './harness.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const REDIS_URL = process.env.REDIS_URL;

let db: TestDatabase;
let fakes: FakePlatform;
let keys: TestKeys;
let proxy: TcpProxy;
const apps: App[] = [];

async function gateway(env: Record<string, string>): Promise<App> {
  const { app } = await startGateway(fakes, db, env);
  apps.push(app);
  await vi.waitFor(() => expect(app.gatewayRuntime.hasKeys()).toBe(true), { timeout: 5_000, interval: 25 });
  return app;
}
const admin = () => mintToken(keys, { sub: randomUUID(), role: 'admin' });
const get = (app: App, url: string, token: string, ip = '192.0.2.10') =>
  app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip } });

// These stories need a real Redis (R59): they run whenever the suite runs with REDIS_URL.
describe.runIf(REDIS_URL)('rate limits shared through Redis', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    fakes = await startFakePlatform();
    keys = await createTestKeys();
    fakes.upstreams.users.jwks = keys.jwks;
    proxy = await startTcpProxy(REDIS_URL!);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await proxy?.stop().catch(() => undefined);
    await fakes?.stopAll();
    await db?.destroy();
  });

  it('US-GW-08: when one user alternates 6 requests between two gateways with user = 4/60 s, then 200 ×4 then 429 ×2; P3 on A reaches B within 6 s', async () => {
    const prefix = uniquePrefix();
    const a = await gateway({ REDIS_URL: REDIS_URL!, GATEWAY_REDIS_PREFIX: prefix });
    const b = await gateway({ REDIS_URL: REDIS_URL!, GATEWAY_REDIS_PREFIX: prefix });
    const token = await admin();
    expectOk(await a.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/user', headers: { authorization: `Bearer ${token}` }, payload: { limit: 4 } }), 200);
    await vi.waitFor(() => expect(b.gatewayRuntime.config.current().policies.get('user')!.limit).toBe(4), { timeout: 6_000, interval: 100 });
    const user = await mintToken(keys, { sub: randomUUID(), role: 'instructor' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(i % 2 === 0 ? a : b, '/api/v1/kb/items', user)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);

    const started = Date.now();
    expectOk(await a.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/user', headers: { authorization: `Bearer ${token}` }, payload: { limit: 10 } }), 200);
    expect((await get(a, '/api/v1/kb/items', user)).statusCode).toBe(200);
    await vi.waitFor(async () => expect((await get(b, '/api/v1/kb/items', user)).statusCode).toBe(200), { timeout: 6_000, interval: 100 });
    expect(Date.now() - started).toBeLessThan(6_500);
  }, 45_000);

  it('US-GW-09: when Redis goes away, then open mode forwards without headers, a closed policy answers 503, and both recover within 5 s with one shared counter', async () => {
    const prefix = uniquePrefix();
    const a = await gateway({ REDIS_URL: proxy.url, GATEWAY_REDIS_PREFIX: prefix, RATE_LIMIT_FAILURE_MODE: 'open', GATEWAY_CONFIG_POLL_MS: '200' });
    const b = await gateway({ REDIS_URL: proxy.url, GATEWAY_REDIS_PREFIX: prefix, RATE_LIMIT_FAILURE_MODE: 'open', GATEWAY_CONFIG_POLL_MS: '200' });
    const token = await admin();
    expectOk(await a.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/auth', headers: { authorization: `Bearer ${token}` }, payload: { failure_mode: 'closed' } }), 200);
    await vi.waitFor(() => expect(b.gatewayRuntime.config.current().policies.get('auth')!.failure_mode).toBe('closed'), { timeout: 3_000, interval: 25 });
    const user = await mintToken(keys, { sub: randomUUID(), role: 'instructor' });
    await vi.waitFor(async () => expect((await get(a, '/api/v1/kb/items', user)).headers['ratelimit-limit']).toBeDefined(), { timeout: 5_000, interval: 100 });

    await proxy.stop();
    await vi.waitFor(async () => expect((await get(a, '/api/v1/kb/items', user)).headers['ratelimit-limit']).toBeUndefined(), { timeout: 3_000, interval: 50 });
    const metric = async () => Number(/gateway_rate_limit_store_errors_total\{[^}]*\} (\d+)/.exec((await a.inject({ method: 'GET', url: '/metrics' })).body)?.[1] ?? 0);
    const errorsBefore = await metric();
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const res = await get(a, '/api/v1/kb/items', user);
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(150);
    }
    expect(await metric()).toBeGreaterThan(errorsBefore);
    const login = await a.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': '192.0.2.99' }, payload: {} });
    expect(expectError(login, 503, 'SERVICE_UNAVAILABLE').details).toMatchObject({ reason: 'rate_limit_store_unavailable' });

    await proxy.start();
    const back = Date.now();
    await vi.waitFor(async () => {
      const [ra, rb] = [await get(a, '/api/v1/kb/items', user), await get(b, '/api/v1/kb/items', user)];
      expect(ra.headers['ratelimit-limit']).toBeDefined();
      expect(rb.headers['ratelimit-limit']).toBeDefined();
    }, { timeout: 5_000, interval: 100 });
    expect(Date.now() - back).toBeLessThan(5_000);
    // One counter again: B sees the requests A counted.
    const r1 = Number((await get(a, '/api/v1/kb/items', user)).headers['ratelimit-remaining']);
    const r2 = Number((await get(b, '/api/v1/kb/items', user)).headers['ratelimit-remaining']);
    expect(r2).toBe(r1 - 1);
    expect((await a.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': '192.0.2.99' }, payload: {} })).statusCode).toBe(200);
  }, 45_000);
});
