import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignJWT, UnsecuredJWT, base64url, decodeJwt } from 'jose';
import { Client } from 'undici';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createTestKeys, mintToken } from '@sicora/platform/testing/keys';
import { echo, type FakePlatform, type Handler } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let fakes: FakePlatform;
const revoked: Array<{ jti: string; expires_at: string }> = [];
const usersValidAfter: Array<{ user_id: string; tokens_valid_after: string }> = [];

/** The fake users service also answers the service token and the revocation feed (R11). */
const usersHandler: Handler = (req, res, body) => {
  if (req.url === '/api/v1/auth/service-token' && req.method === 'POST') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true, message: 'ok', data: { access_token: 'svc-token', expires_in: 900 } }));
    return;
  }
  if (req.url?.startsWith('/api/v1/auth/revocations') && req.headers.authorization === 'Bearer svc-token') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ success: true, message: 'ok', data: { revoked_jtis: revoked, users: usersValidAfter, until: new Date(Date.now() - 5_000).toISOString() } }));
    return;
  }
  echo(req, res, body);
};

beforeAll(async () => {
  h = await createHarness({ SERVICE_CLIENT_SECRET: 'secreto-de-prueba', GATEWAY_REVOCATION_POLL_MS: '200' });
  fakes = h.fakes;
});

afterAll(async () => h?.close());

beforeEach(() => {
  for (const u of Object.values(fakes.upstreams)) {
    u.hits.length = 0;
    u.handle = u.name === 'users' ? usersHandler : echo;
  }
});

const proxiedHits = () => Object.values(fakes.upstreams).reduce((n, u) => n + u.hits.filter((x) => x.headers['x-request-id']).length, 0);

describe('US-GW-02 local token verification', () => {
  it('when the users service rotates its key, then a token with the new kid triggers one refetch and is accepted; another unknown kid within 30 s fetches nothing (first: no kid refetch happened yet)', async () => {
    const next = await createTestKeys('EdDSA', `rotada-${randomUUID().slice(0, 6)}`);
    fakes.upstreams.users.jwks = { keys: [h.keys.publicJwk, next.publicJwk] };
    const before = fakes.upstreams.users.jwksFetches;
    const token = await mintToken(next, { sub: randomUUID(), role: 'aprendiz', group_id: randomUUID() });
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/attendance/summary', auth: token }), 200);
    expect(fakes.upstreams.users.jwksFetches).toBe(before + 1);
    const stranger = await createTestKeys('EdDSA', 'desconocida-2');
    expectError(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: await mintToken(stranger, {}) }), 401, 'INVALID_TOKEN');
    expect(fakes.upstreams.users.jwksFetches).toBe(before + 1);
  });

  it('when a valid token calls a protected route, then it is forwarded with X-User-Id and X-User-Role, and the JWKS is not fetched per request', async () => {
    const before = fakes.upstreams.users.jwksFetches;
    const sub = randomUUID();
    const token = await h.token({ sub, role: 'instructor' });
    for (let i = 0; i < 5; i++) expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token }), 200);
    const hit = fakes.upstreams.kb.hits.at(-1)!;
    expect(hit.headers['x-user-id']).toBe(sub);
    expect(hit.headers['x-user-role']).toBe('instructor');
    expect(hit.headers['x-user-group-id']).toBeUndefined();
    expect(fakes.upstreams.users.jwksFetches).toBe(before);
  });

  it('when tokens are expired, HS256 with the public key, alg none, for another audience or of an unknown kid, then 401 and nothing is forwarded', async () => {
    const expired = await mintToken(h.keys, { sub: randomUUID() }, { expiresIn: -120 });
    expect(expectError(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: expired }), 401, 'TOKEN_EXPIRED')).toBeDefined();
    const secret = new TextEncoder().encode(JSON.stringify(h.keys.publicJwk));
    const hs = await new SignJWT({ role: 'admin', jti: randomUUID() })
      .setProtectedHeader({ alg: 'HS256', kid: h.keys.kid })
      .setSubject(randomUUID()).setIssuer('sicora').setAudience('sicora-api').setIssuedAt().setExpirationTime('1h')
      .sign(secret);
    const none = new UnsecuredJWT({ role: 'admin', jti: randomUUID(), sub: randomUUID() }).setIssuer('sicora').setAudience('sicora-api').setIssuedAt().setExpirationTime('1h').encode();
    const noneWithKid = `${base64url.encode(JSON.stringify({ alg: 'none', kid: h.keys.kid }))}.${none.split('.')[1]}.`;
    const wrongAud = await mintToken(h.keys, { sub: randomUUID() }, { audience: 'otra-api' });
    const other = await createTestKeys('EdDSA', 'nunca-publicada');
    const unknownKid = await mintToken(other, { sub: randomUUID() });
    for (const token of [hs, noneWithKid, wrongAud, unknownKid, 'no-es-un-jwt']) {
      const res = await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token });
      expectError(res, 401, 'INVALID_TOKEN');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    }
    expect(proxiedHits()).toBe(0);
  });

  it('when the users service is down after the keys were loaded, then valid tokens keep working', async () => {
    const token = await h.token({ role: 'coordinador' });
    fakes.upstreams.users.jwks = undefined;
    await fakes.upstreams.users.stop();
    try {
      expectOk(await h.inject({ method: 'GET', url: '/api/v1/groups', auth: token }), 200);
    } finally {
      await fakes.upstreams.users.start();
      fakes.upstreams.users.jwks = h.keys.jwks;
    }
  });
});

