/** §2 role by role: the role guard of every write (403 before validation), and O5 (service reads, never writes). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const id = randomUUID();
// [method, path, roles refused by the role guard]
const WRITES: Array<[string, string, string[]]> = [
  ['POST', '/teams', ['administrativo', 'aprendiz', 'service']],
  ['PATCH', `/teams/${id}`, ['administrativo', 'aprendiz', 'service']],
  ['POST', `/teams/${id}/members`, ['administrativo', 'aprendiz', 'service']],
  ['POST', `/teams/${id}/ideas`, ['administrativo', 'service']],
  ['POST', `/ideas/${id}/decision`, ['administrativo', 'aprendiz', 'service']],
  ['POST', '/projects', ['administrativo', 'aprendiz', 'service']],
  ['PUT', `/projects/${id}/scope-lock`, ['administrativo', 'aprendiz', 'service']],
  ['POST', '/stakeholders', ['administrativo', 'aprendiz', 'service']],
  ['POST', '/rubrics', ['administrativo', 'instructor', 'aprendiz', 'service']],
  ['POST', `/rubrics/${id}/activate`, ['administrativo', 'instructor', 'aprendiz', 'service']],
  ['POST', `/projects/${id}/deliverables`, ['administrativo', 'aprendiz', 'service']],
  ['POST', `/deliverables/${id}/submissions`, ['admin', 'coordinador', 'administrativo', 'instructor', 'service']],
  ['POST', `/submissions/${id}/publish`, ['administrativo', 'aprendiz', 'service']],
  ['POST', '/sessions', ['administrativo', 'aprendiz', 'service']],
  ['POST', `/sessions/${id}/respond`, ['admin', 'coordinador', 'administrativo', 'aprendiz', 'service']],
  ['POST', `/submissions/${id}/evaluations`, ['admin', 'coordinador', 'administrativo', 'aprendiz', 'service']],
  ['POST', `/evaluations/${id}/complete`, ['admin', 'coordinador', 'administrativo', 'aprendiz', 'service']],
  ['POST', `/change-requests/${id}/decision`, ['administrativo', 'aprendiz', 'service']],
  ['POST', `/documents/${id}/review`, ['administrativo', 'aprendiz', 'service']],
];
const READS: Array<[string, string[]]> = [
  ['/teams', []],
  ['/stakeholders', ['aprendiz']],
  ['/evaluations/pending', ['administrativo', 'aprendiz', 'service']],
  ['/reports/summary', ['instructor', 'aprendiz']],
];

describe('permission matrix (§2)', () => {
  it('when a role the matrix refuses calls a write, then 403 INSUFFICIENT_PERMISSIONS before any validation', async () => {
    for (const [method, path, refused] of WRITES) {
      for (const role of refused) {
        const res = await h.inject(method, `${BASE}${path}`, role, {});
        expect([`${role} ${method} ${path}`, res.statusCode, res.json().error.code]).toEqual([`${role} ${method} ${path}`, 403, 'INSUFFICIENT_PERMISSIONS']);
      }
    }
  });

  it('reads: service tokens read as administrativo (O5); the refused roles get 403; no token, 401', async () => {
    for (const [path, refused] of READS) {
      for (const role of ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service']) {
        const res = await h.inject('GET', `${BASE}${path}`, role);
        expect([role, path, res.statusCode]).toEqual([role, path, refused.includes(role) ? 403 : 200]);
      }
    }
    expect((await h.app.inject({ method: 'GET', url: `${BASE}/teams` })).statusCode).toBe(401);
  });

  it('an instructor who is not the advisor reads a team but cannot change it (O2)', async () => {
    const team = await h.ok(201, 'POST', `${BASE}/teams`, h.x, { name: 'Equipo Permisos', group_id: h.fichaA.id });
    expect((await h.inject('GET', `${BASE}/teams/${team.id}`, h.y)).statusCode).toBe(200);
    for (const [method, path, body] of [['PATCH', '', { name: 'Otro nombre' }], ['POST', '/activate', undefined], ['POST', '/close', { reason: 'Cierre por prueba aquí.' }], ['DELETE', '', undefined]] as const) {
      expect((await h.inject(method, `${BASE}/teams/${team.id}${path}`, h.y, body)).statusCode).toBe(403);
    }
    expect((await h.inject('DELETE', `${BASE}/teams/${team.id}`, h.coordinador)).statusCode).toBe(204);
  });
});
