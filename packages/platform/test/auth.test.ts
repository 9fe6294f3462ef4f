import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalVerifier, createRemoteVerifier, currentUser, registerAuth, requireAuth, requireRole, type TokenVerifier } from '../src/auth.ts';
import { ok } from '../src/reply.ts';
import { normalizeRole } from '../src/roles.ts';
import { createServer, type App } from '../src/server.ts';
import { expectError, expectOk } from '../src/testing/http.ts';
import { createTestKeys, mintToken, type TestKeys } from '../src/testing/keys.ts';

const JWT = { issuer: 'sicora', audience: 'sicora-api' };

/** A real JWKS endpoint whose answer and availability each test controls, counting its hits. */
interface JwksServer {
  url: string;
  hits: number;
  keys: JSONWebKeySet['keys'];
  status: number;
  raw?: string;
  close(): Promise<void>;
}

async function startJwksServer(keys: JSONWebKeySet['keys']): Promise<JwksServer> {
  const state = { hits: 0, keys, status: 200, raw: undefined as string | undefined };
  const server: Server = createHttpServer((req, res) => {
    state.hits += 1;
    res.writeHead(state.status, { 'content-type': 'application/json' });
    res.end(state.raw ?? JSON.stringify(state.status === 200 ? { keys: state.keys } : { error: 'down' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A URL where nothing listens: a port taken from a server that was then closed. */
async function deadUrl(): Promise<string> {
  const s = await startJwksServer([]);
  const url = s.url;
  await s.close();
  return url;
}

const apps: App[] = [];
async function buildApp(verifier: TokenVerifier): Promise<App> {
  const app = await createServer({
    name: 'probe',
    config: { logLevel: 'silent', corsOrigins: ['http://localhost:5173'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' },
  });
  registerAuth(app, verifier);
  app.get('/me', { preHandler: requireAuth() }, async (request) => {
    const { token, ...user } = currentUser(request);
    return ok(request, { ...user, token_kept: token === request.headers.authorization?.slice(7) });
  });
  app.get('/staff', { preHandler: requireAuth({ roles: ['admin', 'coordinador'] }) }, async (request) => ok(request, { role: currentUser(request).role }));
  app.get('/apprentices-only', { preHandler: requireRole('aprendiz') }, async (request) => ok(request, { role: currentUser(request).role }));
  app.post('/auth/change-password', { preHandler: requireAuth({ allowPasswordChange: true }) }, async (request) => ok(request, { sub: currentUser(request).sub }));
  app.get('/public', async (request) => ok(request, { user: request.user }));
  await app.ready();
  apps.push(app);
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let ed: TestKeys;
let rs: TestKeys;
let stranger: TestKeys;
const servers: JwksServer[] = [];

beforeAll(async () => {
  ed = await createTestKeys('EdDSA', 'ed-1');
  rs = await createTestKeys('RS256', 'rs-1');
  stranger = await createTestKeys('EdDSA', 'stranger-1');
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(servers.map((s) => s.close()));
});

async function jwks(keys: JSONWebKeySet['keys']) {
  const s = await startJwksServer(keys);
  servers.push(s);
  return s;
}

describe('remote JWKS verification', () => {
  let app: App;
  let server: JwksServer;

  beforeAll(async () => {
    server = await jwks([ed.publicJwk, rs.publicJwk]);
    app = await buildApp(createRemoteVerifier({ ...JWT, jwksUrl: server.url }));
  });

  it('when valid EdDSA and RS256 tokens are sent, then both are accepted and request.user holds the claims', async () => {
    const sub = '0b9c6f2e-3f4a-4c55-9e1f-1c2d3e4f5a6b';
    const edToken = await mintToken(ed, { sub, role: 'aprendiz', group_id: 'a3a7b2c4-0000-4000-8000-000000000001', group_number: '2826503' });
    const user = expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(edToken) }));
    expect(user).toMatchObject({
      sub,
      role: 'aprendiz',
      email: 'prueba@sicora.test',
      name: 'Usuario de Prueba',
      must_change_password: false,
      group_id: 'a3a7b2c4-0000-4000-8000-000000000001',
      group_number: '2826503',
      token_kept: true,
    });
    expect(typeof user.jti).toBe('string');
    expect(user.exp - user.iat).toBe(3600);

    const rsUser = expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(await mintToken(rs, { role: 'instructor' })) }));
    expect(rsUser.role).toBe('instructor');
    expect(rsUser.group_id).toBeUndefined();
    expect(server.hits).toBe(1);
  });

  it('when the token expired, then 401 TOKEN_EXPIRED with an invalid_token challenge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintToken(ed, {}, { issuedAt: now - 4000, expiresIn: 3600 });
    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });
    expectError(res, 401, 'TOKEN_EXPIRED');
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('when the audience or the issuer is wrong, then 401 INVALID_TOKEN', async () => {
    const wrongAud = await mintToken(ed, {}, { audience: 'other-api' });
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(wrongAud) }), 401, 'INVALID_TOKEN');
    const wrongIss = await mintToken(ed, {}, { issuer: 'evil' });
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(wrongIss) }), 401, 'INVALID_TOKEN');
  });

  it('when the token is signed by a key not in the JWKS, or claims a known kid with a foreign key, then 401 INVALID_TOKEN', async () => {
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(await mintToken(stranger)) }), 401, 'INVALID_TOKEN');
    const spoofed = await mintToken(stranger, {}, { kid: ed.kid });
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(spoofed) }), 401, 'INVALID_TOKEN');
  });

  it('when an unsigned alg "none" token is sent, then 401 INVALID_TOKEN', async () => {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url({ alg: 'none', typ: 'JWT', kid: ed.kid });
    const payload = b64url({ sub: 'x', role: 'admin', jti: 'j', iat: now, exp: now + 600, iss: 'sicora', aud: 'sicora-api' });
    for (const token of [`${header}.${payload}.`, `${header}.${payload}`]) {
      expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }), 401, 'INVALID_TOKEN');
    }
  });

  it('when an HS256 token is signed with the public key as HMAC secret (algorithm confusion), then 401 INVALID_TOKEN', async () => {
    const sign = (secret: Uint8Array, kid: string) =>
      new SignJWT({ role: 'admin', must_change_password: false })
        .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
        .setSubject('attacker')
        .setIssuer('sicora')
        .setAudience('sicora-api')
        .setJti('j-1')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(secret);
    const pem = await exportSPKI((await importJWK(rs.publicJwk, 'RS256')) as CryptoKey);
    const secrets: Array<[Uint8Array, string]> = [
      [new TextEncoder().encode(JSON.stringify(ed.publicJwk)), ed.kid],
      [Buffer.from(String(ed.publicJwk.x), 'base64url'), ed.kid],
      [new TextEncoder().encode(pem), rs.kid],
    ];
    for (const [secret, kid] of secrets) {
      expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(await sign(secret, kid)) }), 401, 'INVALID_TOKEN');
    }
  });

  it('when the token has no kid, lacks a required claim or carries an unknown role, then 401 INVALID_TOKEN', async () => {
    const noKid = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
      .setSubject('u-1')
      .setIssuer('sicora')
      .setAudience('sicora-api')
      .setJti('j-2')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(ed.privateKey);
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(noKid) }), 401, 'INVALID_TOKEN');
    const noJti = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid: ed.kid })
      .setSubject('u-1')
      .setIssuer('sicora')
      .setAudience('sicora-api')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(ed.privateKey);
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(noJti) }), 401, 'INVALID_TOKEN');
    const badRole = await mintToken(ed, { role: 'superuser' });
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(badRole) }), 401, 'INVALID_TOKEN');
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer('not.a.jwt') }), 401, 'INVALID_TOKEN');
  });

  it('when no usable Authorization header is sent, then 401 UNAUTHENTICATED with the Bearer challenge', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer' }, bearer('x'.repeat(9000))]) {
      const res = await app.inject({ method: 'GET', url: '/me', headers });
      expectError(res, 401, 'UNAUTHENTICATED');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="sicora"');
    }
  });

  it('when a route is not protected, then request.user stays null', async () => {
    expect(expectOk(await app.inject({ method: 'GET', url: '/public', headers: bearer(await mintToken(ed)) }))).toEqual({ user: null });
  });

  it('when the role is not allowed, then 403 INSUFFICIENT_PERMISSIONS listing the required roles', async () => {
    const res = await app.inject({ method: 'GET', url: '/staff', headers: bearer(await mintToken(ed, { role: 'instructor' })) });
    const error = expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
    expect(error.details).toEqual({ required_roles: ['admin', 'coordinador'] });
    const allowed = await app.inject({ method: 'GET', url: '/staff', headers: bearer(await mintToken(rs, { role: 'coordinador' })) });
    expect(expectOk(allowed)).toEqual({ role: 'coordinador' });
  });

  it('when the password must be changed, then 403 PASSWORD_CHANGE_REQUIRED links to change-password, which stays usable', async () => {
    const token = await mintToken(ed, { role: 'admin', must_change_password: true });
    const res = await app.inject({ method: 'GET', url: '/me', headers: bearer(token) });
    expectError(res, 403, 'PASSWORD_CHANGE_REQUIRED');
    expect(res.json().links).toEqual({ change_password: { href: '/api/v1/auth/change-password', method: 'POST' } });
    expectError(await app.inject({ method: 'GET', url: '/staff', headers: bearer(token) }), 403, 'PASSWORD_CHANGE_REQUIRED');
    const change = await app.inject({ method: 'POST', url: '/auth/change-password', headers: bearer(token) });
    expect(expectOk(change).sub).toBeTypeOf('string');
  });

  it('when the token carries an English or mixed-case role alias, then it is normalised', async () => {
    const res = await app.inject({ method: 'GET', url: '/apprentices-only', headers: bearer(await mintToken(ed, { role: 'Apprentice' })) });
    expect(expectOk(res)).toEqual({ role: 'aprendiz' });
    const refused = await app.inject({ method: 'GET', url: '/apprentices-only', headers: bearer(await mintToken(ed, { role: 'admin' })) });
    expect(expectError(refused, 403, 'INSUFFICIENT_PERMISSIONS').details).toEqual({ required_roles: ['aprendiz'] });
    const coord = await app.inject({ method: 'GET', url: '/staff', headers: bearer(await mintToken(ed, { role: 'COORDINATOR' })) });
    expect(expectOk(coord)).toEqual({ role: 'coordinador' });
    expect(['administrative', ' admin ', 'Service', 'nobody'].map(normalizeRole)).toEqual(['administrativo', 'admin', 'service', undefined]);
  });

  it('when readiness is asked with keys held, then jwks is ok', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toEqual({ jwks: 'ok' });
  });
});

