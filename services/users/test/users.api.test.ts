import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { passwordProblems } from '../src/domain/password.policy.ts';
import { ADMIN_PASSWORD, bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

let h: Harness;
let admin: string;
let coord: { token: string; user: { id: string } };
let administrativo: string;

beforeAll(async () => {
  h = await startUsers();
  admin = (await h.tokenFor('admin')).token;
  coord = await h.tokenFor('coordinador');
  administrativo = (await h.tokenFor('administrativo')).token;
});
afterAll(async () => {
  await h.close();
});

const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: unknown) =>
  h.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });
let n = 0;
const person = (extra: Record<string, unknown> = {}) => {
  n += 1;
  return { first_name: 'Camila', last_name: 'Gómez Ruiz', email: `camila${n}@x.co`, document_type: 'CC', document_number: `7100${String(n).padStart(4, '0')}`, role: 'instructor', ...extra };
};

describe('US-USR-14 staff create a user', () => {
  it('when U2 has no password, then 201 with must_change_password, login with the document works and one user.welcome entry exists', async () => {
    const body = person({ document_number: '80.123.456', phone: '3001234567', area: 'Teleinformática' });
    const created = expectOk(await inject('POST', '/api/v1/users', coord.token, body), 201);
    expect(created).toMatchObject({ must_change_password: true, document_number: '80123456', phone: '+573001234567', role: 'instructor', is_active: true });
    const pair = await h.login('80123456', '80123456');
    expect(pair.must_change_password).toBe(true);
    const outbox = await h.db.query<{ body: { type: string; data: Record<string, unknown>; idempotency_key: string } }>(
      "SELECT body FROM users.outbox WHERE body->'target_users'->>0 = $1", [created.id]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].body).toMatchObject({ type: 'user.welcome', data: { initial_password_hint: 'document_number', role_label: 'Instructor', login_url: 'http://localhost:5173/login' } });
    expect(outbox[0].body.idempotency_key).toMatch(new RegExp(`^users:user.welcome:${created.id}:`));
    const [row] = await h.db.query<{ created_by: string; password_hash: string | null }>('SELECT created_by, password_hash FROM users.users WHERE id=$1', [created.id]);
    expect(row).toEqual({ created_by: coord.user.id, password_hash: null });
  });

  it('when U2 creates an aprendiz, then the ficha is resolved by number; missing, inactive and full fichas are refused', async () => {
    const g = h.groups.add({ number: '2826503', max_apprentices: 1 });
    const created = expectOk(await inject('POST', '/api/v1/users', administrativo, person({ role: 'aprendiz', group_number: '2826503' })), 201);
    expect(created).toMatchObject({ group_id: g.id, group_number: '2826503' });
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'aprendiz' })), 422, 'GROUP_REQUIRED');
    const inactive = h.groups.add({ number: '1999999', is_active: false });
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'aprendiz', group_id: inactive.id })), 422, 'GROUP_INACTIVE');
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'aprendiz', group_number: '9999999' })), 422, 'GROUP_NOT_FOUND');
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'aprendiz', group_number: '2826503' })), 409, 'GROUP_FULL');
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'instructor', group_number: '2826503' })), 422, 'GROUP_NOT_ALLOWED');
    const other = h.groups.add({ number: '5555555' });
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'aprendiz', group_number: '5555555', group_id: g.id })), 422, 'VALIDATION_ERROR');
    expect(other.id).toBeTruthy();
  });

  it('when the e-mail exists in upper case or the document exists, then 409; bad fields are 422 naming each', async () => {
    const first = expectOk(await inject('POST', '/api/v1/users', coord.token, person()), 201);
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ email: first.email.toUpperCase() })), 409, 'EMAIL_ALREADY_EXISTS');
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ document_type: 'CE', document_number: first.document_number })), 409, 'DOCUMENT_ALREADY_EXISTS');
    // The request schema names every field it refuses; the per-type document pattern (§3.2) is the use case's, after it.
    const err = expectError(await inject('POST', '/api/v1/users', coord.token, person({ email: 'no-es-correo', first_name: 'X', document_type: 'XX' })), 422, 'VALIDATION_ERROR');
    expect([...new Set((err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field))].sort()).toEqual(['document_type', 'email', 'first_name']);
    const doc = expectError(await inject('POST', '/api/v1/users', coord.token, person({ document_number: '12' })), 422, 'VALIDATION_ERROR');
    expect((doc.details as { fields: Array<{ field: string; reason: string }> }).fields).toEqual([expect.objectContaining({ field: 'document_number', reason: 'pattern' })]);
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ password: 'debil' })), 422, 'WEAK_PASSWORD');
  });

  it('when a coordinador creates an admin or an administrativo creates a coordinador, then 403 ROLE_NOT_ALLOWED', async () => {
    expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'admin' })), 403, 'ROLE_NOT_ALLOWED');
    expectError(await inject('POST', '/api/v1/users', administrativo, person({ role: 'coordinador' })), 403, 'ROLE_NOT_ALLOWED');
    const c = expectOk(await inject('POST', '/api/v1/users', admin, person({ role: 'coordinator', password: 'Elegida#Clave-90' })), 201);
    expect(c.role).toBe('coordinador');
    expect((await h.login(c.email, 'Elegida#Clave-90')).must_change_password).toBe(true);
  });

  it('when the schedules service is down while a ficha must be resolved, then 503 SERVICE_UNAVAILABLE and nothing is written', async () => {
    const before = await h.count('SELECT count(*) n FROM users.users');
    const failing = { ...h.groups, byNumbers: async () => { const { errors } = await import('@sicora/platform/errors'); throw errors.unavailable({ service: 'schedules' }); } };
    const original = h.groups.byNumbers;
    h.groups.byNumbers = failing.byNumbers;
    try {
      expectError(await inject('POST', '/api/v1/users', coord.token, person({ role: 'aprendiz', group_number: '2826503' })), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.groups.byNumbers = original;
    }
    expect(await h.count('SELECT count(*) n FROM users.users')).toBe(before);
  });
});

