import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, setupBasics, type Harness } from './harness.ts';

// "now" = Monday 2026-03-09 07:00 Bogotá.
let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let X: { id: string };
let Z: { id: string };
let admin: { authorization: string };
let tue: { id: string };

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  X = h.users.add({ role: 'instructor', first_name: 'Carlos', last_name: 'Rodríguez' });
  Z = h.users.add({ role: 'instructor', first_name: 'Luz', last_name: 'Moreno' });
  admin = await h.as('admin');
  const mk = async (p: Record<string, unknown>) => expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { start_date: '2026-03-02', end_date: '2026-05-24', ...p } }), 201);
  tue = await mk({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Backend', blocks: 'MMAR1-MMAR3' });
  await mk({ group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Inglés', blocks: 'MJUE1-MJUE2' });
});
afterAll(async () => h.close());

describe('US-SCH-05 is this instructor assigned to this ficha?', () => {
  it('when X has an entry of ficha A from 2026-03-02 to 2026-05-24, then G9 on 2026-03-10 says assigned via schedule; on 2026-06-01 not assigned', async () => {
    const svc = await h.as('service');
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${X.id}?date=2026-03-10`, headers: svc }))).toEqual({ group_id: b.groupA.id, instructor_id: X.id, date: '2026-03-10', assigned: true, roles: ['instructor'], via: ['schedule'] });
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${X.id}?date=2026-06-01`, headers: svc }))).toMatchObject({ assigned: false, roles: [], via: [] });
    const listed = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups?instructor_id=${X.id}&assigned_on=2026-03-10`, headers: svc }));
    expect(listed.map((g: { id: string }) => g.id)).toEqual([b.groupA.id]);
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups?instructor_id=${X.id}&assigned_on=2026-06-01`, headers: svc }))).toEqual([]);
    const g8 = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors?from=2026-03-09&to=2026-03-15`, headers: svc }));
    expect(g8).toEqual([expect.objectContaining({ instructor_id: X.id, via: ['schedule'], weekly_hours: 3, subjects: ['Backend'], full_name: 'Carlos Rodríguez' })]);
  });
});

describe('US-SCH-19 one-off changes to a session', () => {
  it('when S11 makes free Z the substitute next Tuesday, then 201, W2 shows Z changed, G9 says via exception, W1 moves the session', async () => {
    const x = expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: admin, payload: { date: '2026-03-17', kind: 'CHANGED', instructor_id: Z.id, reason: 'Incapacidad médica' } }), 201);
    expect(x).toMatchObject({ date: '2026-03-17', kind: 'CHANGED', instructor_id: Z.id });
    const sessions = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?date=2026-03-17&group_id=${b.groupA.id}`, headers: admin }));
    expect(sessions[0]).toMatchObject({ instructor: { id: Z.id, full_name: 'Luz Moreno' }, scheduled_instructor_id: X.id, is_changed: true });
    const g9 = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${Z.id}?date=2026-03-17`, headers: admin }));
    expect(g9).toMatchObject({ assigned: true, via: ['exception'] });
    const zWeek = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/me?from=2026-03-16&to=2026-03-22', headers: await h.as('instructor', { sub: Z.id }) }));
    expect(zWeek.map((s: { date: string; is_changed: boolean }) => [s.date, s.is_changed])).toEqual([['2026-03-17', true], ['2026-03-19', false]]);
    const xWeek = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/me?from=2026-03-16&to=2026-03-22', headers: await h.as('instructor', { sub: X.id }) }));
    expect(xWeek).toEqual([]);
    const out = await h.db.query("SELECT 1 FROM schedules.outbox WHERE body->>'type' = 'schedule.session_changed'");
    expect(out).toHaveLength(1);
  });

  it('when Z already teaches at that time that day, then 409 SCHEDULE_CONFLICT kind INSTRUCTOR', async () => {
    const thu = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Frontend', blocks: 'MJUE1-MJUE3', start_date: '2026-03-02', end_date: '2026-05-24' } }), 201);
    const err = expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${thu.id}/exceptions`, headers: admin, payload: { date: '2026-03-19', kind: 'CHANGED', instructor_id: Z.id, reason: 'Reemplazo' } }), 409, 'SCHEDULE_CONFLICT');
    expect((err.details as { conflicts: Array<{ kind: string }> }).conflicts.map((c) => c.kind)).toEqual(['INSTRUCTOR']);
  });

  it('when S11 names a non-occurrence date, then 422 NOT_AN_OCCURRENCE; a second exception → 409 EXCEPTION_EXISTS; a past date → 422 DATE_IN_PAST', async () => {
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: admin, payload: { date: '2026-03-18', kind: 'CANCELLED', reason: 'No es martes' } }), 422, 'NOT_AN_OCCURRENCE');
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: admin, payload: { date: '2026-03-17', kind: 'CANCELLED', reason: 'Segundo cambio' } }), 409, 'EXCEPTION_EXISTS');
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: admin, payload: { date: '2026-03-03', kind: 'CANCELLED', reason: 'Pasado' } }), 422, 'DATE_IN_PAST');
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: admin, payload: { date: '2026-03-24', kind: 'CHANGED', instructor_id: X.id, reason: 'Sin cambio' } }), 422, 'VALIDATION_ERROR');
  });

  it('when a CANCELLED exception exists, then the session is omitted; S12 restores it', async () => {
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: admin, payload: { date: '2026-03-24', kind: 'CANCELLED', reason: 'Salida pedagógica' } }), 201);
    const cancelled = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/${tue.id}/sessions/2026-03-24`, headers: admin }));
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancel_reason: 'EXCEPTION: Salida pedagógica' });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${tue.id}/exceptions/2026-03-24`, headers: admin })).statusCode).toBe(204);
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/${tue.id}/sessions/2026-03-24`, headers: admin })).status).toBe('SCHEDULED');
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/schedules/${tue.id}/exceptions/2026-03-24`, headers: admin }), 404, 'EXCEPTION_NOT_FOUND');
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${tue.id}/exceptions`, headers: await h.as('instructor', { sub: X.id }), payload: { date: '2026-03-31', kind: 'CANCELLED', reason: 'No puedo' } }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
