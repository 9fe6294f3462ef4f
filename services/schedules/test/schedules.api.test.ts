import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, ROLES, setupBasics, type Harness } from './harness.ts';

// "now" = Monday 2026-03-09 07:00 Bogotá.
let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let X: { id: string };
let Y: { id: string };
let Z: { id: string };
let headers: { authorization: string };

const post = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers, payload });

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  X = h.users.add({ role: 'instructor', first_name: 'Carlos', last_name: 'Rodríguez' });
  Y = h.users.add({ role: 'instructor' });
  Z = h.users.add({ role: 'instructor' });
  headers = await h.as('coordinador');
});
afterAll(async () => h.close());

describe('US-SCH-07 create a weekly entry by hours or by blocks', () => {
  it('when S2 has blocks MLUN1-MLUN3 on a MANANA ficha, then 201 Monday 06:00–09:00 with its blocks, stored and published', async () => {
    const data = expectOk(await post({ group_id: b.groupA.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Inglés técnico', blocks: 'MLUN1-MLUN3', start_date: '2026-09-07', end_date: '2026-11-30' }), 201);
    expect(data).toMatchObject({ day_of_week: 1, start_time: '06:00', end_time: '09:00', blocks: ['MLUN1', 'MLUN2', 'MLUN3'], block_identifier: 'MLUN1', duration_hours: 3, day_name: 'Lunes', shift: 'MANANA', phase: 'UPCOMING', has_history: false, status: 'ACTIVE' });
    expect(data.group).toMatchObject({ id: b.groupA.id, number: b.groupA.number, program: { code: 'ADSO' } });
    const [row] = await h.db.query<{ start_time: string; day_of_week: number }>('SELECT start_time::text, day_of_week FROM schedules.schedule_entries WHERE id = $1', [data.id]);
    expect(row).toEqual({ start_time: '06:00:00', day_of_week: 1 });
    const out = await h.db.query<{ body: { type: string; target_groups: string[]; data: { entries: Array<{ blocks: string[]; day_name: string; start_date: string }> } } }>("SELECT body FROM schedules.outbox WHERE body->>'entity_id' = $1", [data.id]);
    expect(out.map((o) => o.body.type)).toEqual(['schedule.published']);
    expect(out[0].body.data.entries[0]).toMatchObject({ blocks: ['MLUN1', 'MLUN2', 'MLUN3'], day_name: 'Lunes', start_date: '07/09/2026' });
    expect(out[0].body.target_groups).toEqual([b.groupA.id]);
  });

  it.each<[string, Record<string, unknown>, number, string]>([
    ['Monday 12:00–14:00', { day_of_week: 1, start_time: '12:00', end_time: '14:00' }, 422, 'OUTSIDE_SHIFT'],
    ['blocks TLUN1', { blocks: 'TLUN1' }, 422, 'OUTSIDE_SHIFT'],
    ['day_of_week 7', { day_of_week: 7, start_time: '06:00', end_time: '08:00' }, 422, 'OUTSIDE_SHIFT'],
    ['blocks with a mismatching start_time', { blocks: 'MLUN1-MLUN3', start_time: '07:00' }, 422, 'BLOCK_MISMATCH'],
    ['a descending block range', { blocks: 'MLUN3-MLUN1' }, 422, 'INVALID_BLOCK'],
    ['an ordinal past the shift', { blocks: 'MLUN7' }, 422, 'INVALID_BLOCK'],
  ])('when S2 has %s, then %i %s and nothing is stored', async (_n, slot, status, code) => {
    const before = await h.db.query('SELECT id FROM schedules.schedule_entries');
    expectError(await post({ group_id: b.groupA.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Prueba', start_date: '2026-09-07', end_date: '2026-10-30', ...slot }), status, code);
    expect(await h.db.query('SELECT id FROM schedules.schedule_entries')).toHaveLength(before.length);
  });

  it('when the range 2026-03-03 → 2026-03-06 has no Monday, then 422 NO_OCCURRENCES; outside the ficha → OUTSIDE_GROUP_PERIOD; > 366 days → DATE_RANGE_TOO_LONG', async () => {
    const base = { group_id: b.groupA.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Prueba', day_of_week: 1, start_time: '06:00', end_time: '07:00' };
    expectError(await post({ ...base, start_date: '2026-03-03', end_date: '2026-03-06' }), 422, 'NO_OCCURRENCES');
    expectError(await post({ ...base, start_date: '2026-01-05', end_date: '2026-03-06' }), 422, 'OUTSIDE_GROUP_PERIOD');
    expectError(await post({ ...base, start_date: '2026-01-19', end_date: '2027-01-25' }), 422, 'DATE_RANGE_TOO_LONG');
    expectError(await post({ ...base, start_date: '2026-05-01', end_date: '2026-04-01' }), 422, 'VALIDATION_ERROR');
  });

  it('when the instructor is an aprendiz, then 422 INVALID_INSTRUCTOR; when users is down, 503', async () => {
    const ap = h.users.add({ role: 'aprendiz' });
    const body = { group_id: b.groupB.id, venue_id: b.venue412.id, subject: 'Prueba', day_of_week: 6, start_time: '06:00', end_time: '07:00', start_date: '2026-09-05', end_date: '2026-10-30' };
    expectError(await post({ ...body, instructor_id: ap.id }), 422, 'INVALID_INSTRUCTOR');
    h.users.down = true;
    expectError(await post({ ...body, instructor_id: Z.id }), 503, 'SERVICE_UNAVAILABLE');
    h.users.down = false;
  });

  it.each(ROLES)('when %s creates an entry, then only admin and coordinador may', async (role) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers: await h.as(role), payload: { group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Prueba', blocks: 'MSAB1', start_date: '2026-09-05', end_date: '2026-10-30' } });
    if (role === 'admin' || role === 'coordinador') expectOk(res);
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('US-SCH-08 conflicts, exactly', () => {
  let E: { id: string };
  const range = { start_date: '2026-03-02', end_date: '2026-05-24' };
  beforeAll(async () => {
    E = expectOk(await post({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Construcción de software', day_of_week: 1, start_time: '08:00', end_time: '10:00', ...range }), 201);
  });

  it('when a candidate shares only the instructor, Monday 09:00–11:00, then 409 with one INSTRUCTOR conflict naming E', async () => {
    const err = expectError(await post({ group_id: b.groupB.id, instructor_id: X.id, venue_id: b.venue412.id, subject: 'Otra', day_of_week: 1, start_time: '09:00', end_time: '11:00', ...range }), 409, 'SCHEDULE_CONFLICT');
    const conflicts = (err.details as { conflicts: Array<Record<string, unknown>> }).conflicts;
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ kind: 'INSTRUCTOR', schedule_id: E.id, group_number: b.groupA.number, instructor_id: X.id, instructor_name: 'Carlos Rodríguez', venue_code: '205', start_time: '08:00', end_time: '10:00', first_common_date: '2026-03-02', last_common_date: '2026-05-18' });
    expect(err.message).toBe(`El instructor ya tiene clase el lunes de 08:00 a 10:00 con la ficha ${b.groupA.number} desde el 02/03/2026`);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['only venue 205', { group_id: 'B', instructor_id: 'Y', venue_id: '205' }, ['VENUE']],
    ['only ficha A', { group_id: 'A', instructor_id: 'Y', venue_id: '412' }, ['GROUP']],
    ['all three', { group_id: 'A', instructor_id: 'X', venue_id: '205' }, ['INSTRUCTOR', 'VENUE', 'GROUP']],
  ])('when the candidate shares %s, then 409 with those kinds', async (_n, who, kinds) => {
    const payload = {
      group_id: who.group_id === 'A' ? b.groupA.id : b.groupB.id,
      instructor_id: who.instructor_id === 'X' ? X.id : Y.id,
      venue_id: who.venue_id === '205' ? b.venue205.id : b.venue412.id,
      subject: 'Otra', day_of_week: 1, start_time: '09:00', end_time: '11:00', ...range,
    };
    const err = expectError(await post(payload), 409, 'SCHEDULE_CONFLICT');
    expect((err.details as { conflicts: Array<{ kind: string }> }).conflicts.map((c) => c.kind)).toEqual(kinds);
  });

  it.each<[string, Record<string, unknown>]>([
    ['Monday 10:00–12:00 (touching)', { day_of_week: 1, start_time: '10:00', end_time: '12:00', ...range }],
    ['Tuesday 08:00–10:00', { day_of_week: 2, start_time: '08:00', end_time: '10:00', ...range }],
    ['Monday 08:00–10:00 from 2026-05-25 → 2026-08-16', { day_of_week: 1, start_time: '08:00', end_time: '10:00', start_date: '2026-05-25', end_date: '2026-08-16' }],
  ])('when the candidate is %s with instructor X, venue 205 and ficha A, then 201', async (_n, slot) => {
    const res = await post({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Sin choque', ...slot });
    const data = expectOk(res, 201);
    expect(await h.db.query('SELECT 1 FROM schedules.schedule_entries WHERE id = $1', [data.id])).toHaveLength(1);
    await h.db.query('DELETE FROM schedules.schedule_entries WHERE id = $1', [data.id]);
  });

  it('when the candidate runs 2026-05-19 → 2026-05-23 on Monday, then 422 NO_OCCURRENCES; 2026-05-18 → 2026-05-30 clashes on the holiday 2026-05-18 only', async () => {
    const base = { group_id: b.groupB.id, instructor_id: X.id, venue_id: b.venue412.id, subject: 'Otra', day_of_week: 1, start_time: '08:00', end_time: '10:00' };
    expectError(await post({ ...base, start_date: '2026-05-19', end_date: '2026-05-23' }), 422, 'NO_OCCURRENCES');
    const err = expectError(await post({ ...base, start_date: '2026-05-18', end_date: '2026-05-30' }), 409, 'SCHEDULE_CONFLICT');
    expect((err.details as { conflicts: unknown[] }).conflicts[0]).toMatchObject({ first_common_date: '2026-05-18', last_common_date: '2026-05-18' });
  });

  it('when S7 gets a clashing candidate, then 200 has_conflicts=true and nothing is stored', async () => {
    const before = (await h.db.query('SELECT id FROM schedules.schedule_entries')).length;
    const data = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers, payload: { group_id: b.groupB.id, instructor_id: X.id, venue_id: b.venue412.id, subject: 'Otra', day_of_week: 1, start_time: '09:00', end_time: '11:00', ...range } }));
    expect(data.has_conflicts).toBe(true);
    expect(data.conflicts[0]).toMatchObject({ kind: 'INSTRUCTOR', schedule_id: E.id });
    expect((await h.db.query('SELECT id FROM schedules.schedule_entries')).length).toBe(before);
    const excluded = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers, payload: { group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Misma', day_of_week: 1, start_time: '08:00', end_time: '10:00', ...range, exclude_schedule_id: E.id } }));
    expect(excluded.has_conflicts).toBe(false);
  });
});

describe('US-SCH-09 change an entry that already ran', () => {
  let E: { id: string };
  beforeAll(async () => {
    E = expectOk(await post({ group_id: b.groupB.id, instructor_id: Y.id, venue_id: b.venue412.id, subject: 'Matemáticas', day_of_week: 3, start_time: '06:00', end_time: '08:00', start_date: '2026-03-02', end_date: '2026-05-24' }), 201);
  });

  it('when S4 changes the venue without effective_from, then 409 SCHEDULE_HAS_HISTORY', async () => {
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${E.id}`, headers, payload: { venue_id: b.venue205.id } }), 409, 'SCHEDULE_HAS_HISTORY');
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${E.id}`, headers, payload: { start_date: '2026-03-03' } }), 409, 'SCHEDULE_HAS_HISTORY');
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${E.id}`, headers, payload: { group_id: b.groupA.id } }), 422, 'IMMUTABLE_FIELD');
  });

  it('when S4 changes only subject, then 200 in place', async () => {
    const data = expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${E.id}`, headers, payload: { subject: 'Matemáticas aplicadas' } }));
    expect(data.updated).toMatchObject({ id: E.id, subject: 'Matemáticas aplicadas', has_history: true });
    expect(data.created).toBeUndefined();
  });

  it('when effective_from is next Monday, then the original ends the day before, a new entry starts then, linked, with one schedule.changed', async () => {
    expectError(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${E.id}`, headers, payload: { venue_id: b.venue205.id, effective_from: '2026-03-08' } }), 422, 'DATE_IN_PAST');
    const data = expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${E.id}`, headers, payload: { venue_id: b.venue205.id, effective_from: '2026-03-16' } }));
    expect(data.updated).toMatchObject({ end_date: '2026-03-15', venue_id: b.venue412.id, replaced_by_id: data.created.id });
    expect(data.created).toMatchObject({ start_date: '2026-03-16', end_date: '2026-05-24', venue_id: b.venue205.id, day_of_week: 3, subject: 'Matemáticas aplicadas' });
    const out = await h.db.query<{ body: { type: string } }>("SELECT body FROM schedules.outbox WHERE body->>'entity_id' = $1 AND body->>'type' = 'schedule.changed'", [E.id]);
    expect(out).toHaveLength(1);
  });

  it('when an entry without history moves its day, then 200 in place, re-checked excluding itself', async () => {
    const F = expectOk(await post({ group_id: b.groupB.id, instructor_id: Y.id, venue_id: b.venue412.id, subject: 'Ética', day_of_week: 4, start_time: '06:00', end_time: '08:00', start_date: '2026-04-01', end_date: '2026-05-24' }), 201);
    const data = expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${F.id}`, headers, payload: { day_of_week: 5, effective_from: '2026-04-10' } }));
    expect(data.updated).toMatchObject({ id: F.id, day_of_week: 5, start_date: '2026-04-01' });
    expect(data.created).toBeUndefined();
    expect(expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/schedules/${F.id}`, headers, payload: { start_time: '07:00', end_time: '09:00' } })).updated.start_time).toBe('07:00');
  });
});

