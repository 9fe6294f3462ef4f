import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, ROLES, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('campuses (C1–C5)', () => {
  it('when C2 has code calle52, then 201 with CALLE52 stored; a second CALLE52 → 409 CAMPUS_CODE_EXISTS', async () => {
    const headers = await h.as('coordinador');
    const data = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: ' calle52 ', name: 'Sede Calle 52' } }), 201);
    expect(data).toMatchObject({ code: 'CALLE52', city: 'Bogotá D.C.', is_active: true });
    const [row] = await h.db.query<{ code: string }>('SELECT code FROM schedules.campuses WHERE id = $1', [data.id]);
    expect(row.code).toBe('CALLE52');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: 'CALLE52', name: 'Otra' } }), 409, 'CAMPUS_CODE_EXISTS');
  });

  it('when an unknown field or a bad code is sent, then 422 VALIDATION_ERROR', async () => {
    const headers = await h.as('admin');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: 'A B', name: 'Sede' } }), 422, 'VALIDATION_ERROR');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: 'AB', name: 'Sede', color: 'x' } }), 422, 'VALIDATION_ERROR');
  });

  it.each(ROLES)('when %s reads campuses, then 200; only admin and coordinador may write', async (role) => {
    const headers = await h.as(role);
    expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/campuses', headers }));
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: `R${role.slice(0, 5).toUpperCase()}`, name: 'Sede rol' } });
    if (role === 'admin' || role === 'coordinador') expectOk(res, 201);
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when C1 searches without accents and sorts by -name, then it matches and orders', async () => {
    const headers = await h.as('admin');
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: 'FONTIBON', name: 'Sede Fontibón' } }), 201);
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/campuses?search=fontibon&sort=-name', headers });
    const data = expectOk(res);
    expect(data.map((c: { code: string }) => c.code)).toEqual(['FONTIBON']);
    expect(res.json().meta.pagination).toMatchObject({ total: 1, page: 1 });
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/campuses?sort=city', headers }), 422, 'VALIDATION_ERROR');
  });

  it('when a campus has an active venue, then deactivation and deletion are 409 CAMPUS_IN_USE; an unused one is deleted', async () => {
    const headers = await h.as('admin');
    const c = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: 'USED', name: 'Sede usada' } }), 201);
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/venues', headers, payload: { campus_id: c.id, code: 'U1', name: 'Aula U1', type: 'AULA', capacity: 30 } }), 201);
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/campuses/${c.id}`, headers, payload: { is_active: false } }), 409, 'CAMPUS_IN_USE');
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/campuses/${c.id}`, headers }), 409, 'CAMPUS_IN_USE');
    const detail = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/campuses/${c.id}`, headers }));
    expect(detail).toMatchObject({ venue_count: 1, group_count: 0 });
    const free = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers, payload: { code: 'FREE', name: 'Sede libre' } }), 201);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/campuses/${free.id}`, headers })).statusCode).toBe(204);
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/campuses/${free.id}`, headers }), 404, 'CAMPUS_NOT_FOUND');
  });
});
