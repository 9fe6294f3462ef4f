/**
 * The permission matrix of users.md §2, role by role: every endpoint with each principal's allowed or
 * refused answer (public = no token → 401; a role outside the matrix → 403 INSUFFICIENT_PERMISSIONS).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '@sicora/platform/testing/http';
import { bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

type Principal = 'public' | 'admin' | 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz' | 'service';
const PRINCIPALS: Principal[] = ['public', 'admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'];
const PERSONS: Principal[] = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'];
const STAFF: Principal[] = ['admin', 'coordinador', 'administrativo'];

let h: Harness;
let groupId: string;

beforeAll(async () => {
  h = await startUsers();
  groupId = h.groups.add({ number: '2826503' }).id;
});
afterAll(async () => {
  await h.close();
});

interface Caller {
  token?: string;
  sessionId?: string;
}

async function caller(p: Principal): Promise<Caller> {
  if (p === 'public') return {};
  if (p === 'service') return { token: await h.serviceToken('attendance') };
  const u = await h.addUser({ role: p, ...(p === 'aprendiz' ? { groupId, groupNumber: '2826503' } : {}) });
  const pair = await h.login(u.email, PASSWORD);
  return { token: pair.access_token, sessionId: pair.session_id };
}

const target = (fields = {}) => h.addUser({ role: 'instructor', ...fields });
const csv = () => {
  const n = 70_000_000 + Math.floor(Math.random() * 9_000_000);
  return `first_name,last_name,email,document_type,document_number,role\nAna,Paz,ana${n}@x.co,CC,${n},instructor\n`;
};

interface Case {
  id: string;
  allow: Principal[];
  ok: number;
  request: (c: Caller) => Promise<{ method: string; url: string; payload?: unknown; headers?: Record<string, string> }>;
}

const CASES: Case[] = [
  { id: 'A3 logout', allow: PERSONS, ok: 200, request: async () => ({ method: 'POST', url: '/api/v1/auth/logout' }) },
  { id: 'A6 change-password', allow: PERSONS, ok: 200, request: async () => ({ method: 'POST', url: '/api/v1/auth/change-password', payload: { current_password: PASSWORD, new_password: 'Nueva#Clave-2099' } }) },
  { id: 'A8 password-policy', allow: PRINCIPALS, ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/auth/password-policy' }) },
  { id: 'K1 jwks', allow: PRINCIPALS, ok: 200, request: async () => ({ method: 'GET', url: '/.well-known/jwks.json' }) },
  { id: 'K2 keys', allow: ['admin'], ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/auth/keys' }) },
  { id: 'K3 rotate', allow: ['admin'], ok: 201, request: async () => ({ method: 'POST', url: '/api/v1/auth/keys/rotate' }) },
  { id: 'K4 revocations', allow: ['service'], ok: 200, request: async () => ({ method: 'GET', url: `/api/v1/auth/revocations?since=${h.now().toISOString()}` }) },
  { id: 'P1 me', allow: PERSONS, ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users/me' }) },
  { id: 'P2 edit me', allow: PERSONS, ok: 200, request: async () => ({ method: 'PATCH', url: '/api/v1/users/me', payload: { phone: '3001234567' } }) },
  { id: 'P3 sessions', allow: PERSONS, ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users/me/sessions' }) },
  { id: 'P4 end session', allow: PERSONS, ok: 204, request: async (c) => ({ method: 'DELETE', url: `/api/v1/users/me/sessions/${c.sessionId ?? '00000000-0000-4000-8000-000000000000'}` }) },
  { id: 'U1 list', allow: [...STAFF, 'service'], ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users' }) },
  { id: 'U2 create', allow: STAFF, ok: 201, request: async () => {
    const n = 60_000_000 + Math.floor(Math.random() * 9_000_000);
    return { method: 'POST', url: '/api/v1/users', payload: { first_name: 'Ana', last_name: 'Paz', email: `u${n}@x.co`, document_type: 'CC', document_number: String(n), role: 'instructor' } };
  } },
  { id: 'U3 get', allow: [...STAFF, 'service'], ok: 200, request: async () => ({ method: 'GET', url: `/api/v1/users/${(await target()).id}` }) },
  { id: 'U4 edit', allow: STAFF, ok: 200, request: async () => ({ method: 'PATCH', url: `/api/v1/users/${(await target()).id}`, payload: { area: 'Bases de datos' } }) },
  { id: 'U5 delete', allow: ['admin'], ok: 204, request: async () => ({ method: 'DELETE', url: `/api/v1/users/${(await target()).id}` }) },
  { id: 'U6 restore', allow: ['admin'], ok: 200, request: async () => ({ method: 'POST', url: `/api/v1/users/${(await target({ deletedAt: h.now(), isActive: false })).id}/restore` }) },
  { id: 'U7 activate', allow: ['admin', 'coordinador'], ok: 200, request: async () => ({ method: 'POST', url: `/api/v1/users/${(await target({ isActive: false })).id}/activate` }) },
  { id: 'U8 deactivate', allow: ['admin', 'coordinador'], ok: 200, request: async () => ({ method: 'POST', url: `/api/v1/users/${(await target()).id}/deactivate` }) },
  { id: 'U9 staff reset', allow: ['admin', 'coordinador'], ok: 200, request: async () => ({ method: 'POST', url: `/api/v1/users/${(await target()).id}/reset-password` }) },
  { id: 'U10 unlock', allow: ['admin', 'coordinador'], ok: 200, request: async () => ({ method: 'POST', url: `/api/v1/users/${(await target()).id}/unlock` }) },
  { id: 'U11 availability', allow: STAFF, ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users/availability?email=libre@x.co' }) },
  { id: 'U12 lookup', allow: [...STAFF, 'instructor', 'service'], ok: 200, request: async () => ({ method: 'POST', url: '/api/v1/users/lookup', payload: { ids: [(await target()).id] } }) },
  { id: 'U13 security log', allow: ['admin'], ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users/security-events' }) },
  { id: 'B1 import', allow: STAFF, ok: 200, request: async () => {
    const boundary = `----m${randomBytes(6).toString('hex')}`;
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="u.csv"\r\nContent-Type: text/csv\r\n\r\n${csv()}\r\n--${boundary}--\r\n`;
    return { method: 'POST', url: '/api/v1/users/import?dry_run=true', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  } },
  { id: 'B2 template', allow: STAFF, ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users/import/template' }) },
  { id: 'B3 bulk edit', allow: ['admin', 'coordinador'], ok: 200, request: async () => ({ method: 'PATCH', url: '/api/v1/users/bulk', payload: { items: [{ id: (await target()).id, area: 'Inglés' }] } }) },
  { id: 'B4 bulk delete', allow: ['admin'], ok: 200, request: async () => ({ method: 'POST', url: '/api/v1/users/bulk/delete', payload: { ids: [(await target()).id] } }) },
  { id: 'B5 export', allow: STAFF, ok: 200, request: async () => ({ method: 'GET', url: '/api/v1/users/export' }) },
];

describe('§2 permission matrix', () => {
  for (const c of CASES) {
    it(`when each principal calls ${c.id}, then ${c.allow.join(', ')} get ${c.ok} and the others are refused`, async () => {
      // A fresh rate-limit window: each case logs in several principals (R14 allows 100 logins a minute per IP).
      h.advance(61_000);
      for (const p of PRINCIPALS) {
        const who = await caller(p);
        const req = await c.request(who);
        const res = await h.app.inject({
          method: req.method as 'GET',
          url: req.url,
          ...(req.payload !== undefined ? { payload: req.payload as string } : {}),
          headers: { ...(req.headers ?? {}), ...(who.token ? bearer(who.token) : {}) },
        });
        if (c.allow.includes(p)) {
          expect({ principal: p, status: res.statusCode, body: res.statusCode === c.ok ? '' : res.body }).toEqual({ principal: p, status: c.ok, body: '' });
        } else if (p === 'public') {
          expectError(res, 401, 'UNAUTHENTICATED');
        } else {
          expect({ principal: p, status: res.statusCode }).toEqual({ principal: p, status: 403 });
          expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
        }
      }
    });
  }
});

describe('O1 manageable targets', () => {
  const TARGETS = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;
  const MANAGES: Record<string, readonly string[]> = {
    admin: TARGETS,
    coordinador: ['administrativo', 'instructor', 'aprendiz'],
    administrativo: ['instructor', 'aprendiz'],
  };
  for (const actor of ['admin', 'coordinador', 'administrativo'] as const) {
    it(`when a ${actor} edits (U4) and unlocks (U10) each role, then only O1 targets are allowed`, async () => {
      h.advance(61_000);
      const { token } = await caller(actor);
      for (const role of TARGETS) {
        const t = await h.addUser({ role, ...(role === 'aprendiz' ? { groupId, groupNumber: '2826503' } : {}) });
        const edit = await h.app.inject({ method: 'PATCH', url: `/api/v1/users/${t.id}`, headers: bearer(token!), payload: { last_name: 'Editado Ok' } });
        const unlock = await h.app.inject({ method: 'POST', url: `/api/v1/users/${t.id}/unlock`, headers: bearer(token!) });
        const allowed = MANAGES[actor].includes(role);
        expect({ role, status: edit.statusCode }).toEqual({ role, status: allowed ? 200 : 403 });
        const unlockAllowed = allowed && actor !== 'administrativo';
        expect({ role, status: unlock.statusCode }).toEqual({ role, status: unlockAllowed ? 200 : 403 });
        if (!allowed) expectError(edit, 403, 'INSUFFICIENT_PERMISSIONS');
      }
    });
  }
});