describe('US-SCH-10 cancel or delete an entry', () => {
  it('when S6 cancels from today + 7, then CANCELLED; again → 409; yesterday on another → 422 DATE_IN_PAST', async () => {
    const E = expectOk(await post({ group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Bases de datos', day_of_week: 2, start_time: '06:00', end_time: '09:00', start_date: '2026-03-02', end_date: '2026-05-24' }), 201);
    const data = expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${E.id}/cancel`, headers, payload: { from_date: '2026-03-16', reason: 'Cambio de programa' } }));
    expect(data).toMatchObject({ status: 'CANCELLED', cancelled_from: '2026-03-16', cancel_reason: 'Cambio de programa', effective_end_date: '2026-03-15' });
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${E.id}/cancel`, headers, payload: { reason: 'Otra vez' } }), 409, 'SCHEDULE_ALREADY_CANCELLED');
    const F = expectOk(await post({ group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Bases de datos', day_of_week: 4, start_time: '06:00', end_time: '09:00', start_date: '2026-03-02', end_date: '2026-05-24' }), 201);
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${F.id}/cancel`, headers, payload: { from_date: '2026-03-08', reason: 'Tarde' } }), 422, 'DATE_IN_PAST');
    expect((await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM schedules.outbox WHERE body->>'type' = 'schedule.cancelled' AND body->>'entity_id' = $1", [E.id]))[0].n).toBe(1);
  });

  it('when an entry already ran, then S5 → 409 SCHEDULE_HAS_HISTORY; one starting next month → 204', async () => {
    const ran = expectOk(await post({ group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Historia', day_of_week: 6, start_time: '06:00', end_time: '07:00', start_date: '2026-03-02', end_date: '2026-05-24' }), 201);
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${ran.id}`, headers }), 409, 'SCHEDULE_HAS_HISTORY');
    const later = expectOk(await post({ group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Futuro', day_of_week: 6, start_time: '07:00', end_time: '08:00', start_date: '2026-04-01', end_date: '2026-05-24' }), 201);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${later.id}`, headers })).statusCode).toBe(204);
    expect(await h.db.query('SELECT 1 FROM schedules.schedule_entries WHERE id = $1', [later.id])).toHaveLength(0);
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/${later.id}`, headers }), 404, 'SCHEDULE_NOT_FOUND');
  });
});

describe('S1 and S3 scope', () => {
  it('when an aprendiz asks S1 for another ficha, then 403; without filters only their ficha', async () => {
    const ap = await h.as('aprendiz', { group_id: b.groupA.id });
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules?group_id=${b.groupB.id}`, headers: ap }), 403, 'INSUFFICIENT_PERMISSIONS');
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules?page_size=100', headers: ap }));
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((e: { group_id: string }) => e.group_id === b.groupA.id)).toBe(true);
  });

  it('when date_from/date_to are given, then entries whose effective range overlaps are returned', async () => {
    const list = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules?group_id=${b.groupB.id}&date_from=2026-05-25&date_to=2026-06-30`, headers }));
    expect(list).toEqual([]);
    const march = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules?group_id=${b.groupB.id}&date_from=2026-03-01&date_to=2026-03-10&page_size=100`, headers }));
    expect(march.length).toBeGreaterThan(0);
  });

  it('when an instructor filters by another instructor, then 403; by themself, only linked fichas', async () => {
    const ins = await h.as('instructor', { sub: X.id });
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules?instructor_id=${Y.id}`, headers: ins }), 403, 'INSUFFICIENT_PERMISSIONS');
    const own = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules?instructor_id=${X.id}`, headers: ins }));
    expect(own.every((e: { instructor_id: string }) => e.instructor_id === X.id)).toBe(true);
    const s3 = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/${own[0].id}`, headers: ins }));
    expect(s3.exceptions).toEqual([]);
  });
});
