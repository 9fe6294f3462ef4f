import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { resetUpstreams } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());
beforeEach(() => resetUpstreams(h.fakes));

/** A fresh client address per test, sent through the trusted loopback hop (R8). */
const ipOf = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

describe('US-GW-06 per-user and per-IP limits', () => {
  it('when policy user is 5 per 60 s, then the 6th request of one user is 429 with Retry-After, a second user still passes, and P6 clears the key', async () => {
    expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/user', payload: { limit: 5, window_seconds: 60 } }), 200);
    try {
      const sub = randomUUID();
      const token = await h.token({ sub, role: 'instructor' });
      const remaining: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token });
        expect(res.statusCode).toBe(200);
        for (const header of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy']) expect(res.headers[header]).toBeDefined();
        expect(res.headers['ratelimit-policy']).toBe('5;w=60');
        remaining.push(Number(res.headers['ratelimit-remaining']));
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
      const sixth = await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token });
      const error = expectError(sixth, 429, 'RATE_LIMITED');
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(error.details).toMatchObject({ policy: 'user', limit: 5, window_seconds: 60 });
      expect(sixth.headers['ratelimit-remaining']).toBe('0');
      expect(h.fakes.upstreams.kb.hits).toHaveLength(5);
      expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: await h.token({ role: 'instructor' }) }), 200);

      const peek = expectOk(await h.inject({ method: 'GET', url: `/api/v1/gateway/rate-limits?policy=user&key=user:${sub}` }), 200);
      expect(peek).toMatchObject({ policy: 'user', limit: 5, remaining: 0 });
      expect(expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/rate-limits/reset', payload: { policy: 'user', key: `user:${sub}` } }), 200).cleared).toBeGreaterThanOrEqual(1);
      expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token }), 200);
      const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/gateway_rate_limit_rejections_total\{policy="user"[^}]*\} [1-9]/);
      // R48: the request histogram names the rule, never the raw path.
      expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*route="kb"[^}]*status="429"\} [1-9]/);
      expect(metrics).not.toContain('route="/api/v1/kb/items"');
    } finally {
      await h.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/user', payload: { limit: 600 } });
    }
  });
});

describe('US-GW-07 stricter auth limits', () => {
  it('when 100 logins come from one IP, then the 101st is 429 while a refresh and a signed-in kb read from that IP still pass', async () => {
    const ip = ipOf();
    for (let i = 0; i < 100; i++) {
      const res = await h.inject({ method: 'POST', url: '/api/v1/auth/login', auth: null, headers: { 'x-forwarded-for': ip }, payload: {} });
      expect(res.statusCode).toBe(200);
    }
    const refused = await h.inject({ method: 'POST', url: '/api/v1/auth/login', auth: null, headers: { 'x-forwarded-for': ip }, payload: {} });
    expect(expectError(refused, 429, 'RATE_LIMITED').details).toMatchObject({ policy: 'auth', limit: 100 });
    expect(refused.headers['ratelimit-policy']).toBe('100;w=60');
    expect((await h.inject({ method: 'POST', url: '/api/v1/auth/refresh', auth: null, headers: { 'x-forwarded-for': ip }, payload: {} })).statusCode).toBe(200);
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items', headers: { 'x-forwarded-for': ip } }), 200);
  });

  it('when 20 forgot-password requests come from one IP, then the 21st is 429 with RateLimit-Policy 20;w=900', async () => {
    const ip = ipOf();
    for (let i = 0; i < 20; i++) {
      expect((await h.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', auth: null, headers: { 'x-forwarded-for': ip }, payload: {} })).statusCode).toBe(200);
    }
    const refused = await h.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', auth: null, headers: { 'x-forwarded-for': ip }, payload: {} });
    expectError(refused, 429, 'RATE_LIMITED');
    expect(refused.headers['ratelimit-policy']).toBe('20;w=900');
    expect(h.fakes.upstreams.users.hits.filter((x) => x.url === '/api/v1/auth/forgot-password')).toHaveLength(20);
  });
});

describe('one store call per request (R17; FR of R61)', () => {
  it('when a known token passes ip-ceiling and user, then both are decided in one store call; a new token is verified only after its ceiling; a refused token still counts against ip-ceiling', async () => {
    const store = h.app.gatewayRuntime.limiter.store;
    const original = store.hitAll;
    const calls: string[][] = [];
    store.hitAll = (reqs) => {
      calls.push(reqs.map((r) => r.policy));
      return original.call(store, reqs);
    };
    try {
      const ip = ipOf();
      const token = await h.token({ role: 'instructor' });
      const read = (auth: string | null) => h.inject({ method: 'GET', url: '/api/v1/kb/items', auth, headers: { 'x-forwarded-for': ip } });
      expectOk(await read(token), 200);
      expect(calls).toEqual([['ip-ceiling'], ['user']]);
      calls.length = 0;
      const again = await read(token);
      expectOk(again, 200);
      expect(calls).toEqual([['ip-ceiling', 'user']]);
      expect(again.headers['ratelimit-policy']).toBe('600;w=60');
      calls.length = 0;
      expect((await h.inject({ method: 'POST', url: '/api/v1/auth/login', auth: null, headers: { 'x-forwarded-for': ip }, payload: {} })).statusCode).toBe(200);
      expect(calls).toEqual([['ip-ceiling', 'auth']]);
      calls.length = 0;
      expectError(await read(null), 401, 'UNAUTHENTICATED');
      expect(calls).toEqual([['ip-ceiling']]);
      const ceiling = expectOk(await h.inject({ method: 'GET', url: `/api/v1/gateway/rate-limits?policy=ip-ceiling&key=ip:${ip}` }), 200);
      expect(ceiling.estimate).toBe(4);
    } finally {
      store.hitAll = original;
    }
  });
});
