/** C1 my classes of a date (US-ATT-01). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Session } from '../src/application/ports.ts';
import { at, createHarness, MONDAY, ROLES, type Harness } from './harness.ts';

let h: Harness;
let s1: Session;
let s2: Session;
beforeAll(async () => {
  h = await createHarness();
  // Added out of order: C1 sorts by start.
  s2 = h.addSession({ start: '09:00', end: '12:00', subject: 'Bases de datos' });
  s1 = h.addSession({ start: '06:00', end: '09:00' });
  h.addSession({ ficha: h.fichaB, instructor: h.y });
  h.addSession({ date: '2026-03-10', status: 'CANCELLED' });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.clock.now = at(MONDAY, '07:00');
  h.schedules.down = false;
});

const URL = '/api/v1/attendance/me/classes';

describe('C1 my classes (US-ATT-01)', () => {
  it('when X teaches 2 sessions today and calls C1 at 07:00, then 2 items in start order, the first IN_PROGRESS with roll=null and can_mark=true', async () => {
    const data = expectOk(await h.inject('GET', URL, h.x));
    expect(data.map((c: { schedule_id: string }) => c.schedule_id)).toEqual([s1.schedule_id, s2.schedule_id]);
    expect(data[0]).toMatchObject({ state: 'IN_PROGRESS', roll: null, can_mark: true, missing: false, group_number: '2826503', venue_code: '205', instructor_name: h.x.full_name, start_time: '06:00' });
    expect(data[1]).toMatchObject({ state: 'UPCOMING', can_mark: false, subject: 'Bases de datos' });
  });

  it('when an apprentice of 2826503 was marked PRESENT in S, then S has my_status=PRESENT and the next session NOT_TAKEN', async () => {
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s1.schedule_id, session_date: MONDAY }), 201);
    const me = h.fichaA.apprentices[4];
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { marks: [{ student_id: me.id, status: 'PRESENT' }] }));
    const data = expectOk(await h.inject('GET', URL, me));
    expect(data).toHaveLength(2);
    expect(data[0]).toMatchObject({ schedule_id: s1.schedule_id, my_status: 'PRESENT', can_request_code: false, justification: null });
    expect(data[0].record_id).toEqual(expect.any(String));
    expect(data[1]).toMatchObject({ schedule_id: s2.schedule_id, my_status: 'NOT_TAKEN', record_id: null, can_request_code: false });
    const other = expectOk(await h.inject('GET', URL, h.fichaA.apprentices[5]));
    expect(other[0]).toMatchObject({ my_status: 'NOT_TAKEN', can_request_code: true });
    const xView = expectOk(await h.inject('GET', URL, h.x));
    expect(xView[0].roll).toMatchObject({ id: roll.id, status: 'OPEN', counts: { present: 1, roster: null } });
  });

  it('when the session ended without any record, then the instructor sees missing=true', async () => {
    h.clock.now = at(MONDAY, '12:30');
    const data = expectOk(await h.inject('GET', URL, h.x));
    expect(data[1]).toMatchObject({ state: 'ENDED', missing: true, can_mark: true });
  });

  it('when schedules is down, then 503 SERVICE_UNAVAILABLE; a date beyond today ± 7 → 422', async () => {
    expectOk(await h.inject('GET', `${URL}?date=2026-03-16`, h.x));
    expectError(await h.inject('GET', `${URL}?date=2026-03-17`, h.x), 422, 'VALIDATION_ERROR');
    h.schedules.down = true;
    expectError(await h.inject('GET', URL, h.x), 503, 'SERVICE_UNAVAILABLE');
  });

  it.each(ROLES)('when %s calls C1, then only instructors and apprentices are let in', async (role) => {
    const res = await h.inject('GET', URL, role);
    if (role === 'instructor' || role === 'aprendiz') expect(expectOk(res)).toEqual([]);
    else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
