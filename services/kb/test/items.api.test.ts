import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const BASE = '/api/v1/kb/items';

describe('US-KB-01 read what my role may read', () => {
  it('when an aprendiz reads an instructor-only published item, then 403 AUDIENCE_NOT_ALLOWED; an instructor gets 200', async () => {
    const item = await h.item({ audience: ['instructor'] });
    const res = await h.inject('GET', `${BASE}/${item.id}`, h.aprendiz);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AUDIENCE_NOT_ALLOWED');
    expect((await h.inject('GET', `${BASE}/${item.id}`, h.instructor)).statusCode).toBe(200);
    expect((await h.inject('GET', `${BASE}/by-slug/${item.slug}`, h.aprendiz)).statusCode).toBe(403);
  });

  it('when an aprendiz reads a draft, then 404 ITEM_NOT_FOUND; an admin gets 200', async () => {
    const item = await h.item({ status: 'draft' });
    const res = await h.inject('GET', `${BASE}/${item.id}`, h.aprendiz);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('ITEM_NOT_FOUND');
    expect((await h.inject('GET', `${BASE}/${item.id}`, h.admin)).statusCode).toBe(200);
  });

  it('when an aprendiz lists 25 published items of which 5 target only instructors, then total = 20 and page 1 holds 20 rows', async () => {
    const cat = await h.category('lista-visible', 'Lista visible');
    for (let i = 0; i < 20; i++) await h.item({ category_id: cat, audience: ['all'] });
    for (let i = 0; i < 5; i++) await h.item({ category_id: cat, audience: ['instructor'] });
    const res = await h.inject('GET', `${BASE}?category=lista-visible&page_size=20`, h.aprendiz);
    expect(res.statusCode).toBe(200);
    expect(res.json().meta.pagination.total).toBe(20);
    expect(res.json().data).toHaveLength(20);
    expect(res.json().data.every((r: { audience: string[] }) => r.audience.includes('all'))).toBe(true);
    const instr = await h.inject('GET', `${BASE}?category=lista-visible&page_size=20`, h.instructor);
    expect(instr.json().meta.pagination.total).toBe(25);
  });

  it('when the service lists, then only audience all published items are returned', async () => {
    const cat = await h.category('servicio', 'Servicio');
    await h.item({ category_id: cat, audience: ['all'] });
    await h.item({ category_id: cat, audience: ['aprendiz'] });
    const res = await h.inject('GET', `${BASE}?category=servicio`, h.service);
    expect(res.json().meta.pagination.total).toBe(1);
    const one = await h.item({ category_id: cat, audience: ['aprendiz'] });
    expect((await h.inject('GET', `${BASE}/${one.id}`, h.service)).json().error.code).toBe('AUDIENCE_NOT_ALLOWED');
  });

  it('when a soft-deleted item is read, then 404 for everyone', async () => {
    const item = await h.item();
    expect((await h.inject('DELETE', `${BASE}/${item.id}`, h.coordinador)).statusCode).toBe(204);
    expect((await h.inject('GET', `${BASE}/${item.id}`, h.admin)).statusCode).toBe(404);
  });
});

