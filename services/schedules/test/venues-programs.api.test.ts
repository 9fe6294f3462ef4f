import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, ROLES, setupBasics, type Harness } from './harness.ts';

// "now" = Monday 2026-03-09 07:00 Bogotá.
let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let admin: { authorization: string };
let entry: { id: string };

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  admin = await h.as('admin');
  const X = h.users.add({ role: 'instructor' });
  entry = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Backend', blocks: 'MLUN1-MLUN3', start_date: '2026-03-02', end_date: '2026-04-26' } }), 201);
});
afterAll(async () => h.close());

describe('US-SCH-01 sedes and ambientes', () => {
  it('when V2 names an unknown campus, then 422 REFERENCE_NOT_FOUND naming campus_id; a duplicate code → 409 VENUE_CODE_EXISTS', async () => {
    const err = expectError(await h.app.inject({ method: 'POST', url: '/api/v1/venues', headers: admin, payload: { campus_id: '00000000-0000-4000-8000-000000000000', code: '999', name: 'Aula', type: 'AULA', capacity: 10 } }), 422, 'REFERENCE_NOT_FOUND');
    expect(err.details).toMatchObject({ field: 'campus_id' });
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/venues', headers: admin, payload: { campus_id: b.campus.id, code: '205', name: 'Otra', type: 'AULA', capacity: 10 } }), 409, 'VENUE_CODE_EXISTS');
  });

  it('when venue 205 is used by an ACTIVE entry ending next month, then V4 is_active=false → 409 VENUE_IN_USE listing it; V5 → 409', async () => {
    const err = expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/venues/${b.venue205.id}`, headers: admin, payload: { is_active: false } }), 409, 'VENUE_IN_USE');
    expect((err.details as { entries: Array<{ id: string }> }).entries.map((e) => e.id)).toEqual([entry.id]);
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/venues/${b.venue205.id}`, headers: admin }), 409, 'VENUE_IN_USE');
    const [row] = await h.db.query<{ is_active: boolean }>('SELECT is_active FROM schedules.venues WHERE id = $1', [b.venue205.id]);
    expect(row.is_active).toBe(true);
  });

  it.each(ROLES)('when %s reads venues, then 200; writing is only for admin and coordinador', async (role) => {
    const headers = await h.as(role);
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/venues?sort=-capacity', headers }));
    expect(list[0]).toMatchObject({ code: '412', campus: { code: 'C52' } });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/venues', headers, payload: { campus_id: b.campus.id, code: `R${ROLES.indexOf(role)}`, name: 'Aula rol', type: 'AULA', capacity: 20 } });
    if (role === 'admin' || role === 'coordinador') expectOk(res, 201);
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('US-SCH-21 free rooms', () => {
  it('when 205 is booked Monday 06:00–09:00 and V6 asks Monday 08:00–10:00, then 205 is absent and free venues of the type are listed', async () => {
    const lab = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/venues', headers: admin, payload: { campus_id: b.campus.id, code: '413', name: 'Laboratorio de redes', type: 'LABORATORIO', capacity: 25 } }), 201);
    const q = 'day_of_week=1&start_time=08:00&end_time=10:00&date_from=2026-03-02&date_to=2026-05-24';
    const labs = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/venues/availability?${q}&type=LABORATORIO`, headers: await h.as('instructor') }));
    expect(labs.map((v: { id: string }) => v.id)).toEqual([lab.id]);
    const touching = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/venues/availability?blocks=MLUN4-MLUN5&date_from=2026-03-02&date_to=2026-05-24&type=LABORATORIO', headers: admin }));
    expect(touching.map((v: { code: string }) => v.code).sort()).toEqual(['205', '413']);
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/venues/availability?${q}`, headers: await h.as('aprendiz', { group_id: b.groupA.id }) }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/venues/availability?blocks=MLUN9&date_from=2026-03-02&date_to=2026-05-24', headers: admin }), 422, 'INVALID_BLOCK');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/venues/availability?blocks=MLUN1&date_from=2026-01-02&date_to=2027-05-24', headers: admin }), 422, 'VALIDATION_ERROR');
  });
});

