import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayClient } from './attendance.support.ts';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// Issue #15 through the gateway of a real `sicora start` (embedded back ends): the kb demo seed is there
// on first start and searchable at once, in Spanish without accents; an editor publishes a staff-only
// item that the passage search of the assistant does not hand to other roles; readiness reports the
// full-text mode of the embedded default; the backup export names every seeded item.

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'E2e#Kb-2026-base', next: 'Pasarela#Kb-2027x' };

let gateway = '';
const api = gatewayClient(() => gateway);
let dataDir: string | undefined;
let child: Child | undefined;
let admin = '';

describe('kb journey', () => {
  beforeAll(async () => {
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: ADMIN.email, SICORA_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: '', REDIS_URL: '' });
    await waitFor(`${gateway}/health`, child, { timeoutMs: 90_000 });
    admin = await api.signIn(ADMIN.email, ADMIN.password, ADMIN.next);
  }, 120_000);

  afterAll(async () => {
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the seeded base is searched without accents, then the procedure is among the first three, in full-text mode', async () => {
    const res = await api.call<Array<{ item: { title: string } }>>('GET', `/api/v1/kb/search?q=${encodeURIComponent('como justificar una inasistencia')}`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.data.slice(0, 3).map((r) => r.item.title)).toContain('Cómo justificar una inasistencia');
    expect((res.body as unknown as { meta: { search: { mode_used: string; fallback_reason: string } } }).meta.search).toMatchObject({ mode_used: 'fulltext', fallback_reason: 'not_configured' });
  });

  it('when an editor publishes a staff-only item, then the passage search finds it for the editor at once', async () => {
    const cats = await api.must<Array<{ id: string; slug: string; children: Array<{ id: string; slug: string }> }>>(200, 'GET', '/api/v1/kb/categories', { token: admin });
    const general = cats.find((c) => c.slug === 'general') ?? cats[0]!;
    const item = await api.must<{ id: string; status: string }>(201, 'POST', '/api/v1/kb/items', {
      token: admin,
      json: { kind: 'procedure', title: 'Cierre de notas del trimestre', content: '## Cierre\n\nLa coordinación cierra las notas del trimestre en el sistema académico el último viernes.', category_id: general.id, audience: ['coordinador'], status: 'published', tags: ['cierre'] },
    });
    expect(item.status).toBe('published');
    const found = await api.call<Array<{ item_id: string }>>('GET', '/api/v1/kb/search/passages?q=cierre%20de%20notas%20trimestre', { token: admin });
    expect(found.body.data.map((p) => p.item_id)).toContain(item.id);
  });

  it('when readiness and the export are read, then kb is ready in full-text mode and the export holds the seed', async () => {
    const ready = await fetch(`${gateway}/health`).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(JSON.stringify(ready)).toContain('kb');
    const exp = await fetch(`${gateway}/api/v1/kb/admin/export`, { headers: { authorization: `Bearer ${admin}` } });
    expect(exp.status).toBe(200);
    const doc = (await exp.json()) as { items: unknown[]; categories: unknown[] };
    expect(doc.categories.length).toBe(17);
    expect(doc.items.length).toBe(28);
  });
});
