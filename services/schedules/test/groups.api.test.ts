import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, ROLES, setupBasics, type Harness } from './harness.ts';

let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
});
afterAll(async () => h.close());

describe('fichas (G1–G5)', () => {
  it('when G2 repeats a number, then 409 GROUP_NUMBER_EXISTS; G4 changing number → 422 IMMUTABLE_FIELD', async () => {
    const headers = await h.as('coordinador');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/groups', headers, payload: { number: b.groupA.number, program_id: b.program.id, campus_id: b.campus.id, shift: 'MANANA', start_date: '2026-01-19', end_date: '2027-06-30' } }), 409, 'GROUP_NUMBER_EXISTS');
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers, payload: { number: '9999999' } }), 422, 'IMMUTABLE_FIELD');
    const [row] = await h.db.query<{ number: string }>('SELECT number FROM schedules.groups WHERE id = $1', [b.groupA.id]);
    expect(row.number).toBe(b.groupA.number);
  });

  it('when G2 names an unknown program, then 422 REFERENCE_NOT_FOUND; start ≥ end → 422 VALIDATION_ERROR', async () => {
    const headers = await h.as('admin');
    const err = expectError(await h.app.inject({ method: 'POST', url: '/api/v1/groups', headers, payload: { number: '1234567', program_id: '00000000-0000-4000-8000-000000000000', campus_id: b.campus.id, shift: 'TARDE', start_date: '2026-01-19', end_date: '2027-06-30' } }), 422, 'REFERENCE_NOT_FOUND');
    expect(err.details).toMatchObject({ field: 'program_id' });
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/groups', headers, payload: { number: '1234567', program_id: b.program.id, campus_id: b.campus.id, shift: 'TARDE', start_date: '2026-06-01', end_date: '2026-01-19' } }), 422, 'VALIDATION_ERROR');
  });

  it('when a ficha has 30 active apprentices and G4 sets max 25, then 409 CAPACITY_BELOW_ENROLMENT; 30 is accepted', async () => {
    for (let i = 0; i < 30; i++) h.users.add({ role: 'aprendiz' }, b.groupB.id);
    const headers = await h.as('coordinador');
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupB.id}`, headers, payload: { max_apprentices: 25 } }), 409, 'CAPACITY_BELOW_ENROLMENT');
    expect(expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupB.id}`, headers, payload: { max_apprentices: 30 } })).max_apprentices).toBe(30);
    h.users.down = true;
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupB.id}`, headers, payload: { max_apprentices: 29 } }), 503, 'SERVICE_UNAVAILABLE');
    const g3 = await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupB.id}`, headers });
    expect(expectOk(g3).apprentice_count).toBeNull();
    expect(g3.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
    h.users.down = false;
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupB.id}`, headers })).apprentice_count).toBe(30);
  });

  it('when a ficha has apprentices, then G5 is 409 GROUP_IN_USE; an empty one is deleted', async () => {
    const headers = await h.as('admin');
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/groups/${b.groupB.id}`, headers }), 409, 'GROUP_IN_USE');
    const g = await b.post('/api/v1/groups', { number: '5550001', program_id: b.program.id, campus_id: b.campus.id, shift: 'NOCHE', start_date: '2026-01-19', end_date: '2026-12-30' });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/groups/${g.id}`, headers })).statusCode).toBe(204);
    expect(await h.db.query('SELECT 1 FROM schedules.groups WHERE id = $1', [g.id])).toHaveLength(0);
  });

  it('when G1 filters by numbers and search, then only matching fichas are listed', async () => {
    const headers = await h.as('service');
    const data = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups?numbers=${b.groupA.number},0000000`, headers }));
    expect(data.map((g: { number: string }) => g.number)).toEqual([b.groupA.number]);
    expect(data[0]).toMatchObject({ program: { code: 'ADSO', level: 'TECNOLOGO' }, campus: { code: 'C52' } });
  });

  it.each(ROLES)('when %s writes a ficha, then only admin and coordinador are allowed', async (role) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/groups', headers: await h.as(role), payload: { number: `77${ROLES.indexOf(role)}0000`, program_id: b.program.id, campus_id: b.campus.id, shift: 'TARDE', start_date: '2026-01-19', end_date: '2026-12-30' } });
    if (role === 'admin' || role === 'coordinador') expectOk(res, 201);
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when an aprendiz lists or reads fichas, then only their own; without group_id → 403', async () => {
    const own = await h.as('aprendiz', { group_id: b.groupA.id, group_number: b.groupA.number });
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/groups', headers: own }));
    expect(list.map((g: { id: string }) => g.id)).toEqual([b.groupA.id]);
    expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}`, headers: own }));
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupB.id}`, headers: own }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/groups', headers: await h.as('aprendiz') }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('assignments and lookups (G7–G12)', () => {
  it('when G10 names A director for the whole period, then 201, G3 shows A, one outbox entry exists; B overlapping → 409 DIRECTOR_ALREADY_ASSIGNED', async () => {
    const A = h.users.add({ role: 'instructor', first_name: 'Carlos', last_name: 'Rodríguez' });
    const B = h.users.add({ role: 'instructor' });
    const headers = await h.as('coordinador');
    const a = expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, headers, payload: { instructor_id: A.id, role: 'director' } }), 201);
    expect(a).toMatchObject({ start_date: '2026-01-19', end_date: null, role: 'director' });
    const g = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}`, headers }));
    expect(g).toMatchObject({ director_id: A.id, director: { instructor_id: A.id, full_name: 'Carlos Rodríguez' } });
    const out = await h.db.query<{ body: { type: string; target_users: string[] } }>("SELECT body FROM schedules.outbox WHERE body->>'type' = 'group.instructor_assigned'");
    expect(out).toHaveLength(1);
    expect(out[0].body.target_users).toEqual([A.id]);
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, headers, payload: { instructor_id: B.id, role: 'director', start_date: '2026-06-01' } }), 409, 'DIRECTOR_ALREADY_ASSIGNED');
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, headers, payload: { instructor_id: A.id, role: 'director', start_date: '2026-06-01' } }), 409, 'ASSIGNMENT_OVERLAP');
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, headers, payload: { instructor_id: B.id, role: 'instructor', start_date: '2025-06-01' } }), 422, 'OUTSIDE_GROUP_PERIOD');
    const g9 = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${A.id}?date=2026-03-10`, headers }));
    expect(g9).toMatchObject({ assigned: true, roles: ['director'], via: ['assignment'] });
  });

  it('when G10 names an aprendiz, then 422 INVALID_INSTRUCTOR; with users down, 503 and nothing stored', async () => {
    const headers = await h.as('admin');
    const ap = h.users.add({ role: 'aprendiz' });
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupB.id}/assignments`, headers, payload: { instructor_id: ap.id, role: 'instructor' } }), 422, 'INVALID_INSTRUCTOR');
    const ins = h.users.add({ role: 'instructor' });
    h.users.down = true;
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupB.id}/assignments`, headers, payload: { instructor_id: ins.id, role: 'instructor' } }), 503, 'SERVICE_UNAVAILABLE');
    h.users.down = false;
    expect(await h.db.query('SELECT 1 FROM schedules.group_assignments WHERE group_id = $1', [b.groupB.id])).toHaveLength(0);
  });

  it('when G11 moves an assignment and G12 deletes it, then the stored row follows', async () => {
    const headers = await h.as('admin');
    const X = h.users.add({ role: 'instructor' });
    const a = expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupB.id}/assignments`, headers, payload: { instructor_id: X.id, role: 'instructor', subject: 'Inglés' } }), 201);
    expect(expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupB.id}/assignments/${a.id}`, headers, payload: { end_date: '2026-12-31' } })).end_date).toBe('2026-12-31');
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupB.id}/assignments/${a.id}`, headers, payload: { end_date: '2028-01-01' } }), 422, 'OUTSIDE_GROUP_PERIOD');
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/groups/${b.groupB.id}/assignments/${a.id}`, headers })).statusCode).toBe(204);
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/groups/${b.groupB.id}/assignments/${a.id}`, headers }), 404, 'ASSIGNMENT_NOT_FOUND');
  });

  it('when instructor X assigned to Y calls G7, then 200 in last-name order via the service token; W → 403; aprendiz → 403; users down → 503', async () => {
    const X = h.users.add({ role: 'instructor' });
    await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, headers: await h.as('admin'), payload: { instructor_id: X.id, role: 'instructor' } });
    h.users.add({ role: 'aprendiz', last_name: 'Zapata' }, b.groupA.id);
    h.users.add({ role: 'aprendiz', last_name: 'Acosta' }, b.groupA.id);
    const headers = await h.as('instructor', { sub: X.id });
    h.users.calls.length = 0;
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/apprentices`, headers });
    expect(expectOk(res).map((a: { last_name: string }) => a.last_name)).toEqual(['Acosta', 'Zapata']);
    expect(res.json().meta.pagination.total).toBe(2);
    expect(h.users.calls.at(-1)).toEqual({ op: 'list', token: undefined });
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupB.id}/apprentices`, headers }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/apprentices`, headers: await h.as('aprendiz', { group_id: b.groupA.id }) }), 403, 'INSUFFICIENT_PERMISSIONS');
    h.users.down = true;
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/apprentices`, headers }), 503, 'SERVICE_UNAVAILABLE');
    h.users.down = false;
    const g8 = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors`, headers }));
    expect(g8.find((i: { instructor_id: string }) => i.instructor_id === X.id)).toMatchObject({ roles: ['instructor'], via: ['assignment'] });
  });

  it('when instructor Z asks G9 about X, then 403; about Z, then 200', async () => {
    const Z = h.users.add({ role: 'instructor' });
    const X = h.users.add({ role: 'instructor' });
    const headers = await h.as('instructor', { sub: Z.id });
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${X.id}`, headers }), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${Z.id}`, headers })).assigned).toBe(false);
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${Z.id}`, headers: await h.as('aprendiz', { group_id: b.groupA.id }) }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