describe('US-SCH-02 programs', () => {
  it('when P2 has CURSO_CORTO and 3 months, then 201; 61 months → 422; a duplicate code → 409', async () => {
    expect(expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/programs', headers: admin, payload: { code: 'scrum', name: 'Fundamentos de Scrum', level: 'CURSO_CORTO', duration_months: 3 } }), 201).code).toBe('SCRUM');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/programs', headers: admin, payload: { code: 'LARGO', name: 'Programa largo', level: 'TECNICO', duration_months: 61 } }), 422, 'VALIDATION_ERROR');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/programs', headers: admin, payload: { code: 'SCRUM', name: 'Otro Scrum', level: 'TECNICO', duration_months: 6 } }), 409, 'PROGRAM_CODE_EXISTS');
  });

  it('when a program has an active ficha, then P5 → 409 PROGRAM_IN_USE with the count and P4 is_active=false → 409', async () => {
    const err = expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/programs/${b.program.id}`, headers: admin }), 409, 'PROGRAM_IN_USE');
    expect(err.details).toMatchObject({ groups: 2, active_groups: 2 });
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/programs/${b.program.id}`, headers: admin, payload: { is_active: false } }), 409, 'PROGRAM_IN_USE');
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/programs/${b.program.id}`, headers: await h.as('aprendiz', { group_id: b.groupA.id }) })).active_group_count).toBe(2);
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/programs/${b.program.id}`, headers: await h.as('administrativo'), payload: { name: 'Cambio' } }), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when a program has no fichas, then P5 deletes it', async () => {
    const p = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/programs', headers: admin, payload: { code: 'TMP', name: 'Temporal', level: 'COMPLEMENTARIO', duration_months: 2 } }), 201);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/programs/${p.id}`, headers: admin })).statusCode).toBe(204);
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/programs/${p.id}`, headers: admin }), 404, 'PROGRAM_NOT_FOUND');
  });
});

describe('US-SCH-03 ficha period and shift in use (R5)', () => {
  it('when G4 moves end_date before an entry\'s end_date, then 409 GROUP_PERIOD_IN_USE; a shift change with a running entry → 409 GROUP_SHIFT_IN_USE', async () => {
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers: admin, payload: { end_date: '2026-04-01' } }), 409, 'GROUP_PERIOD_IN_USE');
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers: admin, payload: { shift: 'TARDE' } }), 409, 'GROUP_SHIFT_IN_USE');
    const [g] = await h.db.query<{ end_date: string; shift: string }>('SELECT end_date::text, shift FROM schedules.groups WHERE id = $1', [b.groupA.id]);
    expect(g).toEqual({ end_date: '2027-06-30', shift: 'MANANA' });
    expect(expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, headers: admin, payload: { end_date: '2027-05-31' } })).end_date).toBe('2027-05-31');
  });
});

describe('R3 ficha deactivation', () => {
  it('when a ficha is deactivated, then its running entries are cancelled from the first allowed date, assignments end yesterday and schedule.cancelled is queued', async () => {
    const X = h.users.add({ role: 'instructor' });
    await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupB.id}/assignments`, headers: admin, payload: { instructor_id: X.id, role: 'instructor' } });
    const e = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { group_id: b.groupB.id, instructor_id: X.id, venue_id: b.venue412.id, subject: 'Inglés', blocks: 'MLUN1-MLUN2', start_date: '2026-03-02', end_date: '2026-04-26' } }), 201);
    expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/groups/${b.groupB.id}`, headers: admin, payload: { is_active: false } }));
    const [row] = await h.db.query<{ status: string; cancelled_from: string; cancel_reason: string }>('SELECT status, cancelled_from::text, cancel_reason FROM schedules.schedule_entries WHERE id = $1', [e.id]);
    // Today's 06:00 class has not begun at 07:00? It has (06:00 < 07:00), so the cancellation starts tomorrow.
    expect(row).toEqual({ status: 'CANCELLED', cancelled_from: '2026-03-10', cancel_reason: 'Ficha desactivada' });
    const [a] = await h.db.query<{ end_date: string }>('SELECT end_date::text FROM schedules.group_assignments WHERE group_id = $1', [b.groupB.id]);
    expect(a.end_date).toBe('2026-03-08');
    expect(await h.db.query("SELECT 1 FROM schedules.outbox WHERE body->>'type' = 'schedule.cancelled' AND body->>'entity_id' = $1", [e.id])).toHaveLength(1);
  });
});
