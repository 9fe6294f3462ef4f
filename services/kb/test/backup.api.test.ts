import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemId, seedKbDemo } from '../src/seed/demo.seed.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let empty: Harness;
beforeAll(async () => {
  h = await createHarness();
  await seedKbDemo(h.db, h.clock.now);
  empty = await createHarness();
});
afterAll(async () => {
  await h.close();
  await empty.close();
});

type Doc = { categories: Array<Record<string, unknown>>; items: Array<Record<string, unknown> & { versions?: unknown[] }> };

describe('US-KB-15 backup and restore', () => {
  it('given the seeded base, when an admin exports and imports it into an empty kb, then categories, items with statuses and versions, and slugs are identical', async () => {
    const exp = await h.inject('GET', '/api/v1/kb/admin/export', h.coordinador);
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-disposition']).toMatch(/kb-export-20260309-100000\.json/);
    const doc = exp.json() as Doc & { format: string };
    expect(doc.format).toBe('sicora-kb-export');
    expect(doc.categories).toHaveLength(17);
    expect(doc.items).toHaveLength(27);
    expect(doc.items.find((i) => i.id === itemId(2))!.versions).toHaveLength(1);

    const dry = await empty.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import?dry_run=true', headers: await empty.headers(empty.admin), payload: doc });
    expect(dry.json().data).toMatchObject({ dry_run: true, categories_created: 17, items_created: 27, versions_imported: 2 });
    expect(Number((await empty.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.items'))[0]!.n)).toBe(0);

    const res = await empty.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import', headers: await empty.headers(empty.admin), payload: doc });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ dry_run: false, categories_created: 17, items_created: 27, items_skipped: 0, versions_imported: 2 });
    const again = (await empty.inject('GET', '/api/v1/kb/admin/export', empty.admin)).json() as Doc;
    const strip = (d: Doc) => ({
      categories: d.categories.map(({ id: _id, ...c }) => c).sort((a, b) => String(a.slug).localeCompare(String(b.slug))),
      items: d.items.map((i) => ({ id: i.id, slug: i.slug, status: i.status, version: i.version, title: i.title, content: i.content, category_slug: i.category_slug, versions: i.versions })).sort((a, b) => String(a.id).localeCompare(String(b.id))),
    });
    expect(strip(again)).toEqual(strip(doc));
    const search = await empty.inject('GET', '/api/v1/kb/search?q=recurso%20de%20reposicion', empty.aprendiz);
    expect(search.json().data[0].item.id).toBe(itemId(12));
    const skip = await empty.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import', headers: await empty.headers(empty.admin), payload: doc });
    expect(skip.json().data).toMatchObject({ items_created: 0, items_skipped: 27, categories_created: 0 });
  });

  it('given item 7 lacks a title and item 9 names an unknown category, when imported, then 422 with both errors and nothing written', async () => {
    const doc = (await h.inject('GET', '/api/v1/kb/admin/export?include_versions=false', h.admin)).json() as Doc;
    delete doc.items[7]!.title;
    doc.items[9]!.category_slug = 'no-existe';
    const fresh = await createHarness();
    try {
      const res = await fresh.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import', headers: await fresh.headers(fresh.admin), payload: doc });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('IMPORT_VALIDATION_FAILED');
      expect(res.json().error.details.errors.map((e: { path: string }) => e.path)).toEqual(['items[7].title', 'items[9].category_slug']);
      expect(res.json().error.details.error_count).toBe(2);
      expect(Number((await fresh.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.categories'))[0]!.n)).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('when the format is wrong, the body is not JSON or the caller is not an admin, then 422 / 415 / 403', async () => {
    const wrong = await h.inject('POST', '/api/v1/kb/admin/import', h.admin, { format: 'otra-cosa', format_version: 1, categories: [], items: [] });
    expect(wrong.json().error.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    const version = await h.inject('POST', '/api/v1/kb/admin/import', h.admin, { format: 'sicora-kb-export', format_version: 2, categories: [], items: [] });
    expect(version.json().error.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    const text = await h.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import', headers: { ...(await h.headers(h.admin)), 'content-type': 'text/plain' }, payload: 'hola' });
    expect(text.statusCode).toBe(415);
    expect((await h.inject('POST', '/api/v1/kb/admin/import', h.coordinador, { format: 'sicora-kb-export' })).statusCode).toBe(403);
    expect((await h.inject('GET', '/api/v1/kb/admin/export', h.instructor)).statusCode).toBe(403);
  });

  it('when the file comes as a multipart part, then it is imported the same way (dry run) and unparsable JSON is IMPORT_FORMAT_UNSUPPORTED', async () => {
    const doc = (await h.inject('GET', '/api/v1/kb/admin/export', h.admin)).json();
    const boundary = '----kbtest';
    const body = (content: string) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="kb.json"\r\nContent-Type: application/json\r\n\r\n${content}\r\n--${boundary}--\r\n`);
    const headers = { ...(await h.headers(h.admin)), 'content-type': `multipart/form-data; boundary=${boundary}` };
    const ok = await h.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import?dry_run=true', headers, payload: body(JSON.stringify(doc)) });
    expect(ok.json().data).toMatchObject({ dry_run: true, items_skipped: 27 });
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/kb/admin/import', headers, payload: body('{nope') });
    expect(bad.json().error.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
  });

  it('when an aprendiz reads the export, then 403: staff-only items never leave through it', async () => {
    expect((await h.inject('GET', '/api/v1/kb/admin/export', h.aprendiz)).statusCode).toBe(403);
  });
});
