import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedKbDemo, itemId } from '../src/seed/demo.seed.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seedKbDemo(h.db, h.clock.now);
});
afterAll(async () => h.close());

const search = async (q: string, who = h.aprendiz as Parameters<Harness['inject']>[2], extra = '') => h.inject('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}${extra}`, who);

describe('US-KB-02 search in Spanish without caring about accents', () => {
  it('when I search "justificacion inasistencia", then "Cómo justificar una inasistencia" is first and mode_used is fulltext', async () => {
    const res = await search('justificacion inasistencia');
    expect(res.statusCode).toBe(200);
    expect(res.json().data[0].item.title).toBe('Cómo justificar una inasistencia');
    expect(res.json().meta.search).toMatchObject({ mode_requested: 'auto', mode_used: 'fulltext', semantic_available: false, fallback_reason: h.vector ? 'not_configured' : 'vector_extension_missing', relaxed: false });
    expect(res.json().data[0].score).toBeGreaterThan(0);
    expect(res.json().data[0].score).toBeLessThanOrEqual(1);
  });

  it('given synonyms falta, inasistencia, ausencia, when I search "ausencias", then items mentioning inasistencias are returned', async () => {
    const res = await search('ausencias');
    const titles = res.json().data.map((r: { item: { title: string } }) => r.item.title);
    expect(titles).toContain('Control de asistencia e inasistencias');
  });

  it('when the terms do not all appear in one item, then results come from the OR retry with relaxed = true', async () => {
    const res = await search('contraseña xilófono');
    expect(res.json().meta.search.relaxed).toBe(true);
    expect(res.json().data[0].item.title).toBe('¿Cómo cambio mi contraseña?');
  });

  it('when a result matches, then the highlight marks the words', async () => {
    const res = await search('recurso de reposicion');
    expect(res.json().data[0].highlight).toContain('<mark>');
  });

  it('when only stop words are sent, then titles containing them match with score 0.10', async () => {
    const res = await search('¿cómo', h.admin);
    expect(res.json().data.length).toBeGreaterThan(0);
    expect(res.json().data[0].score).toBe(0.1);
  });
});

describe('audience in search, passages, related, suggest and lists', () => {
  it('when an aprendiz searches for instructor-only content, then it is absent; an instructor finds it', async () => {
    const a = await search('revision de justificaciones instructor');
    expect(a.json().data.map((r: { item: { id: string } }) => r.item.id)).not.toContain(itemId(11));
    const i = await search('revision de justificaciones instructor', h.instructor);
    expect(i.json().data[0].item.id).toBe(itemId(11));
  });

  it('US-KB-16: passages of an instructor-only procedure never reach an aprendiz; an instructor gets them with a log row', async () => {
    const a = await h.inject('GET', '/api/v1/kb/search/passages?q=revisar%20justificaciones', h.aprendiz);
    expect(a.statusCode).toBe(200);
    expect(a.json().data.map((p: { item_id: string }) => p.item_id)).not.toContain(itemId(11));
    const i = await h.inject('GET', '/api/v1/kb/search/passages?q=revisar%20justificaciones', h.instructor);
    const hit = i.json().data.find((p: { item_id: string }) => p.item_id === itemId(11));
    expect(hit).toMatchObject({ item_title: 'Revisión de justificaciones por el instructor' });
    expect(hit.excerpt.length).toBeLessThanOrEqual(400);
    expect(hit.score).toBeGreaterThanOrEqual(0);
    expect(hit.score).toBeLessThanOrEqual(1);
    expect(i.json().meta.search.mode_used).toBe('fulltext');
    const logs = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM kb.search_logs WHERE source = 'passages' AND user_id = $1", [h.instructor.id]);
    expect(Number(logs[0]!.n)).toBe(1);
  });

  it('when an editor asks for passages, then drafts and items in review are not returned', async () => {
    const res = await h.inject('GET', '/api/v1/kb/search/passages?q=riesgo%20de%20desercion%20seguimiento', h.admin);
    expect(res.json().data.map((p: { item_id: string }) => p.item_id)).not.toContain(itemId(24));
  });

  it('US-KB-09: related items of a procedure come by category and exclude what the caller cannot see', async () => {
    const res = await h.inject('GET', `/api/v1/kb/items/${itemId(10)}/related`, h.aprendiz);
    expect(res.statusCode).toBe(200);
    const ids = res.json().data.map((r: { id: string }) => r.id);
    expect(ids).not.toContain(itemId(11));
    expect(ids).not.toContain(itemId(10));
    expect(res.json().data[0].reason).toBe('category_tags');
    const instr = await h.inject('GET', `/api/v1/kb/items/${itemId(10)}/related`, h.instructor);
    expect(instr.json().data[0].id).toBe(itemId(11));
  });

  it('US-KB-09: pinned items come first with reason pinned', async () => {
    await h.inject('PATCH', `/api/v1/kb/items/${itemId(19)}`, h.admin, { pinned_related_ids: [itemId(25), itemId(21)] });
    const res = await h.inject('GET', `/api/v1/kb/items/${itemId(19)}/related`, h.aprendiz);
    expect(res.json().data.slice(0, 2).map((r: { id: string; reason: string }) => [r.id, r.reason])).toEqual([[itemId(25), 'pinned'], [itemId(21), 'pinned']]);
    const admin = await h.inject('GET', `/api/v1/kb/items/${itemId(19)}/related`, h.administrativo);
    expect(admin.json().data.map((r: { id: string }) => r.id)).not.toContain(itemId(21));
  });

  it('when an aprendiz asks for related items of an instructor-only item, then 403', async () => {
    expect((await h.inject('GET', `/api/v1/kb/items/${itemId(16)}/related`, h.aprendiz)).json().error.code).toBe('AUDIENCE_NOT_ALLOWED');
  });

  it('when suggestions are asked, then titles visible to the role come first by prefix', async () => {
    const res = await h.inject('GET', '/api/v1/kb/suggest?q=como', h.aprendiz);
    expect(res.statusCode).toBe(200);
    const ids = res.json().data.items.map((r: { id: string }) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(itemId(16));
    expect((await h.inject('GET', '/api/v1/kb/suggest?q=como', h.service)).statusCode).toBe(403);
  });

  it('US-KB-07: an aprendiz does not see categories without items for aprendices; tags count visible items', async () => {
    const res = await h.inject('GET', '/api/v1/kb/categories', h.aprendiz);
    const slugs = JSON.stringify(res.json().data);
    expect(slugs).not.toContain('guias-pedagogicas');
    expect(slugs).not.toContain('proyectos-formativos');
    expect(slugs).toContain('derechos-deberes');
    const ed = await h.inject('GET', '/api/v1/kb/categories?include_empty=true', h.admin);
    expect(JSON.stringify(ed.json().data)).toContain('proyectos-formativos');
    const tags = await h.inject('GET', '/api/v1/kb/tags?q=revis', h.aprendiz);
    expect(tags.json().data).toEqual([]);
    const itags = await h.inject('GET', '/api/v1/kb/tags?q=revis', h.instructor);
    expect(itags.json().data).toEqual([{ tag: 'revision', item_count: 1 }]);
  });

  it('US-KB-07: filtering by the parent category includes the children', async () => {
    const res = await h.inject('GET', '/api/v1/kb/items?category=asistencia&page_size=50', h.aprendiz);
    const ids = res.json().data.map((r: { id: string }) => r.id);
    expect(ids).toContain(itemId(14));
    expect(ids).toContain(itemId(10));
    expect(ids).not.toContain(itemId(16));
  });
});

describe('US-KB-04 full-text only is honest about it', () => {
  it('when /health/ready is read without EMBEDDINGS_MODEL, then embeddings not_configured and search_mode fulltext', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).toMatchObject({ database: 'ok', vector_extension: h.vector ? 'available' : 'missing', embeddings: { status: 'not_configured' }, search_mode: 'fulltext' });
  });

  it('when I search with mode=semantic, then 200 with mode_used fulltext and fallback_reason not_configured; mode=fulltext has no reason', async () => {
    const res = await search('reglamento', h.aprendiz, '&mode=semantic');
    expect(res.json().meta.search).toMatchObject({ mode_requested: 'semantic', mode_used: 'fulltext', fallback_reason: h.vector ? 'not_configured' : 'vector_extension_missing' });
    const ft = await search('reglamento', h.aprendiz, '&mode=fulltext');
    expect(ft.json().meta.search.fallback_reason).toBeNull();
  });
});

describe('US-KB-17 limits', () => {
  it('when an aprendiz sends 61 searches within a minute, then the 61st is 429 RATE_LIMITED with Retry-After; service tokens are exempt', async () => {
    const who = h.person('aprendiz');
    h.clock.now = new Date('2026-03-09T16:00:00Z');
    for (let i = 0; i < 60; i++) {
      const r = await h.inject('GET', '/api/v1/kb/search?q=qr&page=2', who);
      expect(r.statusCode).toBe(200);
    }
    const res = await h.inject('GET', '/api/v1/kb/search?q=qr&page=2', who);
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers['ratelimit-limit']).toBe('60');
    const svc = h.person('service');
    for (let i = 0; i < 61; i++) expect((await h.inject('GET', '/api/v1/kb/search?q=qr&page=2', svc)).statusCode).toBe(200);
  });
});
