/**
 * Object-level rules through HTTP with a second person's id, for every `{id}` path (users.md §2, O1–O3):
 * apprentices and instructors neither read nor change anyone else's account (403), staff act only on the
 * targets O1 gives them (403), never on themselves (O2, 403), and a refused call changes nothing: not the
 * target's row, its login lock, its sessions, its reset tokens nor the security log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '@sicora/platform/testing/http';
import type { UserRow } from '../src/infrastructure/db/schema.ts';
import { bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

type Role = 'admin' | 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz';

let h: Harness;
let groupId: string;
const tokens = {} as Record<Role | 'coordinador2' | 'instructor2' | 'aprendiz2', { user: UserRow; token: string }>;

beforeAll(async () => {
  h = await startUsers();
  groupId = h.groups.add({ number: '2826503' }).id;
  const ficha = { groupId, groupNumber: '2826503' };
  for (const role of ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const) {
    tokens[role] = await h.tokenFor(role, role === 'aprendiz' ? ficha : {});
  }
  tokens.coordinador2 = await h.tokenFor('coordinador');
  tokens.instructor2 = await h.tokenFor('instructor');
  tokens.aprendiz2 = await h.tokenFor('aprendiz', ficha);
});
afterAll(async () => {
  await h.close();
});

interface Endpoint {
  id: string;
  method: 'GET' | 'PATCH' | 'POST' | 'DELETE';
  path: (id: string) => string;
  payload?: object;
  /** U6 acts on a deleted account. */
  deleted?: boolean;
}

const user = (id: string) => `/api/v1/users/${id}`;
const ENDPOINTS: Endpoint[] = [
  { id: 'U3 get', method: 'GET', path: user },
  { id: 'U4 edit', method: 'PATCH', path: user, payload: { last_name: 'Cambiado Ajeno' } },
  { id: 'U5 delete', method: 'DELETE', path: user },
  { id: 'U6 restore', method: 'POST', path: (id) => `${user(id)}/restore`, deleted: true },
  { id: 'U7 activate', method: 'POST', path: (id) => `${user(id)}/activate` },
  { id: 'U8 deactivate', method: 'POST', path: (id) => `${user(id)}/deactivate` },
  { id: 'U9 staff reset', method: 'POST', path: (id) => `${user(id)}/reset-password`, payload: { delivery: 'temporary_password' } },
  { id: 'U10 unlock', method: 'POST', path: (id) => `${user(id)}/unlock` },
];

const call = (e: Endpoint, id: string, token: string) =>
  h.app.inject({ method: e.method, url: e.path(id), headers: bearer(token), ...(e.payload ? { payload: e.payload } : {}) });

/** A locked target with a live session, so a refused unlock, deactivation or reset would show. */
async function lockedTarget(role: Role, deleted = false): Promise<UserRow> {
  const target = await h.addUser({ role, ...(role === 'aprendiz' ? { groupId, groupNumber: '2826503' } : {}) });
  if (deleted) await h.db.query('UPDATE users.users SET deleted_at=$2, is_active=false WHERE id=$1', [target.id, h.now()]);
  else await h.login(target.email, PASSWORD);
  await h.db.query('INSERT INTO users.login_throttle (key, failed_count, lockout_level, locked_until) VALUES ($1, 0, 1, $2)', [`user:${target.id}`, new Date(h.now().getTime() + 900_000)]);
  return target;
}

/** Everything a call on `id` could change. */
async function stateOf(id: string) {
  const [row] = await h.db.query<{ u: unknown }>('SELECT row_to_json(u)::text AS u FROM users.users u WHERE id=$1', [id]);
  return {
    row: row.u,
    lock: await h.count("SELECT count(*) n FROM users.login_throttle WHERE key=$1 AND locked_until IS NOT NULL", [`user:${id}`]),
    sessions: await h.count('SELECT count(*) n FROM users.refresh_tokens WHERE user_id=$1 AND revoked_at IS NULL', [id]),
    resets: await h.count('SELECT count(*) n FROM users.password_reset_tokens WHERE user_id=$1', [id]),
    events: await h.count('SELECT count(*) n FROM users.security_events WHERE user_id=$1', [id]),
    outbox: await h.count("SELECT count(*) n FROM users.outbox WHERE body->'target_users' ? $1", [id]),
  };
}

