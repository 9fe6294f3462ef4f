import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// Two gateway journeys against the real services of one `sicora start` (one start instead of two: each
// start is nine services and their migrations, the heaviest CPU work of the end-to-end group):
// - US-GW-18: the gateway is told kb lives on a closed port (KB_URL), so kb is down for it from the start
//   while the real kb listens on KB_PORT. An admin then points kb at the real one (V3 base_url_override +
//   C1), and back at the closed port.
// - US-GW-22: the gateway reads the users service's revocation feed (K4) every 30 s with its own service
//   token, so a logout or a deactivation reaches the edge within 35 s. Schedules' campuses stand for "any
//   protected route"; kb plays no part in it.
// Both wait mostly on timers (kb's probes 10 s apart, the 30 s feed), so the two describes run at the same
// time (`describe.concurrent`); US-GW-18's two steps stay in order (`it.sequential`). Neither touches what
// the other reads: kb's address and the config reload against two users' tokens on campuses.
const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
const ADMIN_PASSWORD = 'E2e#Pasarela-2026x';
const ADMIN_NEXT_PASSWORD = 'Pasarela#Centro-2027';
const USER_PASSWORD = 'Revocacion#Centro-2027';
const FEED_BOUND_MS = 35_000;

interface OpenApi {
  openapi: string;
  info: { title: string; 'x-sicora-missing-services': string[] };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}

interface Envelope {
  success: boolean;
  data: Record<string, unknown> & { access_token: string; must_change_password: boolean };
  error?: { code: string };
}

let dataDir: string;
let gateway: string;
let realKb: string;
let deadKb: string;
let child: Child | undefined;
let admin: string;
const ids: Record<string, string> = {};

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Envelope };
}

async function signIn(identifier: string, password: string, next: string) {
  const login = await call('POST', '/api/v1/auth/login', undefined, { identifier, password });
  expect(login.status).toBe(200);
  if (!login.body.data.must_change_password) return login.body.data.access_token;
  const changed = await call('POST', '/api/v1/auth/change-password', login.body.data.access_token, { current_password: password, new_password: next });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  return changed.body.data.access_token;
}

/** The admin call of US-GW-18, which must succeed. */
async function adminCall(method: string, path: string, body: unknown) {
  const res = await call(method, path, admin, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  dataDir = tempDataDir();
  const { env, urls } = await portEnv();
  gateway = urls.gateway;
  realKb = urls.kb;
  deadKb = `http://127.0.0.1:${await freePort()}`;
  child = runSicora(['start'], {
    ...env,
    KB_URL: deadKb,
    SICORA_DATA_DIR: dataDir,
    SICORA_ADMIN_EMAIL: ADMIN_EMAIL,
    SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DATABASE_URL: '',
    REDIS_URL: '',
  });
  await waitFor(`${gateway}/health/ready`, child, { timeoutMs: 120_000 });
  // kb (not critical) is down for the gateway: degraded, 207, with every other service up (US-GW-22 needs
  // users, schedules and the gateway's keys as a healthy platform would have them).
  const started = performance.now();
  let health = await waitFor(`${gateway}/health`, child, { status: 207, timeoutMs: 60_000 });
  const notUp = () => (health.body as { data: { services: Array<{ name: string; status: string }> } }).data.services.filter((s) => s.status !== 'up').map((s) => s.name);
  while (notUp().join() !== 'kb' && performance.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 200));
    health = await waitFor(`${gateway}/health`, child, { status: 207, timeoutMs: 60_000 });
  }
  expect(notUp()).toEqual(['kb']);
  expect((health.body as { data: { gateway: { jwks: string } } }).data.gateway.jwks).toBe('ok');

  admin = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_NEXT_PASSWORD);
  const csv = 'first_name,last_name,email,document_type,document_number,role\nLucía,Salida Uno,salida@e2e.sicora.test,CC,83000001,instructor\nTomás,Baja Dos,baja@e2e.sicora.test,CC,83000002,instructor\n';
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'instructores.csv');
  const imported = await fetch(`${gateway}/api/v1/users/import`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
  expect(imported.status).toBe(201);
  for (const u of ((await imported.json()) as { data: { created_users: Array<{ id: string; email: string }> } }).data.created_users) ids[u.email] = u.id;
}, 180_000);

