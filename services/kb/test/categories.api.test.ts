import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const CATS = '/api/v1/kb/categories';

describe('US-KB-07 categories in a hierarchy', () => {
  it('when a category would become its own ancestor or a fourth level, then 422 CATEGORY_HIERARCHY_INVALID', async () => {
    const a = await h.category('nivel-a', 'Nivel A');
    const b = await h.category('nivel-b', 'Nivel B', a);
    const c = await h.category('nivel-c', 'Nivel C', b);
    const cycle = await h.inject('PATCH', `${CATS}/${a}`, h.admin, { parent_id: c });
    expect(cycle.statusCode).toBe(422);
    expect(cycle.json().error).toMatchObject({ code: 'CATEGORY_HIERARCHY_INVALID', details: { reason: 'cycle' } });
    const deep = await h.inject('POST', CATS, h.admin, { slug: 'nivel-d', name: 'Nivel D', parent_id: c });
    expect(deep.json().error).toMatchObject({ code: 'CATEGORY_HIERARCHY_INVALID', details: { reason: 'depth' } });
    expect((await h.inject('PATCH', `${CATS}/${a}`, h.admin, { parent_id: a })).statusCode).toBe(422);
    const missing = await h.inject('POST', CATS, h.admin, { slug: 'huerfana', name: 'Huérfana', parent_id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.json().error.code).toBe('CATEGORY_NOT_FOUND');
  });

  it('when slugs or sibling names repeat, then 409; names compare folded', async () => {
    const p = await h.category('padre', 'Padre');
    await h.category('hija-uno', 'Evaluación', p);
    expect((await h.inject('POST', CATS, h.admin, { slug: 'hija-dos', name: 'evaluacion', parent_id: p })).json().error.code).toBe('CATEGORY_NAME_EXISTS');
    expect((await h.inject('POST', CATS, h.admin, { slug: 'padre', name: 'Otro' })).json().error.code).toBe('CATEGORY_SLUG_EXISTS');
    expect((await h.inject('POST', CATS, h.admin, { slug: 'Mal Slug', name: 'Otro' })).statusCode).toBe(422);
    expect((await h.inject('POST', CATS, h.instructor, { slug: 'x-y', name: 'Otro' })).statusCode).toBe(403);
  });

  it('when an editor deletes a category holding items or children, then 409 CATEGORY_NOT_EMPTY; an empty one goes', async () => {
    const full = await h.category('llena', 'Llena');
    await h.item({ category_id: full });
    expect((await h.inject('DELETE', `${CATS}/${full}`, h.coordinador)).json().error.code).toBe('CATEGORY_NOT_EMPTY');
    const parent = await h.category('con-hija', 'Con hija');
    await h.category('la-hija', 'La hija', parent);
    expect((await h.inject('DELETE', `${CATS}/${parent}`, h.coordinador)).statusCode).toBe(409);
    const empty = await h.category('vacia', 'Vacía');
    expect((await h.inject('DELETE', `${CATS}/${empty}`, h.coordinador)).statusCode).toBe(204);
    expect((await h.inject('DELETE', `${CATS}/${empty}`, h.coordinador)).json().error.code).toBe('CATEGORY_NOT_FOUND');
  });

  it('when the tree is read, then counts include descendants and inactive categories hide from readers', async () => {
    const root = await h.category('raiz', 'Raíz');
    const child = await h.category('rama', 'Rama', root);
    await h.item({ category_id: child });
    await h.item({ category_id: child, audience: ['instructor'] });
    const tree = (await h.inject('GET', CATS, h.aprendiz)).json().data;
    const node = tree.find((n: { slug: string }) => n.slug === 'raiz');
    expect(node.item_count).toBe(1);
    expect(node.children[0]).toMatchObject({ slug: 'rama', item_count: 1 });
    await h.inject('PATCH', `${CATS}/${root}`, h.admin, { is_active: false, name: 'Raíz antigua', sort_order: 3, description: 'x' });
    expect(JSON.stringify((await h.inject('GET', CATS, h.aprendiz)).json().data)).not.toContain('raiz');
    expect(JSON.stringify((await h.inject('GET', `${CATS}?include_inactive=true`, h.admin)).json().data)).toContain('raiz');
  });
});

describe('US-KB-08 tags', () => {
  it('when an editor renames qr to codigo-qr while codigo-qr exists, then every item holds codigo-qr once and no version is created', async () => {
    const a = await h.item({ tags: ['qr', 'asistencia'] });
    const b = await h.item({ tags: ['qr', 'codigo-qr'] });
    const res = await h.inject('PATCH', '/api/v1/kb/tags/qr', h.coordinador, { name: 'codigo-qr' });
    expect(res.json().data).toEqual({ tag: 'codigo-qr', items_updated: 2 });
    const ra = (await h.inject('GET', `/api/v1/kb/items/${a.id}`, h.admin)).json().data;
    const rb = (await h.inject('GET', `/api/v1/kb/items/${b.id}`, h.admin)).json().data;
    expect(ra.tags.sort()).toEqual(['asistencia', 'codigo-qr']);
    expect(rb.tags).toEqual(['codigo-qr']);
    expect(ra.version).toBe(1);
    expect((await h.inject('PATCH', '/api/v1/kb/tags/qr', h.coordinador, { name: 'otra' })).json().error.code).toBe('TAG_NOT_FOUND');
    expect((await h.inject('PATCH', '/api/v1/kb/tags/codigo-qr', h.coordinador, { name: 'no válida!' })).statusCode).toBe(422);
    expect((await h.inject('PATCH', '/api/v1/kb/tags/codigo-qr', h.instructor, { name: 'x' })).statusCode).toBe(403);
  });
});