async function expectRefused(e: Endpoint, target: UserRow, caller: { token: string }, code: string) {
  const before = await stateOf(target.id);
  const res = await call(e, target.id, caller.token);
  expect({ endpoint: e.id, status: res.statusCode, code: res.json().error?.code }).toEqual({ endpoint: e.id, status: 403, code });
  expect(await stateOf(target.id)).toEqual(before);
}

describe('apprentices and instructors on another person\'s {id}', () => {
  for (const e of ENDPOINTS) {
    it(`when an aprendiz or an instructor calls ${e.id} with a classmate's or a colleague's id, then 403 and nothing changes`, async () => {
      h.advance(61_000);
      for (const caller of [tokens.aprendiz, tokens.instructor]) {
        for (const role of ['aprendiz', 'instructor', 'coordinador'] as const) {
          await expectRefused(e, await lockedTarget(role, e.deleted), caller, 'INSUFFICIENT_PERMISSIONS');
        }
      }
      // The second apprentice and instructor, who hold sessions of their own, stay as they were too.
      for (const [caller, other] of [[tokens.aprendiz, tokens.aprendiz2], [tokens.instructor, tokens.instructor2]] as const) {
        if (!e.deleted) await expectRefused(e, other.user, caller, 'INSUFFICIENT_PERMISSIONS');
      }
    });
  }

  it('when an aprendiz or an instructor ends another person\'s session (P4), then 404 SESSION_NOT_FOUND and that session still refreshes', async () => {
    h.advance(61_000);
    for (const [caller, other] of [[tokens.aprendiz, tokens.aprendiz2], [tokens.instructor, tokens.instructor2]] as const) {
      const theirs = await h.login(other.user.email, PASSWORD);
      const res = await h.app.inject({ method: 'DELETE', url: `/api/v1/users/me/sessions/${theirs.session_id}`, headers: bearer(caller.token) });
      expectError(res, 404, 'SESSION_NOT_FOUND');
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: theirs.refresh_token } })).statusCode).toBe(200);
    }
  });
});

describe('O1: staff only on the targets they manage', () => {
  const MANAGEMENT = ENDPOINTS.filter((e) => ['U4 edit', 'U7 activate', 'U8 deactivate', 'U9 staff reset', 'U10 unlock'].includes(e.id));
  for (const e of MANAGEMENT) {
    it(`when a coordinador calls ${e.id} on an admin or another coordinador, then 403 INSUFFICIENT_PERMISSIONS and nothing changes`, async () => {
      await expectRefused(e, await lockedTarget('admin'), tokens.coordinador, 'INSUFFICIENT_PERMISSIONS');
      await expectRefused(e, tokens.coordinador2.user, tokens.coordinador, 'INSUFFICIENT_PERMISSIONS');
    });
  }

  it('when an administrativo edits (U4) a coordinador, another administrativo or an admin, then 403 and nothing changes', async () => {
    const u4 = ENDPOINTS.find((e) => e.id === 'U4 edit')!;
    for (const role of ['admin', 'coordinador', 'administrativo'] as const) await expectRefused(u4, await lockedTarget(role), tokens.administrativo, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when a deleted account is the target of U4 or U7–U10 by a coordinador, then 404 USER_NOT_FOUND (O3) and nothing changes', async () => {
    for (const e of MANAGEMENT) {
      const target = await lockedTarget('instructor', true);
      const before = await stateOf(target.id);
      expectError(await call(e, target.id, tokens.coordinador.token), 404, 'USER_NOT_FOUND');
      expect(await stateOf(target.id)).toEqual(before);
    }
  });
});

describe('O2: management endpoints never act on the caller', () => {
  const SELF = ENDPOINTS.filter((e) => !['U3 get', 'U6 restore'].includes(e.id));
  for (const e of SELF) {
    it(`when an admin or a coordinador calls ${e.id} on themself, then 403 SELF_ACTION_NOT_ALLOWED (U5: admin only)`, async () => {
      const callers = e.id === 'U5 delete' ? [tokens.admin] : e.id === 'U4 edit' ? [tokens.admin, tokens.coordinador, tokens.administrativo] : [tokens.admin, tokens.coordinador];
      for (const caller of callers) await expectRefused(e, caller.user, caller, 'SELF_ACTION_NOT_ALLOWED');
    });
  }
});
