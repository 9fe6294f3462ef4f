import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId, seedKbDemo } from '../src/seed/demo.seed.ts';
import { startFakeEmbeddings, type FakeEmbeddings } from './fake-embeddings.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let fake: FakeEmbeddings;

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

const embeddingsStatus = async () => (await h.inject('GET', '/api/v1/kb/admin/embeddings', h.admin)).json().data;

beforeAll(async () => {
  fake = await startFakeEmbeddings();
  h = await createHarness({ env: { LLM_BASE_URL: fake.url, EMBEDDINGS_MODEL: 'fake-embed' } });
  await seedKbDemo(h.db, h.clock.now);
});
afterAll(async () => {
  await h.close();
  await fake.stop().catch(() => undefined);
});

describe('US-KB-03 hybrid ranking when embeddings are configured', () => {
  it('where PostgreSQL lacks pgvector, then readiness says missing, search runs full-text with vector_extension_missing and everything else works', async (ctx) => {
    if (h.vector) ctx.skip();
    const ready = (await h.app.inject({ method: 'GET', url: '/health/ready' })).json();
    expect(ready.checks).toMatchObject({ vector_extension: 'missing', search_mode: 'fulltext' });
    const res = await h.inject('GET', '/api/v1/kb/search?q=recurso%20de%20reposicion', h.aprendiz);
    expect(res.json().meta.search).toMatchObject({ mode_used: 'fulltext', fallback_reason: 'vector_extension_missing' });
    expect(res.json().data[0].item.id).toBe(itemId(12));
    const rebuild = await h.inject('POST', '/api/v1/kb/admin/embeddings/rebuild', h.admin, {});
    expect(rebuild.json().error.details.reason).toBe('vector_extension_missing');
  });
});

describe('US-KB-03 on a back end with pgvector (always PGlite; PostgreSQL where installed)', () => {
  it('when the provider answers the probe, then readiness says ok and hybrid, and the seeded items get their vectors', async (ctx) => {
    if (!h.vector) ctx.skip();
    const ready = await until(async () => (await h.app.inject({ method: 'GET', url: '/health/ready' })).json(), (r) => r.checks.search_mode === 'hybrid');
    expect(ready.checks.embeddings).toEqual({ status: 'ok', model: 'fake-embed', dimensions: 32 });
    const st = await until(embeddingsStatus, (s) => s.items_embedded === 27);
    expect(st).toMatchObject({ status: 'ok', vector_extension: 'available', items_total: 27, pending_jobs: 0 });
    expect(st.passages_embedded).toBe(st.passages_total);
  });

  it('when an item is published, then within one job run item_embeddings holds its vector and /admin/embeddings counts it', async (ctx) => {
    if (!h.vector) ctx.skip();
    const cat = (await h.db.query<{ id: string }>("SELECT id FROM kb.categories WHERE slug = 'general'"))[0]!.id;
    const item = await h.item({ category_id: cat, title: 'Parqueadero de bicicletas', content: 'Las bicicletas se guardan en el parqueadero del sótano con candado propio.' });
    await until(embeddingsStatus, (s) => s.items_embedded === 28);
    const rows = await h.db.query<{ model: string; dimensions: number }>('SELECT model, dimensions FROM kb.item_embeddings WHERE item_id = $1', [item.id]);
    expect(rows).toEqual([{ model: 'fake-embed', dimensions: 32 }]);
  });

  it('when I search with mode=auto, then mode_used is hybrid and each score is 0.7·semantic + 0.3·text', async (ctx) => {
    if (!h.vector) ctx.skip();
    const res = await h.inject('GET', '/api/v1/kb/search?q=justificar%20inasistencia%20soportes', h.aprendiz);
    expect(res.statusCode).toBe(200);
    expect(res.json().meta.search).toMatchObject({ mode_requested: 'auto', mode_used: 'hybrid', semantic_available: true, fallback_reason: null });
    const data = res.json().data as Array<{ item: { id: string }; score: number; score_parts: { text: number; semantic: number | null } }>;
    expect(data.length).toBeGreaterThan(0);
    expect(data[0]!.item.id).toBe(itemId(10));
    for (const r of data) {
      if (r.score_parts.semantic === null) expect(r.score).toBeCloseTo(r.score_parts.text, 3);
      else expect(Math.abs(r.score - (0.7 * r.score_parts.semantic + 0.3 * r.score_parts.text))).toBeLessThanOrEqual(0.001);
    }
    expect(data.map((r) => r.item.id)).not.toContain(itemId(11));
    const sem = await h.inject('GET', '/api/v1/kb/search?q=justificar%20inasistencia%20soportes&mode=semantic', h.aprendiz);
    expect(sem.json().meta.search.mode_used).toBe('semantic');
    for (const r of sem.json().data) expect(r.score).toBeGreaterThanOrEqual(0.7);
    const passages = await h.inject('GET', '/api/v1/kb/search/passages?q=revisar%20justificaciones%20pendientes', h.aprendiz);
    expect(passages.json().meta.search.mode_used).toBe('hybrid');
    expect(passages.json().data.map((r: { item_id: string }) => r.item_id)).not.toContain(itemId(11));
    for (const r of passages.json().data) {
      expect(r.score).toBeGreaterThanOrEqual(0);
      expect(r.score).toBeLessThanOrEqual(1);
    }
    const instr = await h.inject('GET', '/api/v1/kb/search/passages?q=revisar%20justificaciones%20pendientes', h.instructor);
    expect(instr.json().data.map((r: { item_id: string }) => r.item_id)).toContain(itemId(11));
    const related = await h.inject('GET', `/api/v1/kb/items/${itemId(14)}/related`, h.aprendiz);
    expect(related.json().data.some((r: { reason: string }) => r.reason === 'semantic')).toBe(true);
  });

  it('given the fake server stops answering, when I search, then I still get full-text results with fallback_reason provider_unavailable', async (ctx) => {
    if (!h.vector) ctx.skip();
    await fake.stop();
    const res = await h.inject('GET', '/api/v1/kb/search?q=recurso%20de%20reposicion', h.aprendiz);
    expect(res.statusCode).toBe(200);
    expect(res.json().meta.search).toMatchObject({ mode_used: 'fulltext', fallback_reason: 'provider_unavailable' });
    expect(res.json().data[0].item.id).toBe(itemId(12));
    const p = await h.inject('GET', '/api/v1/kb/search/passages?q=recurso%20de%20reposicion%20plazo', h.aprendiz);
    expect(p.json().meta.search).toMatchObject({ mode_used: 'fulltext', fallback_reason: 'provider_unavailable' });
    expect(p.json().data.length).toBeGreaterThan(0);
  });
});
