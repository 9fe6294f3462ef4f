import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: '2026-03-09T15:00:00Z' });
});
afterAll(async () => h.close());

const searchAs = async (q: string, who = h.aprendiz) => {
  const r = await h.inject('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}`, who);
  expect(r.statusCode).toBe(200);
};

describe('US-KB-12 metrics for coordination', () => {
  it('given 10 searches of which 3 had no result, when a coordinador reads metrics, then total 10 and zero_result_rate 0.3; an instructor gets 403', async () => {
    await h.item({ title: 'Reglamento del aprendiz', content: 'Texto del reglamento del aprendiz con derechos y deberes.' });
    for (let i = 0; i < 7; i++) await searchAs('reglamento');
    for (let i = 0; i < 3; i++) await searchAs('xyzzy plugh');
    const res = await h.inject('GET', '/api/v1/kb/admin/metrics', h.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.json().data.search.total).toBe(10);
    expect(res.json().data.search.zero_result_rate).toBe(0.3);
    expect(res.json().data.search.by_role).toEqual({ aprendiz: 10 });
    expect(res.json().data.items.total).toBe(1);
    expect(res.json().data.embeddings).toEqual({ status: 'not_configured', coverage: 0 });
    expect((await h.inject('GET', '/api/v1/kb/admin/metrics', h.instructor)).statusCode).toBe(403);
    expect((await h.inject('GET', '/api/v1/kb/admin/metrics?from=2026-03-10&to=2026-03-01', h.admin)).statusCode).toBe(422);
    expect((await h.inject('GET', '/api/v1/kb/admin/metrics?from=2024-01-01&to=2026-03-01', h.admin)).statusCode).toBe(422);
  });
});

describe('US-KB-13 what people could not find', () => {
  it('given "certificado de notas" ×3 and "Certificado  de notas!" ×1 without results, then one row with count 4; CSV with BOM, header and formula-safe cells', async () => {
    for (let i = 0; i < 3; i++) await searchAs('certificado de notas');
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    await searchAs('Certificado  de notas!');
    await searchAs('=HYPERLINK("x")');
    const res = await h.inject('GET', '/api/v1/kb/admin/reports/no-results', h.coordinador);
    expect(res.statusCode).toBe(200);
    const row = res.json().data.find((r: { query: string }) => r.query.toLowerCase().startsWith('certificado'));
    expect(row).toMatchObject({ count: 4, roles: ['aprendiz'] });
    expect(row.query).toBe('Certificado  de notas!');
    const csv = await h.inject('GET', '/api/v1/kb/admin/reports/no-results?format=csv', h.coordinador);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('kb-sin-resultados-2026-02-08_2026-03-09.csv');
    expect(csv.body.startsWith('\uFEFFconsulta,veces,usuarios_distintos,roles,primera_vez,ultima_vez\r\n')).toBe(true);
    expect(csv.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.body).toContain('2026-03-09 10:01:00');
  });

  it('when search logs are listed or downloaded, then rows are newest first and the CSV has the §6.3 header', async () => {
    const res = await h.inject('GET', '/api/v1/kb/admin/search-logs?zero_results=true&page_size=2', h.admin);
    expect(res.json().meta.pagination.total).toBe(8);
    expect(res.json().data).toHaveLength(2);
    const csv = await h.inject('GET', '/api/v1/kb/admin/search-logs?format=csv', h.admin);
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFFfecha,origen,consulta,rol,usuario_id,modo_solicitado,modo_usado,resultados,latencia_ms');
    expect(csv.headers['content-disposition']).toContain('kb-busquedas-');
    const top = await h.inject('GET', '/api/v1/kb/admin/reports/top-queries?limit=1', h.admin);
    expect(top.json().data[0]).toMatchObject({ query: 'reglamento', count: 7, zero_result_share: 0 });
    expect((await h.inject('GET', '/api/v1/kb/admin/search-logs', h.administrativo)).statusCode).toBe(403);
  });
});

describe('settings and embeddings', () => {
  it('when an admin changes the search settings, then they are stored; a coordinador gets 403', async () => {
    expect((await h.inject('GET', '/api/v1/kb/admin/search-settings', h.admin)).json().data).toMatchObject({ semantic_weight: 0.7, semantic_threshold: 0.7, related_threshold: 0.6 });
    const put = await h.inject('PUT', '/api/v1/kb/admin/search-settings', h.admin, { semantic_weight: 0.5 });
    expect(put.json().data).toMatchObject({ semantic_weight: 0.5, updated_by: h.admin.id });
    expect((await h.inject('PUT', '/api/v1/kb/admin/search-settings', h.admin, { semantic_weight: 2 })).statusCode).toBe(422);
    expect((await h.inject('GET', '/api/v1/kb/admin/search-settings', h.coordinador)).statusCode).toBe(403);
  });

  it('US-KB-04: when an admin asks for a rebuild without a provider, then 409 SEMANTIC_SEARCH_UNAVAILABLE; the status says not_configured', async () => {
    const res = await h.inject('POST', '/api/v1/kb/admin/embeddings/rebuild', h.admin, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'SEMANTIC_SEARCH_UNAVAILABLE', details: { reason: h.vector ? 'not_configured' : 'vector_extension_missing' } });
    const st = await h.inject('GET', '/api/v1/kb/admin/embeddings', h.admin);
    expect(st.json().data).toMatchObject({ status: 'not_configured', vector_extension: h.vector ? 'available' : 'missing', items_total: 1, items_embedded: 0 });
  });
});
