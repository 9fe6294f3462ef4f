/**
 * Object-level rules O1–O3 through HTTP with a second person's ids, for every `{id}` path a scoped role
 * may call (G3, G7, G8, G9, S3, W3) and every filter that names a ficha or an instructor (G1, S1, W2, W4,
 * W5): instructor X teaches ficha A, instructor Y ficha B; apprentice a1 belongs to A, a2 to B. Each reads
 * their own (200) and is refused the other's (403 INSUFFICIENT_PERMISSIONS), and O1's three sources of
 * scope (assignment, entry of any status, substitution) each open exactly their ficha. Writes on `{id}`
 * paths stay with coordination even inside the caller's scope, and a refused write changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, setupBasics, type Harness } from './harness.ts';

// "now" = Monday 2026-03-09 07:00 Bogotá.
let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let X: { id: string };
let Y: { id: string };
let entryA: { id: string };
let entryB: { id: string };
let admin: { authorization: string };
type Headers = { authorization: string };
const as = {} as Record<'X' | 'Y' | 'a1' | 'a2' | 'noFicha', Headers>;

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  X = h.users.add({ role: 'instructor', first_name: 'Carlos', last_name: 'Rodríguez' });
  Y = h.users.add({ role: 'instructor', first_name: 'Luz', last_name: 'Moreno' });
  admin = await h.as('admin');
  const mk = async (p: Record<string, unknown>) => expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { start_date: '2026-03-02', end_date: '2026-05-24', ...p } }), 201);
  entryA = await mk({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Backend', blocks: 'MLUN1-MLUN3' });
  entryB = await mk({ group_id: b.groupB.id, instructor_id: Y.id, venue_id: b.venue412.id, subject: 'Bases de datos', blocks: 'MMAR1-MMAR3' });
  as.X = await h.as('instructor', { sub: X.id });
  as.Y = await h.as('instructor', { sub: Y.id });
  as.a1 = await h.as('aprendiz', { group_id: b.groupA.id });
  as.a2 = await h.as('aprendiz', { group_id: b.groupB.id });
  as.noFicha = await h.as('aprendiz');
});
afterAll(async () => h.close());

const get = (url: string, headers: Headers) => h.app.inject({ method: 'GET', url, headers });
const refused = async (url: string, headers: Headers) => expectError(await get(url, headers), 403, 'INSUFFICIENT_PERMISSIONS');

/** `{id}` reads of ficha A's objects (the ids a second person would try), by who may call each. */
const readsOfA = () => [
  ['G3 get a ficha', `/api/v1/groups/${b.groupA.id}`],
  ['G8 instructors of a ficha', `/api/v1/groups/${b.groupA.id}/instructors`],
  ['S3 get an entry', `/api/v1/schedules/${entryA.id}`],
  ['W3 one session', `/api/v1/schedules/${entryA.id}/sessions/2026-03-16`],
] as const;

