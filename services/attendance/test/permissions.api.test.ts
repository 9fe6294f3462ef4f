/**
 * The §2 matrix rows built so far, role by role: each refused role gets 403 INSUFFICIENT_PERMISSIONS
 * before anything else, each allowed role gets past the guard to a real answer (its object-level cases
 * live in the resource suites).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { at, createHarness, MONDAY, ROLES, type Harness } from './harness.ts';

let h: Harness;
let rollId: string;
let recordId: string;
let scheduleId: string;
beforeAll(async () => {
  h = await createHarness(at(MONDAY, '06:10').toISOString());
  const s = h.addSession();
  scheduleId = s.schedule_id;
  const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: MONDAY }), 201);
  rollId = roll.id;
  const marked = expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { mark_rest: 'PRESENT' }));
  recordId = marked.roster[0].record.id;
});
afterAll(async () => h.close());

type Role = (typeof ROLES)[number];
const ops: Array<{ id: string; method: string; url: () => string; body?: unknown; allowed: Role[] }> = [
  { id: 'C1', method: 'GET', url: () => '/api/v1/attendance/me/classes', allowed: ['instructor', 'aprendiz'] },
  { id: 'RL1', method: 'GET', url: () => '/api/v1/attendance/rolls', allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RL2', method: 'POST', url: () => '/api/v1/attendance/rolls', body: () => ({ schedule_id: scheduleId, session_date: MONDAY }), allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RL3', method: 'GET', url: () => `/api/v1/attendance/rolls/${rollId}`, allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RL4', method: 'PUT', url: () => `/api/v1/attendance/rolls/${rollId}/marks`, body: () => ({ mark_rest: 'PRESENT' }), allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RL5', method: 'POST', url: () => `/api/v1/attendance/rolls/${crypto.randomUUID()}/close`, body: () => ({}), allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RL6', method: 'POST', url: () => `/api/v1/attendance/rolls/${rollId}/reopen`, allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RC1', method: 'GET', url: () => '/api/v1/attendance/records', allowed: ['admin', 'coordinador', 'instructor', 'aprendiz', 'service'] },
  { id: 'RC2', method: 'GET', url: () => `/api/v1/attendance/records/${recordId}`, allowed: ['admin', 'coordinador', 'instructor', 'aprendiz', 'service'] },
  { id: 'RC3', method: 'PATCH', url: () => `/api/v1/attendance/records/${recordId}`, body: () => ({ status: 'PRESENT' }), allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'RC4', method: 'DELETE', url: () => `/api/v1/attendance/records/${crypto.randomUUID()}?reason=Registro%20duplicado`, allowed: ['admin', 'coordinador'] },
  { id: 'RC5', method: 'GET', url: () => `/api/v1/attendance/records/${recordId}/changes`, allowed: ['admin', 'coordinador', 'instructor', 'aprendiz'] },
  { id: 'RC6', method: 'GET', url: () => '/api/v1/attendance/records/export', allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'S1', method: 'GET', url: () => '/api/v1/attendance/summary', allowed: ['admin', 'coordinador', 'instructor', 'aprendiz', 'service'] },
  { id: 'Q1', method: 'POST', url: () => '/api/v1/attendance/qr/codes', body: () => ({ schedule_id: scheduleId, device_id: crypto.randomUUID() }), allowed: ['aprendiz'] },
  { id: 'Q2', method: 'POST', url: () => '/api/v1/attendance/qr/scan', body: () => ({ code: 'SQ1.x', schedule_id: scheduleId }), allowed: ['admin', 'coordinador', 'instructor'] },
  { id: 'ST1', method: 'GET', url: () => '/api/v1/attendance/settings', allowed: ['admin', 'coordinador'] },
  { id: 'ST2', method: 'PATCH', url: () => '/api/v1/attendance/settings', body: () => ({ late_after_minutes: 15 }), allowed: ['admin'] },
];

describe('permission matrix (§2)', () => {
  for (const op of ops) {
    it.each(ROLES)(`when %s calls ${op.id}, then the guard answers as §2 says`, async (role) => {
      const body = typeof op.body === 'function' ? (op.body as () => unknown)() : undefined;
      const res = await h.inject(op.method, op.url(), role, body);
      if (op.allowed.includes(role)) {
        expect(res.statusCode, res.body).not.toBe(401);
        const json = String(res.headers['content-type']).startsWith('application/json');
        if (json) expect(res.json().error?.code).not.toBe('INSUFFICIENT_PERMISSIONS');
      } else {
        expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
      }
    });
  }

  it('when no token is sent, then 401', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/attendance/records' });
    expectError(res, 401, 'UNAUTHENTICATED');
  });

  it('when the roll\'s own people use the allowed operations, then they succeed', async () => {
    expectOk(await h.inject('GET', `/api/v1/attendance/rolls/${rollId}`, h.x));
    const owner = h.fichaA.apprentices.find((a) => a.id !== undefined)!;
    const mine = expectOk(await h.inject('GET', '/api/v1/attendance/records', owner));
    expect(mine.length).toBe(1);
    expectOk(await h.inject('GET', `/api/v1/attendance/records/${mine[0].id}`, 'service'));
  });
});
