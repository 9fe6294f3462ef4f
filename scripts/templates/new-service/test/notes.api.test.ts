/**
 * The notes API through HTTP (`app.inject`) on a real database: each role's allowed and refused case,
 * the validation answers, and the stored state behind each answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, T0, type Harness } from './harness.ts';

const BASE = '/api/v1/__name__/notes';
let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => h?.close());

async function create(role: Parameters<Harness['as']>[0], payload: Record<string, unknown>, sub?: string) {
  return h.app.inject({ method: 'POST', url: BASE, headers: await h.as(role, sub), payload });
}

describe('__name__ notes API', () => {
  it('when an instructor writes a note, then it is stored trimmed with the clock instant and its author', async () => {
    const author = '7d0c6f1e-4b6a-4f43-9a51-3f5b1e0c2a10';
    const res = await create('instructor', { title: '  Acta de comité  ', body: 'Puntos tratados' }, author);
    const note = expectOk(res, 201);
    expect(note).toMatchObject({ title: 'Acta de comité', body: 'Puntos tratados', author_id: author, created_at: T0.toISOString(), archived_at: null });
    expect(res.json().links.self.href).toBe(`${BASE}/${note.id}`);
    const [row] = await h.db.query<{ title: string; author_id: string }>('SELECT title, author_id FROM __name__.notes WHERE id = $1', [note.id]);
    expect(row).toEqual({ title: 'Acta de comité', author_id: author });
  });

  it.each(['admin', 'coordinador', 'administrativo'] as const)('when a %s writes a note, then it is created', async (role) => {
    expectOk(await create(role, { title: `Nota de ${role}` }), 201);
  });

  it.each(['aprendiz', 'service'] as const)('when a %s writes a note, then 403 INSUFFICIENT_PERMISSIONS and nothing is stored', async (role) => {
    expectError(await create(role, { title: `No permitida ${role}` }), 403, 'INSUFFICIENT_PERMISSIONS');
    const rows = await h.db.query('SELECT 1 FROM __name__.notes WHERE title = $1', [`No permitida ${role}`]);
    expect(rows).toEqual([]);
  });

  it('when no token is sent, then 401 UNAUTHENTICATED', async () => {
    expectError(await h.app.inject({ method: 'GET', url: BASE }), 401, 'UNAUTHENTICATED');
  });

  it('when the title is only spaces or a field is unknown, then 422 VALIDATION_ERROR names the field', async () => {
    const blank = expectError(await create('instructor', { title: '   ' }), 422, 'VALIDATION_ERROR');
    expect(blank.details).toEqual({ fields: [expect.objectContaining({ field: 'title' })] });
    const unknown = expectError(await create('instructor', { title: 'Ok', color: 'rojo' }), 422, 'VALIDATION_ERROR');
    expect(unknown.details).toEqual({ fields: [expect.objectContaining({ field: 'color', reason: 'unknown_field' })] });
  });

  it('when an apprentice lists the notes, then the newest come first, one page at a time, with links', async () => {
    h.advance(60_000);
    const newest = expectOk(await create('instructor', { title: 'La más reciente' }), 201);
    const res = await h.app.inject({ method: 'GET', url: `${BASE}?page_size=2`, headers: await h.as('aprendiz') });
    const page = expectOk<Array<{ id: string }>>(res);
    expect(page.map((n) => n.id)[0]).toBe(newest.id);
    expect(page).toHaveLength(2);
    const body = res.json();
    expect(body.meta.pagination).toMatchObject({ page: 1, page_size: 2, total: 5, has_next: true });
    expect(body.links.next.href).toBe(`${BASE}?page_size=2&page=2`);
  });

  it('when a note is read by id, then it is returned; an unknown id is 404 and a malformed one 422', async () => {
    const created = expectOk(await create('coordinador', { title: 'Para leer' }), 201);
    const headers = await h.as('aprendiz');
    expect(expectOk(await h.app.inject({ method: 'GET', url: `${BASE}/${created.id}`, headers }))).toEqual(created);
    expectError(await h.app.inject({ method: 'GET', url: `${BASE}/00000000-0000-4000-8000-000000000000`, headers }), 404, 'NOT_FOUND');
    expectError(await h.app.inject({ method: 'GET', url: `${BASE}/no-es-un-id`, headers }), 422, 'VALIDATION_ERROR');
  });

  it('when an administrativo archives a note, then it leaves the list, keeps its first archive instant and is still read by id', async () => {
    const note = expectOk(await create('instructor', { title: 'Para archivar' }), 201);
    const staff = await h.as('administrativo');
    const archive = () => h.app.inject({ method: 'POST', url: `${BASE}/${note.id}/archive`, headers: staff });
    const archived = expectOk(await archive());
    expect(archived).toMatchObject({ id: note.id, archived_at: h.now().toISOString() });
    const [row] = await h.db.query<{ archived_at: Date }>('SELECT archived_at FROM __name__.notes WHERE id = $1', [note.id]);
    expect(new Date(row.archived_at).toISOString()).toBe(archived.archived_at);

    h.advance(60_000);
    expect(expectOk(await archive()).archived_at).toBe(archived.archived_at);
    const headers = await h.as('aprendiz');
    const listed = expectOk<Array<{ id: string }>>(await h.app.inject({ method: 'GET', url: `${BASE}?page_size=100`, headers }));
    expect(listed.map((n) => n.id)).not.toContain(note.id);
    expect(expectOk(await h.app.inject({ method: 'GET', url: `${BASE}/${note.id}`, headers }))).toEqual(archived);
  });

  it('when an apprentice archives a note, then 403 and it stays listed; an unknown note is 404', async () => {
    const note = expectOk(await create('coordinador', { title: 'No se archiva' }), 201);
    expectError(await h.app.inject({ method: 'POST', url: `${BASE}/${note.id}/archive`, headers: await h.as('aprendiz') }), 403, 'INSUFFICIENT_PERMISSIONS');
    const [row] = await h.db.query<{ archived_at: Date | null }>('SELECT archived_at FROM __name__.notes WHERE id = $1', [note.id]);
    expect(row.archived_at).toBeNull();
    const unknown = `${BASE}/00000000-0000-4000-8000-000000000000/archive`;
    expectError(await h.app.inject({ method: 'POST', url: unknown, headers: await h.as('admin') }), 404, 'NOT_FOUND');
  });
});