describe('O1 instructors: their fichas only', () => {
  it('when X reads ficha A\'s ficha, instructors, apprentices, entry and session, then 200; Y gets 403 for each', async () => {
    for (const [, url] of [...readsOfA(), ['G7 apprentices', `/api/v1/groups/${b.groupA.id}/apprentices`]]) {
      expect((await get(url, as.X)).statusCode, url).toBe(200);
      await refused(url, as.Y);
    }
  });

  it('when Y asks G9 about X, then 403 even on Y\'s own ficha; about Y, then 200', async () => {
    await refused(`/api/v1/groups/${b.groupA.id}/instructors/${X.id}`, as.Y);
    await refused(`/api/v1/groups/${b.groupB.id}/instructors/${X.id}`, as.Y);
    expect(expectOk(await get(`/api/v1/groups/${b.groupB.id}/instructors/${Y.id}?date=2026-03-10`, as.Y))).toMatchObject({ assigned: true, via: ['schedule'] });
  });

  it('when Y filters lists and views by X or by ficha A, then 403; by themself or ficha B, then only B', async () => {
    const byX = [
      `/api/v1/groups?instructor_id=${X.id}`,
      `/api/v1/schedules?instructor_id=${X.id}`,
      `/api/v1/schedules/sessions?instructor_id=${X.id}&date=2026-03-09`,
      `/api/v1/schedules/timetable?instructor_id=${X.id}`,
      `/api/v1/schedules/export?format=csv&from=2026-03-09&to=2026-03-15&instructor_id=${X.id}`,
    ];
    const byA = [
      `/api/v1/schedules?group_id=${b.groupA.id}`,
      `/api/v1/schedules/sessions?group_id=${b.groupA.id}&date=2026-03-09`,
      `/api/v1/schedules/timetable?group_id=${b.groupA.id}`,
      `/api/v1/schedules/export?format=ics&from=2026-03-09&to=2026-03-15&group_id=${b.groupA.id}`,
    ];
    for (const url of [...byX, ...byA]) await refused(url, as.Y);
    expect(expectOk(await get('/api/v1/groups', as.Y)).map((g: { id: string }) => g.id)).toEqual([b.groupB.id]);
    expect(expectOk(await get(`/api/v1/schedules?instructor_id=${Y.id}`, as.Y)).map((e: { id: string }) => e.id)).toEqual([entryB.id]);
    // A venue view shows only the caller's fichas' sessions in it.
    const week = expectOk(await get(`/api/v1/schedules/timetable?venue_id=${b.venue205.id}&week_of=2026-03-09`, as.Y));
    expect(week.days.flatMap((d: { sessions: unknown[] }) => d.sessions)).toEqual([]);
  });

  it('when Y becomes X\'s substitute on one session of ficha A, then A enters Y\'s scope (R22); a cancelled entry still keeps it', async () => {
    const other = h.users.add({ role: 'instructor' });
    const otherAs = await h.as('instructor', { sub: other.id });
    await refused(`/api/v1/groups/${b.groupA.id}`, otherAs);
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${entryA.id}/exceptions`, headers: admin, payload: { date: '2026-03-16', kind: 'CHANGED', instructor_id: other.id, reason: 'Incapacidad médica' } }), 201);
    expect((await get(`/api/v1/groups/${b.groupA.id}`, otherAs)).statusCode).toBe(200);
    expect((await get(`/api/v1/schedules/${entryA.id}/sessions/2026-03-16`, otherAs)).statusCode).toBe(200);
    await refused(`/api/v1/groups/${b.groupB.id}`, otherAs);

    const third = h.users.add({ role: 'instructor' });
    const thirdAs = await h.as('instructor', { sub: third.id });
    const cancelled = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { group_id: b.groupB.id, instructor_id: third.id, venue_id: b.venue205.id, subject: 'Ética', blocks: 'MVIE1', start_date: '2026-04-06', end_date: '2026-05-24' } }), 201);
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${cancelled.id}/cancel`, headers: admin, payload: { reason: 'Sin instructor' } }));
    expect((await get(`/api/v1/schedules/${cancelled.id}`, thirdAs)).statusCode).toBe(200);
    await refused(`/api/v1/schedules/${entryA.id}`, thirdAs);
  });

  it('when an instructor is only assigned (no entry) to ficha B, then B is in scope and A is not', async () => {
    const assigned = h.users.add({ role: 'instructor' });
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupB.id}/assignments`, headers: admin, payload: { instructor_id: assigned.id, role: 'instructor', start_date: '2027-01-11' } }), 201);
    const headers = await h.as('instructor', { sub: assigned.id });
    expect((await get(`/api/v1/groups/${b.groupB.id}/instructors`, headers)).statusCode).toBe(200);
    await refused(`/api/v1/groups/${b.groupA.id}/instructors`, headers);
  });
});

describe('O2 apprentices: the ficha in their token only', () => {
  it('when a1 reads ficha A\'s objects, then 200; a2 (ficha B) and an apprentice token without ficha get 403', async () => {
    for (const [, url] of readsOfA()) {
      expect((await get(url, as.a1)).statusCode, url).toBe(200);
      await refused(url, as.a2);
      await refused(url, as.noFicha);
    }
  });

  it('when a2 filters by ficha A, then 403; apprentices never read a roster or G9, even of their own ficha', async () => {
    for (const url of [
      `/api/v1/schedules?group_id=${b.groupA.id}`,
      `/api/v1/schedules/sessions?group_id=${b.groupA.id}&date=2026-03-09`,
      `/api/v1/schedules/timetable?group_id=${b.groupA.id}`,
      `/api/v1/schedules/export?format=csv&from=2026-03-09&to=2026-03-15&group_id=${b.groupA.id}`,
    ]) await refused(url, as.a2);
    await refused(`/api/v1/groups/${b.groupA.id}/apprentices`, as.a1);
    await refused(`/api/v1/groups/${b.groupA.id}/instructors/${X.id}`, as.a1);
  });

  it('when a2 lists entries or exports with no filter, then only ficha B\'s', async () => {
    const listed = expectOk(await get('/api/v1/schedules', as.a2)).map((e: { group_id: string }) => e.group_id);
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed)).toEqual(new Set([b.groupB.id]));
    const csv = await get('/api/v1/schedules/export?format=csv&from=2026-03-09&to=2026-03-15', as.a2);
    const numbers = csv.body.split('\r\n').slice(1).filter(Boolean).map((l) => l.split(',')[5]);
    expect(numbers).toEqual([b.groupB.number]);
  });
});

describe('writes on {id} paths belong to coordination, also inside the caller\'s scope', () => {
  it('when X writes to their own ficha A or entry, then 403 and nothing changes', async () => {
    const before = await h.db.query('SELECT id, updated_at FROM schedules.schedule_entries ORDER BY id');
    const groupsBefore = await h.db.query('SELECT id, updated_at FROM schedules.groups ORDER BY id');
    const writes: Array<{ method: 'PATCH' | 'POST' | 'DELETE'; url: string; payload?: Record<string, unknown> }> = [
      { method: 'PATCH', url: `/api/v1/schedules/${entryA.id}`, payload: { notes: 'Mía' } },
      { method: 'POST', url: `/api/v1/schedules/${entryA.id}/cancel`, payload: { reason: 'Me voy' } },
      { method: 'POST', url: `/api/v1/schedules/${entryA.id}/exceptions`, payload: { date: '2026-03-23', kind: 'CANCELLED', reason: 'Cita médica' } },
      { method: 'DELETE', url: `/api/v1/schedules/${entryA.id}/exceptions/2026-03-16` },
      { method: 'DELETE', url: `/api/v1/schedules/${entryA.id}` },
      { method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, payload: { notes: 'Mía' } },
      { method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, payload: { instructor_id: X.id, role: 'director' } },
    ];
    for (const w of writes) expectError(await h.app.inject({ ...w, headers: as.X }), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(await h.db.query('SELECT id, updated_at FROM schedules.schedule_entries ORDER BY id')).toEqual(before);
    expect(await h.db.query('SELECT id, updated_at FROM schedules.groups ORDER BY id')).toEqual(groupsBefore);
  });
});