describe('US-USR-15 find users', () => {
  it('when 25 apprentices exist, then page 3 of size 10 has 5 items with real totals', async () => {
    const g = h.groups.add({ number: '4444444' });
    for (let i = 0; i < 25; i++) await h.addUser({ role: 'aprendiz', groupId: g.id, groupNumber: g.number });
    const res = await inject('GET', `/api/v1/users?role=aprendiz&group_id=${g.id}&page_size=10&page=3`, coord.token);
    const data = expectOk(res);
    expect(data).toHaveLength(5);
    expect(res.json().meta.pagination).toEqual({ page: 3, page_size: 10, total: 25, total_pages: 3, has_next: false, has_prev: true });
    expect(data[0].links.self.href).toBe(`/api/v1/users/${data[0].id}`);
  });

  it('when searching gomez or a document prefix, then accents and case do not matter', async () => {
    const gomez = await h.addUser({ lastName: 'Gómez Peña', documentNumber: '1023456789' });
    const found = expectOk(await inject('GET', '/api/v1/users?search=gomez&page_size=100', coord.token));
    expect(found.map((u: { id: string }) => u.id)).toContain(gomez.id);
    expect(found.every((u: { last_name: string; first_name: string; email: string }) => /g[oó]mez/i.test(`${u.first_name} ${u.last_name} ${u.email}`))).toBe(true);
    const byDoc = expectOk(await inject('GET', '/api/v1/users?search=1023&page_size=100', coord.token));
    expect(byDoc.map((u: { id: string }) => u.id)).toContain(gomez.id);
    // R32: a document matches by prefix; names and e-mails by substring (other test users' e-mails carry digits).
    expect(
      byDoc.every((u: { document_number: string; first_name: string; last_name: string; email: string }) =>
        u.document_number.startsWith('1023') || `${u.first_name} ${u.last_name} ${u.email}`.includes('1023')),
    ).toBe(true);
    expectError(await inject('GET', '/api/v1/users?search=g', coord.token), 422, 'VALIDATION_ERROR');
    expectError(await inject('GET', '/api/v1/users?sort=password_hash', coord.token), 422, 'VALIDATION_ERROR');
    const sorted = expectOk(await inject('GET', '/api/v1/users?sort=last_name&page_size=100', coord.token));
    const names = sorted.map((u: { last_name: string }) => u.last_name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('when an instructor or aprendiz lists users, then 403; a deleted user appears only for an admin with include_deleted', async () => {
    const instr = await h.tokenFor('instructor');
    expectError(await inject('GET', '/api/v1/users', instr.token), 403, 'INSUFFICIENT_PERMISSIONS');
    const g = h.groups.add({ number: '6666666' });
    const apr = await h.tokenFor('aprendiz', { groupId: g.id, groupNumber: g.number });
    expectError(await inject('GET', '/api/v1/users', apr.token), 403, 'INSUFFICIENT_PERMISSIONS');
    const gone = await h.addUser({ deletedAt: h.now(), isActive: false, lastName: 'Borrado Zeta' });
    const q = '/api/v1/users?search=borrado%20zeta';
    expect(expectOk(await inject('GET', q, admin))).toHaveLength(0);
    const withDeleted = expectOk(await inject('GET', `${q}&include_deleted=true`, admin));
    expect(withDeleted.map((u: { id: string; deleted_at: string }) => [u.id, !!u.deleted_at])).toEqual([[gone.id, true]]);
    expectError(await inject('GET', `${q}&include_deleted=true`, coord.token), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('US-USR-16 deactivate and activate', () => {
  it('when a coordinador deactivates an aprendiz with two sessions, then both die and user.deactivated is queued; activate is idempotent', async () => {
    const g = h.groups.add({ number: '7777777' });
    const u = await h.addUser({ role: 'aprendiz', groupId: g.id, groupNumber: g.number });
    const s1 = await h.login(u.email, PASSWORD);
    const s2 = await h.login(u.email, PASSWORD);
    h.advance(1000);
    const data = expectOk(await inject('POST', `/api/v1/users/${u.id}/deactivate`, coord.token, { reason: 'Retiro voluntario' }));
    expect(data.is_active).toBe(false);
    for (const s of [s1, s2]) {
      expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: s.refresh_token } }), 401, 'INVALID_REFRESH_TOKEN');
    }
    expectError(await inject('GET', '/api/v1/users/me', s1.access_token), 403, 'ACCOUNT_DISABLED');
    const outbox = await h.db.query<{ body: { data: { reason: string } } }>("SELECT body FROM users.outbox WHERE body->>'type'='user.deactivated' AND body->'target_users'->>0=$1", [u.id]);
    expect(outbox.map((o) => o.body.data.reason)).toEqual(['deactivated']);
    const [ev] = await h.db.query<{ details: { reason: string } }>("SELECT details FROM users.security_events WHERE type='USER_DEACTIVATED' AND user_id=$1", [u.id]);
    expect(ev.details.reason).toBe('Retiro voluntario');

    expectOk(await inject('POST', `/api/v1/users/${u.id}/activate`, coord.token));
    expectOk(await inject('POST', `/api/v1/users/${u.id}/activate`, coord.token));
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.activated' AND body->'target_users'->>0=$1", [u.id])).toBe(1);
    await h.login(u.email, PASSWORD);
  });

  it('when U8 targets the caller or a coordinador targets an admin, then 403 SELF_ACTION_NOT_ALLOWED / INSUFFICIENT_PERMISSIONS', async () => {
    expectError(await inject('POST', `/api/v1/users/${coord.user.id}/deactivate`, coord.token), 403, 'SELF_ACTION_NOT_ALLOWED');
    const adm = await h.addUser({ role: 'admin' });
    expectError(await inject('POST', `/api/v1/users/${adm.id}/deactivate`, coord.token), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('US-USR-17 delete and restore', () => {
  it('when an admin deletes an instructor, then 204, coordinadores see 404, admins see deleted_at, login is 401; restore leaves it INACTIVE', async () => {
    const u = await h.addUser({ role: 'instructor' });
    expect((await inject('DELETE', `/api/v1/users/${u.id}`, admin)).statusCode).toBe(204);
    expectError(await inject('GET', `/api/v1/users/${u.id}`, coord.token), 404, 'USER_NOT_FOUND');
    expect(expectOk(await inject('GET', `/api/v1/users/${u.id}`, admin)).deleted_at).toBe(h.now().toISOString());
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: u.email, password: PASSWORD } }), 401, 'INVALID_CREDENTIALS');
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.deactivated' AND body->'data'->>'reason'='deleted' AND body->'target_users'->>0=$1", [u.id])).toBe(1);
    const restored = expectOk(await inject('POST', `/api/v1/users/${u.id}/restore`, admin));
    expect(restored).toMatchObject({ is_active: false, deleted_at: null });
    const links = (await inject('GET', `/api/v1/users/${u.id}`, coord.token)).json().links;
    expect(Object.keys(links).sort()).toEqual(['activate', 'reset_password', 'self', 'update']);
    expect(Object.keys((await inject('GET', `/api/v1/users/${u.id}`, admin)).json().links)).toContain('delete');
    expectError(await inject('POST', `/api/v1/users/${u.id}/restore`, admin), 409, 'USER_NOT_DELETED');
  });

  it('when a new user holds the deleted user\'s e-mail, then restore is 409 EMAIL_ALREADY_EXISTS', async () => {
    const u = await h.addUser();
    expect((await inject('DELETE', `/api/v1/users/${u.id}`, admin)).statusCode).toBe(204);
    await h.addUser({ email: u.email });
    expectError(await inject('POST', `/api/v1/users/${u.id}/restore`, admin), 409, 'EMAIL_ALREADY_EXISTS');
  });

  it('when a coordinador calls U5 or U6, then 403; an admin deleting themself gets SELF_ACTION_NOT_ALLOWED', async () => {
    const u = await h.addUser();
    expectError(await inject('DELETE', `/api/v1/users/${u.id}`, coord.token), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await inject('POST', `/api/v1/users/${u.id}/restore`, coord.token), 403, 'INSUFFICIENT_PERMISSIONS');
    const me = expectOk(await inject('GET', '/api/v1/users/me', admin));
    expectError(await inject('DELETE', `/api/v1/users/${me.id}`, admin), 403, 'SELF_ACTION_NOT_ALLOWED');
  });
});

describe('US-USR-18 staff password reset', () => {
  it('when U9 asks for a temporary password, then a 14-char compliant one is shown once, sessions die and login forces a change', async () => {
    const u = await h.addUser({ role: 'aprendiz', groupId: h.groups.add({ number: '8888888' }).id, groupNumber: '8888888' });
    const s = await h.login(u.email, PASSWORD);
    h.advance(1000);
    const res = await inject('POST', `/api/v1/users/${u.id}/reset-password`, coord.token, { delivery: 'temporary_password' });
    const data = expectOk(res);
    expect(data.temporary_password).toHaveLength(14);
    expect(passwordProblems(data.temporary_password)).toEqual([]);
    expect(res.headers['cache-control']).toBe('no-store');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: s.refresh_token } }), 401, 'INVALID_REFRESH_TOKEN');
    expect((await h.login(u.email, data.temporary_password)).must_change_password).toBe(true);
    const bodies = await h.db.query<{ body: unknown }>('SELECT body FROM users.outbox');
    expect(JSON.stringify(bodies)).not.toContain(data.temporary_password);
    const events = await h.db.query<{ details: unknown }>('SELECT details FROM users.security_events');
    expect(JSON.stringify(events)).not.toContain(data.temporary_password);
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='STAFF_PASSWORD_RESET' AND user_id=$1", [u.id])).toBe(1);
  });

  it('when U9 uses the default delivery, then a reset request with expires_minutes=1440 is queued and no password returned', async () => {
    const u = await h.addUser();
    const data = expectOk(await inject('POST', `/api/v1/users/${u.id}/reset-password`, coord.token));
    expect(data.delivery).toBe('email_link');
    expect(data.temporary_password).toBeUndefined();
    const [o] = await h.db.query<{ body: { data: { expires_minutes: number; requested_by: string; reset_url: string } } }>(
      "SELECT body FROM users.outbox WHERE body->>'type'='user.password_reset_requested' AND body->'target_users'->>0=$1", [u.id]);
    expect(o.body.data).toMatchObject({ expires_minutes: 1440, requested_by: 'staff' });
    expect(o.body.data.reset_url).toMatch(/^http:\/\/localhost:5173\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('when the target is inactive, then 409 USER_INACTIVE', async () => {
    const u = await h.addUser({ isActive: false });
    expectError(await inject('POST', `/api/v1/users/${u.id}/reset-password`, coord.token), 409, 'USER_INACTIVE');
  });
});

describe('U4 edit a user', () => {
  it('when a coordinador moves an apprentice to another ficha and changes the phone, then the group is re-resolved and stored', async () => {
    const g1 = h.groups.add({ number: '1212121' });
    const g2 = h.groups.add({ number: '3434343' });
    const u = await h.addUser({ role: 'aprendiz', groupId: g1.id, groupNumber: g1.number });
    const data = expectOk(await inject('PATCH', `/api/v1/users/${u.id}`, coord.token, { group_number: '3434343', phone: '+12025550123' }));
    expect(data).toMatchObject({ group_id: g2.id, group_number: '3434343', phone: '+12025550123' });
  });

  it('when the role changes from aprendiz to instructor, then the group is cleared and sessions are revoked (role_changed)', async () => {
    const g = h.groups.add({ number: '5656565' });
    const u = await h.addUser({ role: 'aprendiz', groupId: g.id, groupNumber: g.number });
    const s = await h.login(u.email, PASSWORD);
    const data = expectOk(await inject('PATCH', `/api/v1/users/${u.id}`, coord.token, { role: 'instructor' }));
    expect(data).toMatchObject({ role: 'instructor', group_id: null, group_number: null });
    expect(await h.count("SELECT count(*) n FROM users.refresh_tokens WHERE family_id=$1 AND revoke_reason='role_changed'", [s.session_id])).toBe(1);
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='ROLE_CHANGED' AND user_id=$1", [u.id])).toBe(1);
  });

  it('when an administrativo edits allowed fields it works; is_active or role are refused, and staff targets are 403', async () => {
    const u = await h.addUser({ role: 'instructor' });
    expectOk(await inject('PATCH', `/api/v1/users/${u.id}`, administrativo, { area: 'Bases de datos', last_name: 'Nuevo Apellido' }));
    expectError(await inject('PATCH', `/api/v1/users/${u.id}`, administrativo, { is_active: false }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await inject('PATCH', `/api/v1/users/${u.id}`, administrativo, { role: 'aprendiz' }), 403, 'INSUFFICIENT_PERMISSIONS');
    const staff = await h.addUser({ role: 'administrativo' });
    expectError(await inject('PATCH', `/api/v1/users/${staff.id}`, administrativo, { area: 'x' }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await inject('PATCH', `/api/v1/users/${staff.id}`, coord.token, { role: 'coordinador' }), 403, 'ROLE_NOT_ALLOWED');
  });

  it('when the document of a user with the initial password is corrected, then the new document is the password', async () => {
    const u = await h.addUser({ password: null, mustChangePassword: true });
    expectOk(await inject('PATCH', `/api/v1/users/${u.id}`, coord.token, { document_number: '91234567' }));
    expect((await h.login(u.email, '91234567')).must_change_password).toBe(true);
  });
});

describe('U11 availability and US-USR-22 lookups', () => {
  it('when U11 asks for a taken e-mail and a free document, then each is reported; nothing asked is 422', async () => {
    const u = await h.addUser();
    const data = expectOk(await inject('GET', `/api/v1/users/availability?email=${encodeURIComponent(u.email.toUpperCase())}&document_number=99.999.999`, administrativo));
    expect(data).toEqual({ email: { value: u.email, available: false }, document_number: { value: '99999999', available: true } });
    expectError(await inject('GET', '/api/v1/users/availability', administrativo), 422, 'VALIDATION_ERROR');
  });

  it('when U12 gets 3 ids (one deleted) and 1 unknown, then found has 3 (one is_deleted) and missing 1', async () => {
    const a = await h.addUser();
    const b = await h.addUser();
    const c = await h.addUser({ deletedAt: h.now(), isActive: false });
    const unknown = '00000000-0000-4000-8000-000000000999';
    const data = expectOk(await inject('POST', '/api/v1/users/lookup', admin, { ids: [a.id, b.id, c.id, unknown], emails: [c.email] }));
    expect(data.found).toHaveLength(3);
    expect(data.found.filter((f: { is_deleted: boolean }) => f.is_deleted).map((f: { id: string }) => f.id)).toEqual([c.id]);
    expect(data.missing).toEqual([{ key: 'id', value: unknown }, { key: 'email', value: c.email }]);
  });

  it('when an instructor looks up, then only cards; an aprendiz is 403; 501 keys are 422', async () => {
    const a = await h.addUser({ phone: '+573001112233' });
    const instr = await h.tokenFor('instructor');
    const data = expectOk(await inject('POST', '/api/v1/users/lookup', instr.token, { document_numbers: [a.documentNumber] }));
    expect(data.found).toHaveLength(1);
    for (const hidden of ['email', 'phone', 'document_number']) expect(data.found[0][hidden]).toBeUndefined();
    expect(data.found[0]).toMatchObject({ id: a.id, full_name: `${a.firstName} ${a.lastName}`, is_deleted: false });
    const g = h.groups.add({ number: '9090909' });
    const apr = await h.tokenFor('aprendiz', { groupId: g.id, groupNumber: g.number });
    expectError(await inject('POST', '/api/v1/users/lookup', apr.token, { ids: [a.id] }), 403, 'INSUFFICIENT_PERMISSIONS');
    const ids = Array.from({ length: 501 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expectError(await inject('POST', '/api/v1/users/lookup', admin, { ids }), 422, 'VALIDATION_ERROR');
    expectError(await inject('POST', '/api/v1/users/lookup', admin, { ids: ids.slice(0, 300), emails: ids.slice(0, 201) }), 422, 'VALIDATION_ERROR');
  });
});

describe('US-USR-23 security log', () => {
  it('when a user fails then succeeds, then U13 by user_id lists LOGIN_SUCCEEDED then LOGIN_FAILED with masked IPs and no personal data', async () => {
    const u = await h.addUser();
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier: u.email, password: 'Mala#Clave-2026' }, headers: { 'x-forwarded-for': '190.24.5.77' } });
    h.advance(1000);
    await h.login(u.documentNumber, PASSWORD, { 'x-forwarded-for': '190.24.5.77' });
    const data = expectOk(await inject('GET', `/api/v1/users/security-events?user_id=${u.id}`, admin));
    expect(data.map((e: { type: string }) => e.type)).toEqual(['LOGIN_SUCCEEDED', 'LOGIN_FAILED']);
    expect(data.every((e: { ip_masked: string }) => e.ip_masked === '190.24.5.0')).toBe(true);
    const all = JSON.stringify(await h.db.query('SELECT details FROM users.security_events'));
    for (const secret of [u.email, u.documentNumber, PASSWORD, ADMIN_PASSWORD]) expect(all).not.toContain(secret);
    const typed = expectOk(await inject('GET', `/api/v1/users/security-events?user_id=${u.id}&type=LOGIN_FAILED&sort=occurred_at`, admin));
    expect(typed).toHaveLength(1);
    expectError(await inject('GET', '/api/v1/users/security-events', coord.token), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