describe('key rotation and outages', () => {
  it('when a new key appears in the JWKS, then an unknown kid refetches it, at most once per cooldown', async () => {
    let clock = Date.now();
    const server = await jwks([ed.publicJwk]);
    const verifier = createRemoteVerifier({ ...JWT, jwksUrl: server.url, cooldownMs: 30_000, now: () => clock });
    const app = await buildApp(verifier);
    const get = async (token: string) => app.inject({ method: 'GET', url: '/me', headers: bearer(token) });

    expectOk(await get(await mintToken(ed)));
    expect(server.hits).toBe(1);

    const rotated = await createTestKeys('EdDSA', 'ed-2');
    server.keys = [ed.publicJwk, rotated.publicJwk];
    clock += 31_000;
    expectOk(await get(await mintToken(rotated)));
    expect(server.hits).toBe(2);
    expect(verifier.keyIds()).toEqual(['ed-1', 'ed-2']);

    // Unknown kids inside the cooldown do not reach the users service again.
    for (let i = 0; i < 3; i += 1) expectError(await get(await mintToken(stranger)), 401, 'INVALID_TOKEN');
    expect(server.hits).toBe(2);

    const third = await createTestKeys('RS256', 'rs-3');
    server.keys = [rotated.publicJwk, third.publicJwk];
    clock += 5_000;
    expectError(await get(await mintToken(third)), 401, 'INVALID_TOKEN');
    expect(server.hits).toBe(2);
    clock += 30_000;
    expectOk(await get(await mintToken(third)));
    expect(server.hits).toBe(3);
    // The retired key is gone after the refetch.
    expectError(await get(await mintToken(ed)), 401, 'INVALID_TOKEN');
  });

  it('when the JWKS was never loaded and the users service is down, then 503 SERVICE_UNAVAILABLE, not 401, until it answers', async () => {
    let clock = Date.now();
    const server = await jwks([ed.publicJwk]);
    server.status = 500;
    const app = await buildApp(createRemoteVerifier({ ...JWT, jwksUrl: server.url, retryMs: 1000, now: () => clock }));
    const token = await mintToken(ed);
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }), 503, 'SERVICE_UNAVAILABLE');
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }), 503, 'SERVICE_UNAVAILABLE');
    expect(server.hits).toBe(1);
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.jwks).toBe('error');

    server.status = 200;
    clock += 1_000;
    expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    expect(server.hits).toBe(2);
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('when nothing listens at the JWKS URL, or it publishes an empty set, then 503 SERVICE_UNAVAILABLE', async () => {
    const unreachable = await buildApp(createRemoteVerifier({ ...JWT, jwksUrl: await deadUrl(), fetchTimeoutMs: 500 }));
    expectError(await unreachable.inject({ method: 'GET', url: '/me', headers: bearer(await mintToken(ed)) }), 503, 'SERVICE_UNAVAILABLE');
    const empty = await jwks([]);
    const emptyApp = await buildApp(createRemoteVerifier({ ...JWT, jwksUrl: empty.url }));
    expectError(await emptyApp.inject({ method: 'GET', url: '/me', headers: bearer(await mintToken(ed)) }), 503, 'SERVICE_UNAVAILABLE');
    expect(empty.hits).toBe(1);
  });

  it('when a later refresh fails, then the keys already held keep working and retries wait a cooldown', async () => {
    let clock = Date.now();
    const server = await jwks([ed.publicJwk]);
    const verifier = createRemoteVerifier({ ...JWT, jwksUrl: server.url, refreshMs: 60_000, cooldownMs: 30_000, now: () => clock });
    const app = await buildApp(verifier);
    const token = await mintToken(ed);
    expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    expect(server.hits).toBe(1);

    server.status = 503;
    clock += 61_000;
    // This request starts the background refresh, which fails; the request itself is served from the cache.
    expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    await vi.waitFor(() => expect(server.hits).toBe(2));
    for (let i = 0; i < 3; i += 1) expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    expect(server.hits).toBe(2);
    expect(verifier.hasKeys()).toBe(true);

    // Malformed answers are failures too, never a reason to drop the keys.
    server.status = 200;
    server.raw = '{"keys": "nope"}';
    clock += 31_000;
    expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    await vi.waitFor(() => expect(server.hits).toBe(3));
    // refresh() joins the refresh in flight (or is held back by the cooldown): either way no new fetch.
    expect(await verifier.refresh()).toBe(false);
    expect(server.hits).toBe(3);
    expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    expect(verifier.keyIds()).toEqual(['ed-1']);
  });

  it('when the JWKS holds a malformed entry beside a good key, then the good key still verifies', async () => {
    const server = await jwks([ed.publicJwk]);
    server.raw = JSON.stringify({ keys: ['garbage', null, ed.publicJwk] });
    const app = await buildApp(createRemoteVerifier({ ...JWT, jwksUrl: server.url }));
    expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(await mintToken(ed)) }));
  });
});

describe('local verifier', () => {
  it('when built over a key-set function, then it follows the set it returns', async () => {
    let set: JSONWebKeySet = { keys: [] };
    const verifier = createLocalVerifier(() => set, { ...JWT, clockToleranceSeconds: 0 });
    expect(verifier.hasKeys()).toBe(false);
    await expect(verifier.verify(await mintToken(ed))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    set = ed.jwks;
    expect(verifier.hasKeys()).toBe(true);
    expect(verifier.keyIds()).toEqual(['ed-1']);
    await expect(verifier.verify(await mintToken(ed, { role: 'admin' }))).resolves.toMatchObject({ role: 'admin' });
    await expect(verifier.verify(await mintToken(rs))).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });

  it('when a fixed clock is given, then expiry is judged against it', async () => {
    const token = await mintToken(ed, {}, { expiresIn: 600 });
    const later = createLocalVerifier(ed.jwks, { ...JWT, clockToleranceSeconds: 0, now: () => Date.now() + 601_000 });
    await expect(later.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    const earlier = createLocalVerifier(ed.jwks, { ...JWT, now: () => Date.now() });
    await expect(earlier.verify(token)).resolves.toMatchObject({ must_change_password: false });
  });
});