describe('create and edit rules', () => {
  it('when a faq lacks its summary or a regulation its source, then 422 naming the field', async () => {
    const cat = await h.category('reglas', 'Reglas');
    const faq = await h.inject('POST', BASE, h.admin, { kind: 'faq', title: '¿Pregunta?', content: 'x'.repeat(30), category_id: cat });
    expect(faq.statusCode).toBe(422);
    expect(JSON.stringify(faq.json().error.details)).toContain('summary');
    const reg = await h.inject('POST', BASE, h.admin, { kind: 'regulation', title: 'Artículo', content: 'x'.repeat(30), category_id: cat });
    expect(JSON.stringify(reg.json().error.details)).toContain('source_reference');
  });

  it('when content holds a script, then 422 unsafe_markup; short content gives quality warnings', async () => {
    const cat = await h.category('seguridad', 'Seguridad');
    const bad = await h.inject('POST', BASE, h.admin, { kind: 'article', title: 'Malo', content: 'hola <script>alert(1)</script> mundo', category_id: cat });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json().error.details)).toContain('unsafe_markup');
    const ok = await h.inject('POST', BASE, h.admin, { kind: 'article', title: 'Corto', content: 'Un contenido corto pero válido.', category_id: cat });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data.quality_warnings).toEqual(['content_short', 'no_tags']);
  });

  it('when tags ["Código QR", "código qr"] are sent, then the stored tags are ["código-qr"]; titles collide into -2 slugs', async () => {
    const a = await h.item({ title: 'Título repetido', tags: ['Código QR', 'código qr'] });
    expect(a.tags).toEqual(['código-qr']);
    const b = await h.item({ title: 'Título repetido' });
    expect(a.slug).toBe('titulo-repetido');
    expect(b.slug).toBe('titulo-repetido-2');
  });

  it('when the category is unknown or inactive, then 404 CATEGORY_NOT_FOUND / 422 CATEGORY_INACTIVE', async () => {
    const unknown = await h.inject('POST', BASE, h.admin, { kind: 'article', title: 'Sin categoría', content: 'x'.repeat(30), category_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.json().error.code).toBe('CATEGORY_NOT_FOUND');
    const cat = await h.category('inactiva', 'Inactiva');
    await h.inject('PATCH', `/api/v1/kb/categories/${cat}`, h.admin, { is_active: false });
    const inactive = await h.inject('POST', BASE, h.admin, { kind: 'article', title: 'En inactiva', content: 'x'.repeat(30), category_id: cat });
    expect(inactive.statusCode).toBe(422);
    expect(inactive.json().error.code).toBe('CATEGORY_INACTIVE');
  });

  it('when pinned ids repeat, point to itself or are unknown, then 422 RELATED_ITEM_INVALID', async () => {
    const a = await h.item();
    const rep = await h.inject('POST', BASE, h.admin, { kind: 'article', title: 'Con fijados', content: 'x'.repeat(30), category_id: (await h.inject('GET', `${BASE}/${a.id}`, h.admin)).json().data.category.id, pinned_related_ids: [a.id, a.id] });
    expect(rep.json().error.code).toBe('RELATED_ITEM_INVALID');
    const self = await h.inject('PATCH', `${BASE}/${a.id}`, h.admin, { pinned_related_ids: [a.id] });
    expect(self.json().error.code).toBe('RELATED_ITEM_INVALID');
  });

  it('when roles without write access create, then 403; an instructor may only create drafts', async () => {
    for (const who of [h.aprendiz, h.administrativo, h.service]) expect((await h.inject('POST', BASE, who, { kind: 'article', title: 'X', content: 'x'.repeat(30), category_id: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(403);
    const cat = await h.category('contrib', 'Contribuciones');
    const pub = await h.inject('POST', BASE, h.instructor, { kind: 'article', title: 'Publicar', content: 'x'.repeat(30), category_id: cat, status: 'published' });
    expect(pub.statusCode).toBe(403);
  });
});

describe('US-KB-05 editorial workflow', () => {
  it('when an instructor drafts, submits, a coordinador publishes with notify, then the events are queued and later edits by the instructor are 403', async () => {
    const cat = await h.category('flujo', 'Flujo editorial');
    const draft = await h.item({ status: 'draft', category_id: cat, audience: ['aprendiz'] }, h.instructor);
    expect(draft.status).toBe('draft');
    const other = await h.inject('GET', `${BASE}/${draft.id}`, h.instructor2);
    expect(other.statusCode).toBe(404);
    const toReview = await h.inject('POST', `${BASE}/${draft.id}/transitions`, h.instructor, { to: 'in_review' });
    expect(toReview.statusCode).toBe(200);
    expect(toReview.json().data.status).toBe('in_review');
    expect(await h.outbox('kb.item.review_requested')).toHaveLength(1);
    const pub = await h.inject('POST', `${BASE}/${draft.id}/transitions`, h.coordinador, { to: 'published', notify: true });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().data.published_at).toBe(h.clock.now.toISOString());
    const published = await h.outbox('kb.item.published');
    expect(published).toHaveLength(1);
    expect(published[0]!.body.target_roles).toEqual(['aprendiz']);
    const decided = await h.outbox('kb.item.review_decided');
    expect(decided[0]!.body.target_users).toEqual([h.instructor.id]);
    expect((decided[0]!.body.data as Record<string, unknown>).decision).toBe('publicado');
    const bad = await h.inject('POST', `${BASE}/${draft.id}/transitions`, h.admin, { to: 'in_review' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.code).toBe('INVALID_STATUS_TRANSITION');
    expect(bad.json().error.details.allowed).toEqual(['archived']);
    expect((await h.inject('PATCH', `${BASE}/${draft.id}`, h.instructor, { title: 'Cambio tardío' })).statusCode).toBe(403);
    const status = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM kb.item_status_changes WHERE item_id = $1', [draft.id]);
    expect(Number(status[0]!.n)).toBe(2);
  });

  it('when an editor returns a submitted item without a comment, then 422; with one, the author is told it was returned', async () => {
    const cat = await h.category('devolver', 'Devolver');
    const d = await h.item({ status: 'draft', category_id: cat }, h.instructor);
    await h.inject('POST', `${BASE}/${d.id}/transitions`, h.instructor, { to: 'in_review' });
    expect((await h.inject('POST', `${BASE}/${d.id}/transitions`, h.admin, { to: 'draft' })).statusCode).toBe(422);
    const back = await h.inject('POST', `${BASE}/${d.id}/transitions`, h.admin, { to: 'draft', comment: 'Agregue ejemplos, por favor' });
    expect(back.statusCode).toBe(200);
    const decided = (await h.outbox('kb.item.review_decided')).filter((r) => (r.body.data as Record<string, unknown>).item_id === d.id);
    expect((decided[0]!.body.data as Record<string, unknown>).decision).toBe('devuelto');
  });

  it('when an item is archived, then readers lose it; restore to draft and republish work for editors', async () => {
    const item = await h.item();
    expect((await h.inject('POST', `${BASE}/${item.id}/transitions`, h.admin, { to: 'archived' })).json().data.status).toBe('archived');
    expect((await h.inject('GET', `${BASE}/${item.id}`, h.aprendiz)).statusCode).toBe(404);
    expect((await h.inject('POST', `${BASE}/${item.id}/transitions`, h.admin, { to: 'published' })).json().data.status).toBe('published');
    expect((await h.inject('POST', `${BASE}/${item.id}/transitions`, h.instructor, { to: 'archived' })).statusCode).toBe(403);
  });

  it('when an instructor deletes another instructor\'s published item or their own submitted one, then 403', async () => {
    const cat = await h.category('borrado', 'Borrado');
    const own = await h.item({ status: 'draft', category_id: cat }, h.instructor);
    await h.inject('POST', `${BASE}/${own.id}/transitions`, h.instructor, { to: 'in_review' });
    expect((await h.inject('DELETE', `${BASE}/${own.id}`, h.instructor)).statusCode).toBe(403);
    const pub = await h.item({ category_id: cat });
    expect((await h.inject('DELETE', `${BASE}/${pub.id}`, h.instructor)).statusCode).toBe(403);
    const mine = await h.item({ status: 'draft', category_id: cat }, h.instructor);
    expect((await h.inject('DELETE', `${BASE}/${mine.id}`, h.instructor)).statusCode).toBe(204);
  });
});

describe('US-KB-06 versions', () => {
  it('when content changes, then version 2; pinned ids alone keep it; restore 1 gives 3; stale expected_version is 409', async () => {
    const item = await h.item({ content: 'Versión uno del contenido, con texto suficiente.' });
    const other = await h.item();
    const v2 = await h.inject('PATCH', `${BASE}/${item.id}`, h.coordinador, { content: 'Versión dos del contenido, con texto suficiente.', change_note: 'segunda' });
    expect(v2.json().data.version).toBe(2);
    const list = await h.inject('GET', `${BASE}/${item.id}/versions`, h.coordinador);
    expect(list.json().data.map((v: { version_number: number; is_current: boolean }) => [v.version_number, v.is_current])).toEqual([[2, true], [1, false]]);
    const pin = await h.inject('PATCH', `${BASE}/${item.id}`, h.coordinador, { pinned_related_ids: [other.id] });
    expect(pin.json().data.version).toBe(2);
    const restored = await h.inject('POST', `${BASE}/${item.id}/versions/1/restore`, h.admin, {});
    expect(restored.json().data.version).toBe(3);
    expect(restored.json().data.content).toBe('Versión uno del contenido, con texto suficiente.');
    const conflict = await h.inject('PATCH', `${BASE}/${item.id}`, h.admin, { title: 'Otro título', expected_version: 1 });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('VERSION_CONFLICT');
    expect(conflict.json().error.details.current_version).toBe(3);
    expect((await h.inject('POST', `${BASE}/${item.id}/versions/3/restore`, h.admin, {})).json().error.code).toBe('VERSION_CONFLICT');
    expect((await h.inject('GET', `${BASE}/${item.id}/versions/9`, h.admin)).json().error.code).toBe('VERSION_NOT_FOUND');
    expect((await h.inject('GET', `${BASE}/${item.id}/versions/1`, h.admin)).json().data.content).toBe('Versión uno del contenido, con texto suficiente.');
    expect((await h.inject('GET', `${BASE}/${item.id}/versions`, h.aprendiz)).statusCode).toBe(403);
    expect((await h.inject('POST', `${BASE}/${item.id}/versions/1/restore`, h.instructor, {})).statusCode).toBe(403);
  });
});

describe('US-KB-11 views are counted once per half hour', () => {
  it('when an aprendiz reads twice within 10 minutes, then view_count grows by 1; an editor\'s read does not count', async () => {
    const item = await h.item();
    await h.inject('GET', `${BASE}/${item.id}`, h.aprendiz);
    h.clock.now = new Date(h.clock.now.getTime() + 10 * 60_000);
    const second = await h.inject('GET', `${BASE}/${item.id}`, h.aprendiz);
    expect(second.json().data.view_count).toBe(1);
    const editor = await h.inject('GET', `${BASE}/${item.id}`, h.admin);
    expect(editor.json().data.view_count).toBe(1);
    h.clock.now = new Date(h.clock.now.getTime() + 31 * 60_000);
    expect((await h.inject('GET', `${BASE}/${item.id}`, h.aprendiz)).json().data.view_count).toBe(2);
  });
});
