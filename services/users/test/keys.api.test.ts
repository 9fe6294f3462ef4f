import { generateKeyPairSync, createHmac } from 'node:crypto';
import { statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier } from '@sicora/platform/auth';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { decodeProtectedHeader, calculateJwkThumbprint } from 'jose';
import { ADMIN_PASSWORD, bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startUsers();
});
afterAll(async () => {
  await h.close();
});

const jwks = async () => {
  const res = await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  expect(res.headers['cache-control']).toBe('public, max-age=300');
  return res.json() as { keys: Array<Record<string, string>> };
};

function b64url(v: string | Buffer) {
  return Buffer.from(v).toString('base64url');
}

describe('K1 JWKS and key storage (R23)', () => {
  it('when the embedded default starts, then one Ed25519 key is in <dataDir>/keys with mode 0600 and K1 publishes it with its RFC 7638 kid', async () => {
    const { keys } = await jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0].d).toBeUndefined();
    expect(keys[0].kid).toBe(await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: keys[0].x }, 'sha256'));
    const files = readdirSync(join(h.dataDir, 'keys'));
    expect(files).toEqual([`${keys[0].kid}.pem`]);
    expect(statSync(join(h.dataDir, 'keys', files[0])).mode & 0o777).toBe(0o600);
    const rows = await h.db.query<{ kid: string; status: string; source: string }>('SELECT kid, status, source FROM users.signing_keys');
    expect(rows).toEqual([{ kid: keys[0].kid, status: 'active', source: 'generated' }]);
  });
});

describe('US-USR-11 verify tokens anywhere, rotate keys safely', () => {
  it('when a token from A1 is checked with K1 by the platform verifier, then it verifies; alg none and HS256-with-public-key are refused', async () => {
    const u = await h.addUser();
    const pair = await h.login(u.email, PASSWORD);
    const set = await jwks();
    const verifier = createLocalVerifier(set, { issuer: 'sicora', audience: 'sicora-api', now: () => h.now().getTime() });
    await expect(verifier.verify(pair.access_token)).resolves.toMatchObject({ sub: u.id });
    const [, payload] = pair.access_token.split('.');
    const none = `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT', kid: set.keys[0].kid }))}.${payload}.`;
    const hsHeader = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: set.keys[0].kid }));
    const hs = `${hsHeader}.${payload}.${createHmac('sha256', JSON.stringify(set.keys[0])).update(`${hsHeader}.${payload}`).digest('base64url')}`;
    for (const forged of [none, hs]) {
      await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
      expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(forged) }), 401, 'INVALID_TOKEN');
    }
  });

  it('when an admin rotates (K3), then K1 lists two keys, new tokens use the new kid, old tokens verify until the old key retires after 2 h', async () => {
    const admin = await h.tokenFor('admin');
    const before = await jwks();
    const oldKid = before.keys[0].kid;
    const rotated = await h.app.inject({ method: 'POST', url: '/api/v1/auth/keys/rotate', headers: bearer(admin.token) });
    const data = expectOk(rotated, 201);
    expect(data.retiring_kid).toBe(oldKid);
    expect(new Date(data.retire_at).getTime()).toBe(h.now().getTime() + 2 * 3600_000);
    const after = await jwks();
    expect(after.keys.map((k) => k.kid)).toEqual([data.active_kid, oldKid]);
    expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(admin.token) }));
    const fresh = await h.login((await h.addUser()).email, PASSWORD);
    expect(decodeProtectedHeader(fresh.access_token).kid).toBe(data.active_kid);
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/auth/keys', headers: bearer(fresh.access_token) }), 403, 'INSUFFICIENT_PERMISSIONS');
    const keysList = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/auth/keys', headers: bearer(admin.token) }));
    expect(keysList.map((k: { kid: string; status: string }) => [k.kid, k.status])).toEqual(
      expect.arrayContaining([[data.active_kid, 'active'], [oldKid, 'retiring']]),
    );
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='KEY_ROTATED'")).toBe(1);

    h.advance(2 * 3600_000 + 1000);
    const later = await jwks();
    expect(later.keys.map((k) => k.kid)).toEqual([data.active_kid]);
    const [row] = await h.db.query<{ status: string }>('SELECT status FROM users.signing_keys WHERE kid=$1', [oldKid]);
    expect(row.status).toBe('retired');
  });

  it('when a coordinador calls K2 or K3, then 403', async () => {
    const coord = await h.tokenFor('coordinador');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/auth/keys', headers: bearer(coord.token) }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/keys/rotate', headers: bearer(coord.token) }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('K4 revocation feed', () => {
  it('when a user logs out and another is deactivated, then a service reading K4 gets the jti and the user; others get 403', async () => {
    const service = await h.serviceToken('gateway');
    const since = new Date(h.now().getTime() - 1000).toISOString();
    const u = await h.addUser();
    const pair = await h.login(u.email, PASSWORD);
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(pair.access_token) }));
    const coord = await h.tokenFor('coordinador');
    const victim = await h.addUser({ role: 'instructor' });
    h.advance(1000);
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/users/${victim.id}/deactivate`, headers: bearer(coord.token) }));
    const res = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/auth/revocations?since=${encodeURIComponent(since)}`, headers: bearer(service) }));
    expect(res.revoked_jtis.length).toBeGreaterThanOrEqual(1);
    expect(res.users.map((x: { user_id: string }) => x.user_id)).toContain(victim.id);
    expect(res.until).toBe(new Date(Math.floor((h.now().getTime() - 5000) / 1000) * 1000).toISOString());
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/auth/revocations?since=${since}`, headers: bearer(coord.token) }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/auth/revocations?since=ayer', headers: bearer(service) }), 422, 'VALIDATION_ERROR');
  });
});

describe('keys from configuration', () => {
  it('when JWT_PRIVATE_KEY is configured, then K1 publishes it and JWT_PUBLIC_KEYS, and K3 answers 409 KEYS_MANAGED_BY_CONFIG', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const old = generateKeyPairSync('ed25519');
    const c = await startUsers({
      env: {
        JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        JWT_PUBLIC_KEYS: old.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    try {
      const set = (await c.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      expect(set.keys).toHaveLength(2);
      const pair = await c.login('admin@sicora.sena.edu.co', ADMIN_PASSWORD);
      expect(decodeProtectedHeader(pair.access_token).kid).toBe(set.keys[0].kid);
      const admin = await c.tokenFor('admin');
      expectError(await c.app.inject({ method: 'POST', url: '/api/v1/auth/keys/rotate', headers: bearer(admin.token) }), 409, 'KEYS_MANAGED_BY_CONFIG');
      const rows = await c.db.query<{ source: string }>('SELECT DISTINCT source FROM users.signing_keys');
      expect(rows).toEqual([{ source: 'config' }]);
    } finally {
      await c.close();
    }
  });
});
