import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { client, createPerson, must, PEOPLE_PASSWORD, platformSigner, raw, serviceClients, startPlatform, type Person, type Platform } from './security.support.ts';

// Issue #18 item 2, token tampering and replay across services, through the gateway of a real `sicora
// start` and straight to each service's own port (00-conventions §4: every service verifies tokens locally
// against the JWKS; users R17–R20 for refresh rotation, logout and password changes; gateway R10–R11 and
// its revocation feed). Forged tokens are built from a real one (payload edited, signature kept), with
// `alg: none`, with HS256 keyed by the published public key, with a key nobody published, and — with the
// platform's own key, read from its data dir — expired, for another audience or issuer, without a `jti`.
// The contract suite mints well-formed tokens per role; no forged or replayed token is in it.

let p: Platform;
let instructor: Person;
let adminSub = '';
let sign: Awaited<ReturnType<typeof platformSigner>>;

/** One protected read per service that an admin may call; `service` names whose own port serves it. */
const PROBES: Array<{ service: string; path: string }> = [
  { service: 'users', path: '/api/v1/users' },
  { service: 'schedules', path: '/api/v1/campuses' },
  { service: 'attendance', path: '/api/v1/attendance/settings' },
  { service: 'evalin', path: '/api/v1/evalin/periods' },
  { service: 'kb', path: '/api/v1/kb/categories' },
  { service: 'ai', path: '/api/v1/ai/conversations' },
  { service: 'projecteval', path: '/api/v1/projecteval/rubrics' },
  { service: 'notification', path: '/api/v1/notifications/inbox' },
  { service: 'gateway', path: '/api/v1/gateway/status' },
];

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const partsOf = (token: string) => {
  const [h, pl, s] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(pl, 'base64url').toString()), signature: s };
};

/** Every probe, through the gateway and straight to the service: the statuses and codes, keyed by where. */
async function everywhere(token: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    PROBES.flatMap(({ service, path }) => [
      ['gateway', p.gateway],
      ...(service === 'gateway' ? [] : [[service, p.urls[service]]]),
    ].map(async ([where, base]) => {
      const res = await raw(base, 'GET', path, { token });
      out[`${where} ${path}`] = `${res.status} ${res.body?.error?.code ?? ''}`.trim();
    })),
  );
  return out;
}

const expectEverywhere = (answers: Record<string, string>, expected: string) =>
  expect(Object.entries(answers).filter(([, got]) => got !== expected)).toEqual([]);

