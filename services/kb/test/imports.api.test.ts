import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPdf, multipart } from './pdf.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.category('reglamento', 'Reglamento del Aprendiz');
  await h.category('general', 'General');
});
afterAll(async () => h.close());

const upload = async (who: Parameters<Harness['headers']>[0], file: { name: string; bytes: Buffer; type?: string }, fields: Record<string, string> = {}) => {
  const m = multipart(file, fields);
  return h.app.inject({ method: 'POST', url: '/api/v1/kb/imports/pdf', headers: { ...(await h.headers(who)), 'content-type': m.contentType }, payload: m.payload });
};

/** Polls the import until the job finished (the job runs in the background of the app). */
async function finished(id: string, who: Parameters<Harness['headers']>[0]) {
  for (let i = 0; i < 200; i++) {
    const res = await h.inject('GET', `/api/v1/kb/imports/pdf/${id}`, who);
    if (['completed', 'failed'].includes(res.json().data.status)) return res.json().data;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

function regulationPdf(): Buffer {
  const pages: string[][] = [];
  const lines = ['Reglamento de prueba del centro', 'Texto preliminar breve.'];
  let article = 0;
  for (let c = 1; c <= 5; c++) {
    lines.push(`CAPÍTULO ${['I', 'II', 'III', 'IV', 'V'][c - 1]} Disposiciones del capítulo ${c}`);
    const count = c === 5 ? 3 : 2;
    for (let k = 0; k < count; k++) {
      article++;
      lines.push(`ARTÍCULO ${article}. Norma número ${article}`);
      lines.push(`El aprendiz cumple la norma número ${article} durante toda su formación en el centro.`);
      lines.push('Esta disposición aplica a todas las fichas y programas del centro de formación.');
    }
  }
  for (let i = 0; i < lines.length; i += 12) pages.push([...lines.slice(i, i + 12), 'Página del reglamento']);
  return buildPdf(pages, { title: 'Reglamento de prueba' });
}

describe('US-KB-14 a regulation PDF becomes draft articles', () => {
  it('given 5 CAPÍTULO and 11 ARTÍCULO headings, when an instructor uploads it as a regulation, then 202 and 11 drafts owned by the instructor naming their chapter', async () => {
    const res = await upload(h.instructor, { name: 'reglamento_prueba.pdf', bytes: regulationPdf() }, { kind: 'regulation', tags: 'reglamento' });
    expect(res.statusCode).toBe(202);
    expect(res.json().data).toMatchObject({ status: 'queued', file_name: 'reglamento_prueba.pdf' });
    const done = await finished(res.json().data.id, h.instructor);
    expect(done.status).toBe('completed');
    expect(done.created_items).toHaveLength(11);
    const rows = await h.db.query<{ title: string; source_reference: string; status: string; author_id: string; origin: string }>('SELECT title, source_reference, status, author_id, origin FROM kb.items WHERE source_import_id = $1 ORDER BY created_at, title', [done.id]);
    expect(rows).toHaveLength(11);
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'draft', author_id: h.instructor.id, origin: 'pdf' });
      expect(r.source_reference).toMatch(/^Reglamento de prueba, CAPÍTULO [IV]+ .*, Artículo \d+$/);
    }
    expect(rows.map((r) => r.title)).toContain('Artículo 1. Norma número 1');
    expect(await h.outbox('kb.import.completed')).toHaveLength(1);
    const again = await upload(h.instructor, { name: 'otra.pdf', bytes: regulationPdf() }, { kind: 'regulation' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'DUPLICATE_DOCUMENT', details: { import_id: done.id } });
    const list = await h.inject('GET', '/api/v1/kb/imports/pdf', h.instructor2);
    expect(list.json().data).toEqual([]);
    expect((await h.inject('GET', `/api/v1/kb/imports/pdf/${done.id}`, h.instructor2)).json().error.code).toBe('IMPORT_NOT_FOUND');
    expect((await h.inject('GET', '/api/v1/kb/imports/pdf', h.coordinador)).json().meta.pagination.total).toBe(1);
  });

  it('given a file that starts with PK, when uploaded, then 415 and no import row', async () => {
    const before = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.pdf_imports');
    const res = await upload(h.coordinador, { name: 'falso.pdf', bytes: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 1)]) });
    expect(res.statusCode).toBe(415);
    const after = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.pdf_imports');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('given a PDF with images only, when processed, then failed with PDF_NO_TEXT, no item, and kb.import.failed queued', async () => {
    const res = await upload(h.coordinador, { name: 'escaneado.pdf', bytes: buildPdf([[], []]) });
    const done = await finished(res.json().data.id, h.coordinador);
    expect(done).toMatchObject({ status: 'failed', error_code: 'PDF_NO_TEXT', created_items: [] });
    expect((await h.outbox('kb.import.failed'))[0]!.body.target_users).toEqual([h.coordinador.id]);
    const files = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.pdf_import_files');
    expect(Number(files[0]!.n)).toBe(0);
  });

  it('given a short text-based PDF, when uploaded with split=single, then one draft with the title from the metadata', async () => {
    const lines = ['Este documento es una guía de uso del laboratorio de software del centro.', 'Explica cómo reservar equipos y cómo reportar fallas al soporte técnico.'];
    const res = await upload(h.admin, { name: 'guia-laboratorio.pdf', bytes: buildPdf([lines], { title: 'Guía del laboratorio' }) }, { split: 'single', audience: 'instructor,coordinador' });
    const done = await finished(res.json().data.id, h.admin);
    expect(done.status).toBe('completed');
    expect(done.created_items).toEqual([{ id: expect.any(String), title: 'Guía del laboratorio', status: 'draft' }]);
    const item = await h.inject('GET', `/api/v1/kb/items/${done.created_items[0].id}`, h.admin);
    expect(item.json().data).toMatchObject({ kind: 'guide', audience: ['instructor', 'coordinador'], origin: 'pdf' });
  });

  it('when roles without upload rights or bad fields are sent, then 403 / 422 / 404', async () => {
    expect((await upload(h.aprendiz, { name: 'a.pdf', bytes: buildPdf([['x']]) })).statusCode).toBe(403);
    expect((await upload(h.administrativo, { name: 'a.pdf', bytes: buildPdf([['x']]) })).statusCode).toBe(403);
    expect((await upload(h.admin, { name: 'a.pdf', bytes: buildPdf([['x']]) }, { split: 'todo' })).statusCode).toBe(422);
    expect((await upload(h.admin, { name: 'a.pdf', bytes: buildPdf([['x']]) }, { category_id: '00000000-0000-4000-8000-000000000000' })).json().error.code).toBe('CATEGORY_NOT_FOUND');
  });

  it('US-KB-17: when a 51 MB PDF is uploaded, then 413 PAYLOAD_TOO_LARGE', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(51 * 1024 * 1024, 32)]);
    const res = await upload(h.admin, { name: 'enorme.pdf', bytes: big });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
