import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// US-GW-22 against the real users service of `sicora start`: the gateway reads the users service's
// revocation feed (K4) every 30 s with its own service token, so a logout or a deactivation reaches the
// edge within 35 s. Schedules' campuses stand for "any protected route".
const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
const ADMIN_PASSWORD = 'E2e#Revocacion-2026x';
const USER_PASSWORD = 'Revocacion#Centro-2027';
const FEED_BOUND_MS = 35_000;

interface Envelope {
  success: boolean;
  data: Record<string, unknown> & { access_token: string; must_change_password: boolean };
  error?: { code: string };
}

describe('US-GW-22 revoked tokens over the real users service', () => {
  let dataDir: string;
  let gateway: string;
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

  beforeAll(async () => {
    dataDir = tempDataDir();
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    child = runSicora(['start'], {
      ...env,
      SICORA_DATA_DIR: dataDir,
      SICORA_ADMIN_EMAIL: ADMIN_EMAIL,
      SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    await waitFor(`${gateway}/health`, child, { timeoutMs: 120_000 });
    admin = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD, 'Revocacion#Sede-2027x');
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
