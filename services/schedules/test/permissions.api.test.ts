/**
 * The §2 permission matrix, role by role: each capability with its allowed roles (inside their scope)
 * and the refused ones (403 INSUFFICIENT_PERMISSIONS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '@sicora/platform/testing/http';
import { createHarness, ROLES, setupBasics, type Harness } from './harness.ts';

let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let ins: { id: string };
let entryId: string;
let day = 10;

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  ins = h.users.add({ role: 'instructor' });
  const admin = await h.as('admin');
  await h.app.inject({ method: 'POST', url: `/api/v1/groups/${b.groupA.id}/assignments`, headers: admin, payload: { instructor_id: ins.id, role: 'instructor' } });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { group_id: b.groupA.id, instructor_id: ins.id, venue_id: b.venue205.id, subject: 'Backend', blocks: 'MLUN1-MLUN3', start_date: '2026-03-02', end_date: '2026-05-24' } });
  entryId = res.json().data.id;
});
afterAll(async () => h.close());

type Req = { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: Record<string, unknown> };
const ALL = ROLES;
const STAFF_SVC = ['admin', 'coordinador', 'administrativo', 'instructor', 'service'] as const;
const WRITERS = ['admin', 'coordinador'] as const;

const matrix: Array<[string, () => Req, readonly string[]]> = [
  ['P1 read programs', () => ({ method: 'GET', url: '/api/v1/programs' }), ALL],
  ['K1 read shifts', () => ({ method: 'GET', url: '/api/v1/schedules/shifts' }), ALL],
  ['K3 read non-teaching days', () => ({ method: 'GET', url: '/api/v1/schedules/non-teaching-days' }), ALL],
  ['P2 write programs', () => ({ method: 'PATCH', url: `/api/v1/programs/${b.program.id}`, payload: { description: 'Actualizado' } }), WRITERS],
  ['C4 write campuses', () => ({ method: 'PATCH', url: `/api/v1/campuses/${b.campus.id}`, payload: { address: 'Calle 52 # 13-65' } }), WRITERS],
  ['V6 venue availability', () => ({ method: 'GET', url: '/api/v1/venues/availability?blocks=MMAR1&date_from=2026-03-02&date_to=2026-03-31' }), STAFF_SVC],
  ['G3 get a ficha', () => ({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}` }), ALL],
  ['G4 write fichas', () => ({ method: 'PATCH', url: `/api/v1/groups/${b.groupA.id}`, payload: { notes: 'Nota' } }), WRITERS],
  ['G7 apprentices of a ficha', () => ({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/apprentices` }), STAFF_SVC],
  ['G8 instructors of a ficha', () => ({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors` }), ALL],
  ['G9 is instructor assigned', () => ({ method: 'GET', url: `/api/v1/groups/${b.groupA.id}/instructors/${ins.id}` }), STAFF_SVC],
  ['G10 write assignments', () => ({ method: 'POST', url: `/api/v1/groups/${b.groupB.id}/assignments`, payload: { instructor_id: ins.id, role: 'instructor', start_date: '2099-01-01' } }), []],
  ['S3 read an entry', () => ({ method: 'GET', url: `/api/v1/schedules/${entryId}` }), ALL],
  ['W2 sessions', () => ({ method: 'GET', url: `/api/v1/schedules/sessions?group_id=${b.groupA.id}` }), ALL],
  ['W3 one session', () => ({ method: 'GET', url: `/api/v1/schedules/${entryId}/sessions/2026-03-16` }), ALL],
  ['W4 timetable', () => ({ method: 'GET', url: `/api/v1/schedules/timetable?group_id=${b.groupA.id}` }), ALL],
  ['W5 export', () => ({ method: 'GET', url: `/api/v1/schedules/export?format=csv&from=2026-03-09&to=2026-03-15&group_id=${b.groupA.id}` }), ALL],
  ['W1 my schedule', () => ({ method: 'GET', url: '/api/v1/schedules/me' }), ['instructor', 'aprendiz']],
  ['S4 write entries', () => ({ method: 'PATCH', url: `/api/v1/schedules/${entryId}`, payload: { notes: 'Nota' } }), WRITERS],
  ['S10 copy', () => ({ method: 'POST', url: '/api/v1/schedules/copy', payload: { source_from: '2026-03-02', source_to: '2026-03-08', target_start_date: '2026-09-07', target_end_date: '2026-09-13', dry_run: true } }), WRITERS],
  ['K4 write non-teaching days', () => ({ method: 'POST', url: '/api/v1/schedules/non-teaching-days', payload: { date: `2026-10-${day++}`, name: 'Jornada pedagógica' } }), WRITERS],
];

const claims = (role: string) => (role === 'instructor' ? { sub: ins.id } : role === 'aprendiz' ? { group_id: b.groupA.id } : {});

describe('§2 permission matrix', () => {
  for (const [name, req, allowed] of matrix) {
    it.each(ROLES)(`${name}: %s`, async (role) => {
      const r = req();
      const res = await h.app.inject({ ...r, headers: await h.as(role, claims(role)) });
      if (allowed.includes(role)) {
        expect(res.statusCode, res.body).toBeLessThan(400);
      } else if (name.startsWith('G10') && (role === 'admin' || role === 'coordinador')) {
        // Allowed role, refused by the rules (outside the ficha period), never by permissions.
        expectError(res, 422, 'OUTSIDE_GROUP_PERIOD');
      } else {
        expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
      }
    });
  }

  it('when scoped roles reach outside their scope, then 403 (O1, O2, O3)', async () => {
    const instructor = await h.as('instructor', { sub: ins.id });
    const aprendiz = await h.as('aprendiz', { group_id: b.groupA.id });
    for (const headers of [instructor, aprendiz]) {
      expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupB.id}`, headers }), 403, 'INSUFFICIENT_PERMISSIONS');
      expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${b.groupB.id}/instructors`, headers }), 403, 'INSUFFICIENT_PERMISSIONS');
      expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/timetable?group_id=${b.groupB.id}`, headers }), 403, 'INSUFFICIENT_PERMISSIONS');
    }
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/groups?instructor_id=${b.groupB.id}`, headers: instructor }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/sessions', headers: await h.as('aprendiz') }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