describe('security: token tampering and replay across services', () => {
  beforeAll(async () => {
    // The gateway reads the revocation feed every second here instead of every 30 s (GATEWAY_REVOCATION_POLL_MS).
    p = await startPlatform({ GATEWAY_REVOCATION_POLL_MS: '1000' });
    instructor = await createPerson(p, 'instructor');
    adminSub = partsOf(p.admin).payload.sub;
    sign = await platformSigner(p.dataDir);
  }, 240_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('when a token signed with the platform key carries valid claims, then every service accepts it, through the gateway and directly (the control of the forgeries below)', async () => {
    const token = await sign({ sub: adminSub, role: 'admin', email: 'admin@sicora.sena.edu.co', name: 'Administrador' });
    expectEverywhere(await everywhere(token), '200');
  });

  it('when an instructor\'s token is edited to say admin and keeps its signature, then every service refuses it with INVALID_TOKEN', async () => {
    const { header, payload, signature } = partsOf(instructor.token);
    const forged = `${b64(header)}.${b64({ ...payload, role: 'admin', sub: adminSub })}.${signature}`;
    expectEverywhere(await everywhere(forged), '401 INVALID_TOKEN');
  });

  it('when a token says alg "none" or HS256 keyed by the published public key, then every service refuses it with INVALID_TOKEN', async () => {
    const { header, payload } = partsOf(p.admin);
    const none = `${b64({ ...header, alg: 'none' })}.${b64(payload)}.`;
    expectEverywhere(await everywhere(none), '401 INVALID_TOKEN');
    const jwks = (await (await fetch(`${p.gateway}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string; x: string }> };
    const published = jwks.keys.find((k) => k.kid === header.kid)!;
    const hsInput = `${b64({ alg: 'HS256', kid: header.kid, typ: 'JWT' })}.${b64(payload)}`;
    for (const secret of [Buffer.from(published.x, 'base64url'), Buffer.from(JSON.stringify(published))]) {
      const hs = `${hsInput}.${createHmac('sha256', secret).update(hsInput).digest('base64url')}`;
      expectEverywhere(await everywhere(hs), '401 INVALID_TOKEN');
    }
  });

  it('when a token is signed by a key nobody published, under its own kid or under the real kid, then every service refuses it with INVALID_TOKEN', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const ownKid = await calculateJwkThumbprint(await exportJWK(publicKey), 'sha256');
    const realKid = partsOf(p.admin).header.kid;
    const now = Math.floor(Date.now() / 1000);
    for (const kid of [ownKid, realKid]) {
      const foreign = await new SignJWT({ iss: 'sicora', aud: 'sicora-api', sub: adminSub, role: 'admin', jti: crypto.randomUUID(), iat: now, exp: now + 600, must_change_password: false })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
        .sign(privateKey);
      expectEverywhere(await everywhere(foreign), '401 INVALID_TOKEN');
    }
  });

  it('when a token of the platform key has expired, then every service answers TOKEN_EXPIRED; for another audience or issuer, or without a jti, INVALID_TOKEN', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = { sub: adminSub, role: 'admin' };
    expectEverywhere(await everywhere(await sign({ ...base, iat: now - 7200, exp: now - 3600 })), '401 TOKEN_EXPIRED');
    expectEverywhere(await everywhere(await sign({ ...base, aud: 'otra-api' })), '401 INVALID_TOKEN');
    expectEverywhere(await everywhere(await sign({ ...base, iss: 'otro-emisor' })), '401 INVALID_TOKEN');
    expectEverywhere(await everywhere(await sign({ ...base, jti: undefined })), '401 INVALID_TOKEN');
  });

  it('when a rotated refresh token comes back within 10 s it rotates again, and after the grace it revokes the whole family: the reuse is 401 REFRESH_TOKEN_REUSED and every newer token of the family 401 INVALID_REFRESH_TOKEN', async () => {
    const api = client(p.gateway);
    const login = await api.POST('/api/v1/auth/login', { body: { identifier: instructor.email, password: PEOPLE_PASSWORD } });
    expect(login.response.status).toBe(200);
    const first = login.data!.data.refresh_token;
    const second = await api.POST('/api/v1/auth/refresh', { body: { refresh_token: first } });
    expect(second.response.status).toBe(200);
    // R17: two tabs refreshing at once is not reuse.
    const tab = await api.POST('/api/v1/auth/refresh', { body: { refresh_token: first } });
    expect(tab.response.status, JSON.stringify(tab.error)).toBe(200);
    await new Promise((r) => setTimeout(r, 11_000));
    const reuse = await api.POST('/api/v1/auth/refresh', { body: { refresh_token: first } });
    expect(reuse.response.status).toBe(401);
    expect(reuse.error?.error.code).toBe('REFRESH_TOKEN_REUSED');
    for (const newer of [second.data!.data.refresh_token, tab.data!.data.refresh_token]) {
      const res = await api.POST('/api/v1/auth/refresh', { body: { refresh_token: newer } });
      expect(res.response.status).toBe(401);
      expect(res.error?.error.code).toBe('INVALID_REFRESH_TOKEN');
    }
  }, 30_000);

  it('when a user logs out, then the users service refuses the access token at once and the gateway refuses it on every service within its feed interval (TOKEN_REVOKED)', async () => {
    const api = client(p.gateway);
    const login = await api.POST('/api/v1/auth/login', { body: { identifier: instructor.document, password: PEOPLE_PASSWORD } });
    const token = login.data!.data.access_token;
    expect((await raw(p.gateway, 'GET', '/api/v1/kb/categories', { token })).status).toBe(200);
    api.setToken(token);
    const out = await api.POST('/api/v1/auth/logout', { body: {} });
    expect(out.response.status, JSON.stringify(out.error)).toBe(200);
    const direct = await raw(p.urls.users, 'GET', '/api/v1/users/me', { token });
    expect(`${direct.status} ${direct.body?.error?.code}`).toBe('401 TOKEN_REVOKED');
    const paths = ['/api/v1/users/me', '/api/v1/kb/categories', '/api/v1/campuses', '/api/v1/notifications/inbox', '/api/v1/projecteval/rubrics'];
    await expect
      .poll(async () => (await Promise.all(paths.map(async (path) => `${path} ${(await raw(p.gateway, 'GET', path, { token })).status}`))), { timeout: 10_000, interval: 250 })
      .toEqual(paths.map((path) => `${path} 401`));
    const code = (await raw(p.gateway, 'GET', '/api/v1/campuses', { token })).body?.error?.code;
    expect(code).toBe('TOKEN_REVOKED');
  });

  it('when a user changes the password, then the access tokens issued before it are refused as TOKEN_REVOKED by the users service and the gateway', async () => {
    const person = await createPerson(p, 'administrativo');
    // `iat` has whole seconds: a token of the same second as the change stays valid (00-conventions §4).
    await new Promise((r) => setTimeout(r, 1_100));
    const api = client(p.gateway, person.token);
    const changed = await api.POST('/api/v1/auth/change-password', { body: { current_password: PEOPLE_PASSWORD, new_password: 'Otra#Clave-Segura-2028' } });
    expect(changed.response.status, JSON.stringify(changed.error)).toBe(200);
    const direct = await raw(p.urls.users, 'GET', '/api/v1/users/me', { token: person.token });
    expect(`${direct.status} ${direct.body?.error?.code}`).toBe('401 TOKEN_REVOKED');
    await expect.poll(async () => (await raw(p.gateway, 'GET', '/api/v1/campuses', { token: person.token })).body?.error?.code, { timeout: 10_000, interval: 250 }).toBe('TOKEN_REVOKED');
    // The new token works.
    expect((await raw(p.gateway, 'GET', '/api/v1/users/me', { token: changed.data!.data.access_token })).status).toBe(200);
  });

  it('when a service token is used where a person is required, then every such route refuses it with 403 INSUFFICIENT_PERMISSIONS, through the gateway and directly', async () => {
    const secrets = serviceClients(p.dataDir);
    const grant = await client(p.gateway).POST('/api/v1/auth/service-token', { body: { client_id: 'attendance', client_secret: secrets.attendance } });
    expect(grant.response.status, JSON.stringify(grant.error)).toBe(200);
    const token = grant.data!.data.access_token;
    const personal = [
      { service: 'users', method: 'GET', path: '/api/v1/users/me' },
      { service: 'users', method: 'PATCH', path: '/api/v1/users/me', json: { first_name: 'Servicio' } },
      { service: 'users', method: 'POST', path: '/api/v1/auth/change-password', json: { current_password: 'x', new_password: 'Servicio#Clave-2028' } },
      { service: 'attendance', method: 'GET', path: '/api/v1/attendance/me/classes' },
      { service: 'notification', method: 'GET', path: '/api/v1/notifications/inbox' },
      { service: 'ai', method: 'GET', path: '/api/v1/ai/conversations' },
      { service: 'evalin', method: 'GET', path: '/api/v1/evalin/my-evaluations' },
      { service: 'gateway', method: 'GET', path: '/api/v1/gateway/status' },
    ];
    const wrong: string[] = [];
    for (const call of personal) {
      for (const base of call.service === 'gateway' ? [p.gateway] : [p.gateway, p.urls[call.service]]) {
        const res = await raw(base, call.method, call.path, { token, json: call.json });
        if (res.status !== 403 || res.body?.error?.code !== 'INSUFFICIENT_PERMISSIONS') wrong.push(`${base} ${call.method} ${call.path} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when a caller sends X-User-Id / X-User-Role headers of its own, then no service takes them for an identity', async () => {
    const spoof = { 'x-user-id': adminSub, 'x-user-role': 'admin' };
    // No token: still unauthenticated, through the gateway and directly.
    for (const base of [p.gateway, p.urls.users]) {
      const res = await raw(base, 'GET', '/api/v1/users', { headers: spoof });
      expect(`${res.status} ${res.body?.error?.code}`).toBe('401 UNAUTHENTICATED');
    }
    // An instructor's token with admin headers: still the instructor.
    for (const base of [p.gateway, p.urls.users]) {
      const res = await raw(base, 'GET', '/api/v1/users', { token: instructor.token, headers: spoof });
      expect(res.status).toBe(403);
      const me = await must(200, base, 'GET', '/api/v1/users/me', { token: instructor.token, headers: spoof });
      expect(me).toMatchObject({ id: instructor.id, role: 'instructor' });
    }
  });
});
