import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startUsers();
});
afterAll(async () => {
  await h.close();
});

const me = (token: string, method: 'GET' | 'PATCH' = 'GET', payload?: Record<string, unknown>) =>
  h.app.inject({ method, url: '/api/v1/users/me', headers: bearer(token), ...(payload ? { payload } : {}) });

describe('US-USR-12 own profile', () => {
  it('when a signed-in user calls P1, then 200 without password_hash and with links.change_password', async () => {
    const { user, token } = await h.tokenFor('aprendiz', { groupId: h.groups.add({ number: '3030303' }).id, groupNumber: '3030303' });
    const res = await me(token);
    const data = expectOk(res);
    expect(data).toMatchObject({ id: user.id, role: 'aprendiz', group_number: '3030303', full_name: `${user.firstName} ${user.lastName}` });
    expect(data.password_hash).toBeUndefined();
    expect(data.deleted_at).toBeUndefined();
    expect(res.json().links).toMatchObject({ change_password: { href: '/api/v1/auth/change-password', method: 'POST' }, sessions: { href: '/api/v1/users/me/sessions', method: 'GET' } });
  });

  it('when P2 sets phone and first_name, then they are stored normalised', async () => {
    const { user, token } = await h.tokenFor('instructor');
    const data = expectOk(await me(token, 'PATCH', { phone: '300 123 4567', first_name: '  José   Luis ' }));
    expect(data).toMatchObject({ phone: '+573001234567', first_name: 'José Luis' });
    const [row] = await h.db.query<{ phone: string; first_name: string; search_text: string }>('SELECT * FROM users.users WHERE id=$1', [user.id]);
    expect(row).toMatchObject({ phone: '+573001234567', first_name: 'José Luis' });
    expect(row.search_text).toContain('jose luis');
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='USER_UPDATED' AND user_id=$1", [user.id])).toBe(1);
  });

  it('when P2 carries role or document_number, then 422 naming the field; a new email without current_password is 422; a wrong one is 400', async () => {
    const { token } = await h.tokenFor('instructor');
    for (const field of ['role', 'document_number']) {
      const err = expectError(await me(token, 'PATCH', { [field]: 'admin' }), 422, 'VALIDATION_ERROR');
      expect((err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toContain(field);
    }
    const err = expectError(await me(token, 'PATCH', { email: 'nuevo.correo@x.co' }), 422, 'VALIDATION_ERROR');
    expect((err.details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)).toContain('current_password');
    expectError(await me(token, 'PATCH', { email: 'nuevo.correo@x.co', current_password: 'Mala#Clave-2026' }), 400, 'CURRENT_PASSWORD_INCORRECT');
    expectError(await me(token, 'PATCH', { phone: '12' }), 422, 'VALIDATION_ERROR');
  });

  it('when P2 changes the e-mail with the right password, then it is stored lower-case; a taken one is 409', async () => {
    const other = await h.addUser();
    const { user, token } = await h.tokenFor('instructor');
    expectError(await me(token, 'PATCH', { email: other.email.toUpperCase(), current_password: PASSWORD }), 409, 'EMAIL_ALREADY_EXISTS');
    const data = expectOk(await me(token, 'PATCH', { email: ' Nuevo.Correo@X.co ', current_password: PASSWORD }));
    expect(data.email).toBe('nuevo.correo@x.co');
    expect(await h.count("SELECT count(*) n FROM users.users WHERE id=$1 AND email='nuevo.correo@x.co'", [user.id])).toBe(1);
  });

  it('when the user was deactivated, then P1 with an earlier token answers 403 ACCOUNT_DISABLED', async () => {
    const { user, token } = await h.tokenFor('instructor');
    await h.db.query('UPDATE users.users SET is_active=false WHERE id=$1', [user.id]);
    expectError(await me(token), 403, 'ACCOUNT_DISABLED');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/me' }), 401, 'UNAUTHENTICATED');
  });
});

describe('US-USR-13 my sessions', () => {
  it('when a user logs in from two browsers, then P3 lists 2 with user agent and masked IP; P4 ends one, another user\'s is 404', async () => {
    const u = await h.addUser();
    const a = await h.login(u.email, PASSWORD, { 'user-agent': 'Firefox/130', 'x-forwarded-for': '181.55.12.34' });
    const b = await h.login(u.email, PASSWORD, { 'user-agent': 'Chrome/128', 'x-forwarded-for': '2800:e2:4100:1234::5' });
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users/me/sessions', headers: bearer(b.access_token) }));
    expect(list).toHaveLength(2);
    expect(list.map((s: { user_agent: string }) => s.user_agent).sort()).toEqual(['Chrome/128', 'Firefox/130']);
    expect(list.map((s: { ip_masked: string }) => s.ip_masked).sort()).toEqual(['181.55.12.0', '2800:e2:4100::']);
    const res = await h.app.inject({ method: 'DELETE', url: `/api/v1/users/me/sessions/${a.session_id}`, headers: bearer(b.access_token) });
    expect(res.statusCode).toBe(204);
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: a.refresh_token } }), 401, 'INVALID_REFRESH_TOKEN');
    expect(await h.count("SELECT count(*) n FROM users.refresh_tokens WHERE family_id=$1 AND revoke_reason='user_ended'", [a.session_id])).toBe(1);

    const other = await h.addUser();
    const o = await h.login(other.email, PASSWORD);
    expectError(await h.app.inject({ method: 'DELETE', url: `/api/v1/users/me/sessions/${o.session_id}`, headers: bearer(b.access_token) }), 404, 'SESSION_NOT_FOUND');
  });

  it('when a user opens an 11th session, then the least recently used one is revoked (session_limit)', async () => {
    const u = await h.addUser();
    const first = await h.login(u.email, PASSWORD);
    for (let i = 0; i < 10; i++) {
      h.advance(1000);
      await h.login(u.email, PASSWORD);
    }
    expect(await h.count("SELECT count(*) n FROM users.refresh_tokens WHERE family_id=$1 AND revoke_reason='session_limit'", [first.session_id])).toBe(1);
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users/me/sessions', headers: bearer(first.access_token) }));
    expect(list).toHaveLength(10);
  });
});