describe('US-GW-03 public routes', () => {
  it('when rules 1–7 and 5a of §4.8 are called without a token, then each reaches the users service; /users/me gets 401 with WWW-Authenticate', async () => {
    const calls: Array<[string, string]> = [
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/refresh'],
      ['POST', '/api/v1/auth/forgot-password'],
      ['POST', '/api/v1/auth/reset-password'],
      ['GET', '/api/v1/auth/password-policy'],
      ['GET', '/api/v1/auth/demo-accounts'],
      ['POST', '/api/v1/auth/service-token'],
      ['GET', '/.well-known/jwks.json'],
    ];
    for (const [method, url] of calls) {
      const res = await h.inject({ method: method as 'GET', url, auth: null, headers: { 'x-request-id': `publica-${randomUUID()}` }, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode).toBe(200);
    }
    expect(fakes.upstreams.users.hits.filter((x) => x.headers['x-request-id']?.toString().startsWith('publica-')).map((x) => x.url)).toEqual(calls.map(([, u]) => u));
    const me = await h.inject({ method: 'GET', url: '/api/v1/users/me', auth: null });
    expectError(me, 401, 'UNAUTHENTICATED');
    expect(me.headers['www-authenticate']).toBe('Bearer realm="sicora"');
  });

  it('when no token is sent, then /health, /docs, /docs/json and the status page answer 200', async () => {
    for (const url of ['/health', '/docs', '/docs/json', '/api/v1/gateway/status/page']) {
      const res = await h.inject({ method: 'GET', url, auth: null });
      expect([200, 207]).toContain(res.statusCode);
      if (url !== '/health') expect(res.statusCode).toBe(200);
    }
  });
});

describe('US-GW-04 identity headers cannot be spoofed', () => {
  it('when an aprendiz sends X-User-Role admin, then the upstream sees aprendiz and the group; on a public route no X-User-* at all', async () => {
    const group = randomUUID();
    const token = await h.token({ role: 'aprendiz', group_id: group, group_number: '2826503' });
    await h.inject({ method: 'GET', url: '/api/v1/attendance/summary', auth: token, headers: { 'x-user-role': 'admin', 'x-user-id': 'x' } });
    const hit = fakes.upstreams.attendance.hits.at(-1)!;
    expect(hit.headers['x-user-role']).toBe('aprendiz');
    expect(hit.headers['x-user-group-id']).toBe(group);
    await h.inject({ method: 'POST', url: '/api/v1/auth/login', auth: token, payload: {}, headers: { 'x-user-role': 'admin' } });
    const login = fakes.upstreams.users.hits.filter((x) => x.url === '/api/v1/auth/login').at(-1)!;
    expect(Object.keys(login.headers).filter((k) => k.startsWith('x-user-'))).toEqual([]);
    expect(login.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('when X-Request-Id is abc12345 it is kept; when it is <script>, a new UUID is used', async () => {
    const ok = await h.inject({ method: 'GET', url: '/api/v1/kb/items', headers: { 'x-request-id': 'abc12345' } });
    expect(ok.headers['x-request-id']).toBe('abc12345');
    expect(fakes.upstreams.kb.hits.at(-1)!.headers['x-request-id']).toBe('abc12345');
    const bad = await h.inject({ method: 'GET', url: '/api/v1/kb/items', headers: { 'x-request-id': '<script>' } });
    expect(bad.headers['x-request-id']).toMatch(/^[\da-f]{8}-[\da-f]{4}-4/);
  });
});

describe('US-GW-05 coarse roles and forced password change', () => {
  it('when an aprendiz calls security events or the gateway API, then 403 with no upstream call; /users/me is forwarded', async () => {
    const token = await h.token({ role: 'aprendiz' });
    const res = await h.inject({ method: 'GET', url: '/api/v1/users/security-events', auth: token });
    expect(expectError(res, 403, 'INSUFFICIENT_PERMISSIONS').details).toEqual({ required_roles: ['admin'] });
    expectError(await h.inject({ method: 'GET', url: '/api/v1/gateway/status', auth: token }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject({ method: 'GET', url: '/api/v1/gateway/routes', auth: token }), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(proxiedHits()).toBe(0);
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/users/me', auth: token }), 200);
  });

  it('when must_change_password is set, then kb is refused with a change_password link and change-password is forwarded', async () => {
    const token = await h.token({ role: 'instructor', must_change_password: true });
    const res = await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token });
    expectError(res, 403, 'PASSWORD_CHANGE_REQUIRED');
    expect(res.json().links.change_password).toEqual({ href: '/api/v1/auth/change-password', method: 'POST' });
    expectOk(await h.inject({ method: 'POST', url: '/api/v1/auth/change-password', auth: token, payload: {} }), 200);
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/users/me', auth: token }), 200);
  });

  it('when the path hides a traversal (raw or encoded), then 400 INVALID_INPUT', async () => {
    const client = new Client(h.origin);
    try {
      for (const path of ['/api/v1/users/me/../security-events', '/api/v1/users/me%2F..%2Fsecurity-events']) {
        const res = await client.request({ path, method: 'GET', headers: { authorization: `Bearer ${await h.token({ role: 'aprendiz' })}` } });
        expect(res.statusCode).toBe(400);
        expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      }
    } finally {
      await client.close();
    }
  });

  it('when each role calls users routes, then the §4.8 roles decide (admin/coordinador/administrativo/instructor/service allowed, aprendiz refused)', async () => {
    for (const role of ['admin', 'coordinador', 'administrativo', 'instructor', 'service']) {
      expectOk(await h.inject({ method: 'GET', url: '/api/v1/users', auth: await h.token({ role }) }), 200);
    }
    expectError(await h.inject({ method: 'GET', url: '/api/v1/users', auth: await h.token({ role: 'aprendiz' }) }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject({ method: 'GET', url: '/api/v1/users', auth: null }), 401, 'UNAUTHENTICATED');
  });
});

describe('US-GW-22 revoked tokens', () => {
  it('when a jti is revoked by the feed, then 401 TOKEN_REVOKED; a user deactivated refuses older tokens and accepts later ones', async () => {
    const sub = randomUUID();
    const token = await mintToken(h.keys, { sub, role: 'instructor' });
    const jti = decodeJwt(token).jti!;
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token }), 200);
    revoked.push({ jti, expires_at: new Date(Date.now() + 3_600_000).toISOString() });
    await vi.waitFor(async () => expectError(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: token }), 401, 'TOKEN_REVOKED'), { timeout: 3_000, interval: 25 });

    const other = randomUUID();
    const old = await mintToken(h.keys, { sub: other, role: 'instructor' }, { issuedAt: Math.floor(Date.now() / 1000) - 60 });
    usersValidAfter.push({ user_id: other, tokens_valid_after: new Date(Date.now() - 10_000).toISOString() });
    await vi.waitFor(async () => expectError(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: old }), 401, 'TOKEN_REVOKED'), { timeout: 3_000, interval: 25 });
    const fresh = await mintToken(h.keys, { sub: other, role: 'instructor' });
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/kb/items', auth: fresh }), 200);
    const status = expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/status' }), 200);
    expect(status.revocation_feed.revoked_jtis).toBeGreaterThanOrEqual(1);
  });
});