afterAll(async () => {
  await child?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.concurrent('US-GW-18 one API document over the real services', () => {
  const docs = async (query = '') => {
    const res = await fetch(`${gateway}/docs/json${query}`);
    return { status: res.status, body: (await res.json()) as OpenApi };
  };

  const kbStatus = async () => {
    const res = await fetch(`${gateway}/api/v1/gateway/services/kb`, { headers: { authorization: `Bearer ${admin}` } });
    return ((await res.json()) as { data: { status: string } }).data.status;
  };
  const waitKb = async (status: string) => {
    for (let i = 0; i < 300 && (await kbStatus()) !== status; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await kbStatus()).toBe(status);
  };

  const pointKbAt = async (url: string) => {
    await adminCall('PATCH', '/api/v1/gateway/services/kb', { base_url_override: url });
    await adminCall('POST', '/api/v1/gateway/config/reload', {});
  };

  it.sequential('US-GW-18: when the services are up, then /docs/json is OpenAPI 3.1 with the login and gateway paths, every $ref resolves and schema names carry service prefixes; kb down since start is listed missing', async () => {
    const { status, body: doc } = await docs();
    expect(status).toBe(200);
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBe('SICORA API');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/gateway/status', '/api/v1/campuses', '/api/v1/notifications/inbox']));
    const text = JSON.stringify(doc);
    const refs = [...new Set(text.match(/"#\/components\/[^"]+"/g) ?? [])].map((r) => r.slice(3, -1).split('/'));
    const unresolved = refs.filter((parts) => parts.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc) === undefined);
    expect(unresolved).toEqual([]);
    const prefixes = ['users', 'schedules', 'attendance', 'evalin', 'kb', 'ai', 'projecteval', 'notification', 'gateway'];
    for (const name of Object.keys(doc.components?.schemas ?? {})) expect(prefixes.some((p) => name.startsWith(`${p}_`))).toBe(true);
    expect(doc.info['x-sicora-missing-services']).toEqual(['kb']);
    expect((await docs('?service=kb')).status).toBe(404);
  });

  it.sequential('US-GW-18: when kb was fetched once and goes down again, then it stays in the document', async () => {
    await pointKbAt(realKb);
    let fetched: OpenApi | undefined;
    for (let i = 0; i < 50 && !fetched; i++) {
      const { body } = await docs();
      if (!body.info['x-sicora-missing-services'].includes('kb')) fetched = body;
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(fetched?.info['x-sicora-missing-services']).toEqual([]);
    const kbDoc = await docs('?service=kb');
    expect(kbDoc.status).toBe(200);
    expect(kbDoc.body.info.title).toContain('kb');

    await waitKb('up');
    await pointKbAt(deadKb);
    // Two failed probes (10 s apart) later kb is down again; the reload above fetched nothing from it.
    await waitKb('down');
    await adminCall('POST', '/api/v1/gateway/config/reload', {});
    const { body: after } = await docs();
    expect(after.info['x-sicora-missing-services']).toEqual([]);
    expect((await docs('?service=kb')).body).toEqual(kbDoc.body);
  }, 90_000);
});

describe.concurrent('US-GW-22 revoked tokens over the real users service', () => {
  /** Polls a protected route with `token` until the gateway refuses it as revoked; returns the wait. */
  async function untilRevoked(token: string, since: number) {
    for (;;) {
      const res = await call('GET', '/api/v1/campuses', token);
      if (res.status === 401) {
        expect(res.body.error?.code).toBe('TOKEN_REVOKED');
        return Date.now() - since;
      }
      expect(res.status).toBe(200);
      if (Date.now() - since > FEED_BOUND_MS + 5_000) throw new Error('the token was never refused');
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it('US-GW-22: when a user logs out, then within 35 s the gateway answers 401 TOKEN_REVOKED to the old token; when a user is deactivated, then older tokens are refused and a token issued later works', async () => {
    const leaving = await signIn('salida@e2e.sicora.test', '83000001', USER_PASSWORD);
    const deactivated = await signIn('baja@e2e.sicora.test', '83000002', USER_PASSWORD);
    expect((await call('GET', '/api/v1/campuses', leaving)).status).toBe(200);
    expect((await call('GET', '/api/v1/campuses', deactivated)).status).toBe(200);
    // tokens_valid_after has whole seconds: the deactivation must fall in a later second than the token's iat.
    await new Promise((r) => setTimeout(r, 1_100));

    const loggedOutAt = Date.now();
    expect((await call('POST', '/api/v1/auth/logout', leaving, {})).status).toBe(200);
    const deactivatedAt = Date.now();
    expect((await call('POST', `/api/v1/users/${ids['baja@e2e.sicora.test']}/deactivate`, admin, {})).status).toBe(200);

    const [logoutWait, deactivationWait] = await Promise.all([untilRevoked(leaving, loggedOutAt), untilRevoked(deactivated, deactivatedAt)]);
    expect(logoutWait).toBeLessThan(FEED_BOUND_MS);
    expect(deactivationWait).toBeLessThan(FEED_BOUND_MS);

    // Active again, the user signs in: that later token passes the gateway.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await call('POST', `/api/v1/users/${ids['baja@e2e.sicora.test']}/activate`, admin, {})).status).toBe(200);
    const later = await signIn('baja@e2e.sicora.test', USER_PASSWORD, USER_PASSWORD);
    expect((await call('GET', '/api/v1/campuses', later)).status).toBe(200);
    expect((await call('GET', '/api/v1/campuses', deactivated)).status).toBe(401);
  }, 90_000);
});
