/**
 * Verified tokens cached until expiry (issue 11): a bearer token repeated within its lifetime costs no
 * signature check, while whatever a service checks after verification still runs on every request.
 * Signature checks are counted where jose makes them: WebCrypto's `crypto.subtle.verify`.
 */
import type { JSONWebKeySet } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalVerifier, currentUser, registerAuth, requireAuth, type TokenVerifier } from '../src/auth.ts';
import { errors } from '../src/errors.ts';
import { ok } from '../src/reply.ts';
import { createServer, type App } from '../src/server.ts';
import { expectError, expectOk } from '../src/testing/http.ts';
import { createTestKeys, mintToken, type TestKeys } from '../src/testing/keys.ts';

const JWT = { issuer: 'sicora', audience: 'sicora-api' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let ed: TestKeys;
let other: TestKeys;
const apps: App[] = [];

beforeAll(async () => {
  ed = await createTestKeys('EdDSA', 'cache-ed');
  other = await createTestKeys('EdDSA', 'cache-other');
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

/** Counts the signature checks made from now on. */
function countSignatureChecks() {
  return vi.spyOn(crypto.subtle, 'verify');
}

/**
 * An app whose route runs a revocation check after the token is verified, as the users service does
 * (a revoked `jti`, a deactivated account): such checks must see every request.
 */
async function appWithRevocation(verifier: TokenVerifier, revoked: Set<string>): Promise<App> {
  const app = await createServer({
    name: 'probe',
    config: { logLevel: 'silent', corsOrigins: ['http://localhost:5173'], bodyLimit: 4096, publicBaseUrl: 'http://localhost:8000' },
  });
  registerAuth(app, verifier, { readiness: false });
  app.get('/me', { preHandler: requireAuth() }, async (request) => {
    const user = currentUser(request);
    if (revoked.has(user.jti)) throw errors.tokenRevoked();
    return ok(request, { sub: user.sub, role: user.role });
  });
  await app.ready();
  apps.push(app);
  return app;
}

describe('verified-token cache', () => {
  it('when the same token comes back, then its signature is not checked again and each request gets its own copy of the claims', async () => {
    const verifier = createLocalVerifier(ed.jwks, JWT);
    const token = await mintToken(ed, { role: 'instructor' });
    const checks = countSignatureChecks();
    const first = await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(1);
    first.role = 'admin';
    const second = await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(second).toMatchObject({ sub: first.sub, role: 'instructor', token });
    await verifier.verify(await mintToken(ed));
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('when requests repeat a token over HTTP, then one signature check serves them, and a revocation found after verification still refuses the next one', async () => {
    const verifier = createLocalVerifier(ed.jwks, JWT);
    const revoked = new Set<string>();
    const app = await appWithRevocation(verifier, revoked);
    const token = await mintToken(ed, { role: 'coordinador' });
    const checks = countSignatureChecks();
    for (let i = 0; i < 3; i++) expectOk(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }));
    expect(checks).toHaveBeenCalledTimes(1);
    revoked.add((await verifier.verify(token)).jti);
    expectError(await app.inject({ method: 'GET', url: '/me', headers: bearer(token) }), 401, 'TOKEN_REVOKED');
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('when a cached token reaches its exp, then it is refused as expired, as an uncached one is', async () => {
    let clock = Date.now();
    const verifier = createLocalVerifier(ed.jwks, { ...JWT, clockToleranceSeconds: 0, now: () => clock });
    const token = await mintToken(ed, {}, { expiresIn: 60 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'admin' });
    clock += 30_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'admin' });
    clock += 31_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('when a cached token is past exp but within the clock tolerance, then the full check decides (and accepts), never the cache', async () => {
    let clock = Date.now();
    const verifier = createLocalVerifier(ed.jwks, { ...JWT, clockToleranceSeconds: 30, now: () => clock });
    const token = await mintToken(ed, {}, { expiresIn: 60 });
    const checks = countSignatureChecks();
    await verifier.verify(token);
    clock += 70_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'admin' });
    expect(checks).toHaveBeenCalledTimes(2);
    clock += 30_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('when more tokens than the bound are verified, then the least recently used one is dropped and checked again', async () => {
    const verifier = createLocalVerifier(ed.jwks, { ...JWT, cacheSize: 2 });
    const [a, b, c] = await Promise.all([mintToken(ed), mintToken(ed), mintToken(ed)]);
    const checks = countSignatureChecks();
    for (const token of [a, b, c]) await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(3);
    await verifier.verify(c); // held: the bound is 2 (b and c)
    expect(checks).toHaveBeenCalledTimes(3);
    await verifier.verify(a); // dropped when c came: checked again, and b (least recently used) goes
    expect(checks).toHaveBeenCalledTimes(4);
    await verifier.verify(c);
    expect(checks).toHaveBeenCalledTimes(4);
    await verifier.verify(b);
    expect(checks).toHaveBeenCalledTimes(5);
  });

  it('when the cache size is 0, then every call checks the signature', async () => {
    const verifier = createLocalVerifier(ed.jwks, { ...JWT, cacheSize: 0 });
    const token = await mintToken(ed);
    const checks = countSignatureChecks();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('when the key set changes, then cached tokens are forgotten: a removed key refuses its tokens, an emptied set answers 503', async () => {
    let set: JSONWebKeySet = { keys: [ed.publicJwk, other.publicJwk] };
    const verifier = createLocalVerifier(() => set, JWT);
    const token = await mintToken(ed);
    await verifier.verify(token);
    set = other.jwks;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    set = { keys: [ed.publicJwk] };
    await expect(verifier.verify(token)).resolves.toMatchObject({ role: 'admin' });
    set = { keys: [] };
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('when a token is refused, then nothing is cached: the same token is refused again with the same code', async () => {
    const verifier = createLocalVerifier(ed.jwks, JWT);
    const foreign = await mintToken(ed, {}, { audience: 'another-api' });
    const checks = countSignatureChecks();
    await expect(verifier.verify(foreign)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    await expect(verifier.verify(foreign)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    expect(checks).toHaveBeenCalledTimes(2);
  });
});
