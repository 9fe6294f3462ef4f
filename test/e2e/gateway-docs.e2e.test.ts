import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// US-GW-18 against the real services of `sicora start`: the gateway is told kb lives on a closed port
// (KB_URL), so kb is down for it from the start while the real kb listens on KB_PORT. An admin then points
// kb at the real one (V3 base_url_override + C1), and back at the closed port.
interface OpenApi {
  openapi: string;
  info: { title: string; 'x-sicora-missing-services': string[] };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}

const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
const ADMIN_PASSWORD = 'E2e#Documentos-2026x';

describe('US-GW-18 one API document over the real services', () => {
  let dataDir: string;
  let gateway: string;
  let realKb: string;
  let deadKb: string;
  let child: Child | undefined;
  let token: string;

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
    // kb (not critical) is down for the gateway: degraded, 207.
    await waitFor(`${gateway}/health`, child, { status: 207, timeoutMs: 60_000 });
    const login = await post('/api/v1/auth/login', { identifier: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    token = login.data.access_token;
    if (login.data.must_change_password) {
      token = (await post('/api/v1/auth/change-password', { current_password: ADMIN_PASSWORD, new_password: 'Documentos#Centro-2027' })).data.access_token;
    }
  }, 180_000);

  afterAll(async () => {
    await child?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function post(path: string, body: unknown, method = 'POST') {
    const res = await fetch(`${gateway}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { data: Record<string, never> & { access_token: string; must_change_password: boolean } };
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  const docs = async (query = '') => {
    const res = await fetch(`${gateway}/docs/json${query}`);
    return { status: res.status, body: (await res.json()) as OpenApi };
  };

  const kbStatus = async () => {
    const res = await fetch(`${gateway}/api/v1/gateway/services/kb`, { headers: { authorization: `Bearer ${token}` } });
    return ((await res.json()) as { data: { status: string } }).data.status;
  };
  const waitKb = async (status: string) => {
    for (let i = 0; i < 300 && (await kbStatus()) !== status; i++) await new Promise((r) => setTimeout(r, 200));
    expect(await kbStatus()).toBe(status);
  };

  const pointKbAt = async (url: string) => {
    await post('/api/v1/gateway/services/kb', { base_url_override: url }, 'PATCH');
    await post('/api/v1/gateway/config/reload', {});
  };

  it('US-GW-18: when the services are up, then /docs/json is OpenAPI 3.1 with the login and gateway paths, every $ref resolves and schema names carry service prefixes; kb down since start is listed missing', async () => {
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

  it('US-GW-18: when kb was fetched once and goes down again, then it stays in the document', async () => {
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
    await post('/api/v1/gateway/config/reload', {});
    const { body: after } = await docs();
    expect(after.info['x-sicora-missing-services']).toEqual([]);
    expect((await docs('?service=kb')).body).toEqual(kbDoc.body);
  }, 90_000);
});
