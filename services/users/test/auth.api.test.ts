import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier } from '@sicora/platform/auth';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

let h: Harness;
const DAY = 86_400_000;

beforeAll(async () => {
  h = await startUsers();
});
afterAll(async () => {
  await h.close();
});

const login = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers });
const refresh = (refresh_token: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token } });

describe('platform routes', () => {
  it('when the service starts, then readiness is ok with database and jwks', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.json()).toMatchObject({ status: 'ready', service: 'users', checks: { database: 'ok', jwks: 'ok' } });
    expect((await h.app.inject({ method: 'GET', url: '/docs/json' })).json().openapi).toBe('3.1.0');
  });
});

describe('US-USR-01 log in with e-mail or document', () => {
  it('when A1 is called with either identifier, then a token pair verifies against K1 with the §4 claims', async () => {
    const ana = await h.addUser({ email: 'ana@x.co', documentNumber: '52123456', role: 'coordinador' });
    const jwks = (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const verifier = createLocalVerifier(jwks, { issuer: 'sicora', audience: 'sicora-api', now: () => h.now().getTime() });
    for (const identifier of ['ANA@x.co ', '52.123.456']) {
      const data = expectOk(await login({ identifier, password: PASSWORD }));
      expect(data).toMatchObject({ token_type: 'Bearer', expires_in: 3600, must_change_password: false, user: { id: ana.id } });
      expect(data.user.password_hash).toBeUndefined();
      const claims = decodeJwt(data.access_token);
      expect(claims).toMatchObject({ sub: ana.id, role: 'coordinador', email: 'ana@x.co', name: `${ana.firstName} ${ana.lastName}`, iss: 'sicora', aud: 'sicora-api' });
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(claims.nbf).toBe(claims.iat);
      expect(typeof claims.jti).toBe('string');
      expect(decodeProtectedHeader(data.access_token)).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: jwks.keys[0].kid });
      await expect(verifier.verify(data.access_token)).resolves.toMatchObject({ sub: ana.id });
    }
    const [row] = await h.db.query<{ last_login_at: Date }>('SELECT last_login_at FROM users.users WHERE id = $1', [ana.id]);
    expect(new Date(row.last_login_at).toISOString()).toBe(h.now().toISOString());
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='LOGIN_SUCCEEDED' AND user_id=$1", [ana.id])).toBe(2);
  });

  it('when an aprendiz of ficha 2826503 logs in, then the token has group_id and group_number', async () => {
    const g = h.groups.add({ number: '2826503' });
    const apr = await h.addUser({ role: 'aprendiz', groupId: g.id, groupNumber: '2826503' });
    const pair = await h.login(apr.email, PASSWORD);
    expect(decodeJwt(pair.access_token)).toMatchObject({ group_id: g.id, group_number: '2826503', role: 'aprendiz' });
  });

  it('when the identifier is unknown, the password wrong or the user deleted, then 401 INVALID_CREDENTIALS with one message', async () => {
    const u = await h.addUser();
    const gone = await h.addUser({ deletedAt: h.now(), isActive: false });
    const messages = new Set<string>();
    for (const payload of [
      { identifier: 'nadie@x.co', password: PASSWORD },
      { identifier: u.email, password: 'Otra#Clave-2026' },
      { identifier: gone.email, password: PASSWORD },
    ]) {
      messages.add(expectError(await login(payload), 401, 'INVALID_CREDENTIALS').message);
    }
    expect(messages.size).toBe(1);
  });

  it('when an inactive user logs in with the right password, then 403 ACCOUNT_DISABLED and no session', async () => {
    const u = await h.addUser({ isActive: false });
    expectError(await login({ identifier: u.email, password: PASSWORD }), 403, 'ACCOUNT_DISABLED');
    expect(await h.count('SELECT count(*) n FROM users.refresh_tokens WHERE user_id=$1', [u.id])).toBe(0);
  });

  it('when the body lacks the identifier, then 422 VALIDATION_ERROR; `email` is accepted as its alias', async () => {
    expectError(await login({ password: PASSWORD }), 422, 'VALIDATION_ERROR');
    const u = await h.addUser();
    expectOk(await login({ email: u.email, password: PASSWORD }));
  });
});

describe('US-USR-02 forced first change', () => {
  it('when a user with the document as password logs in, then the flag gates every route but P1, A3 and A6', async () => {
    const u = await h.addUser({ password: null, mustChangePassword: true, role: 'administrativo' });
    const res = await login({ identifier: u.email, password: u.documentNumber });
    const data = expectOk(res);
    expect(data.must_change_password).toBe(true);
    expect(res.json().links.change_password).toEqual({ href: '/api/v1/auth/change-password', method: 'POST' });
    const auth = bearer(data.access_token);
    const err = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: auth, payload: { first_name: 'Nuevo' } });
    expectError(err, 403, 'PASSWORD_CHANGE_REQUIRED');
    expect(err.json().links.change_password.href).toBe('/api/v1/auth/change-password');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: auth }), 403, 'PASSWORD_CHANGE_REQUIRED');
    expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: auth }));

    h.advance(1000);
    const changed = expectOk(await h.app.inject({
      method: 'POST', url: '/api/v1/auth/change-password', headers: auth,
      payload: { current_password: u.documentNumber, new_password: 'Cambio#Seguro-77' },
    }));
    expect(changed.must_change_password).toBe(false);
    expect(decodeJwt(changed.access_token).must_change_password).toBe(false);
    expectError(await refresh(data.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectOk(await refresh(changed.refresh_token));
    expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(changed.access_token) }));
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: auth }), 401, 'TOKEN_REVOKED');
    const [row] = await h.db.query<{ must_change_password: boolean; password_hash: string }>('SELECT * FROM users.users WHERE id=$1', [u.id]);
    expect(row.must_change_password).toBe(false);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    const outbox = await h.db.query<{ body: { type: string; data: { method: string } } }>(
      "SELECT body FROM users.outbox WHERE body->>'type' = 'user.password_changed' AND body->'target_users'->>0 = $1", [u.id]);
    expect(outbox.map((o) => o.body.data.method)).toEqual(['forced_change']);
    const logout = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(changed.access_token) }));
    expect(logout.revoked_sessions).toBe(1);
  });
});

describe('US-USR-02 logout while the change is pending', () => {
  it('when a user who must change the password calls A3, then it answers 200 and revokes the session', async () => {
    const u = await h.addUser({ password: null, mustChangePassword: true });
    const pair = await h.login(u.documentNumber, u.documentNumber);
    const res = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(pair.access_token), payload: { refresh_token: pair.refresh_token } }));
    expect(res.revoked_sessions).toBe(1);
  });
});

describe('US-USR-03 refresh with rotation', () => {
  it('when R1 is refreshed, then R2 differs; a 7-day-old token and a 30-day family are refused', async () => {
    const u = await h.addUser();
    const p1 = await h.login(u.email, PASSWORD);
    const p2 = expectOk(await refresh(p1.refresh_token));
    expect(p2.refresh_token).not.toBe(p1.refresh_token);
    expect(p2.session_id).toBe(p1.session_id);
    expect(p2.access_token).not.toBe(p1.access_token);
    h.advance(7 * DAY);
    expectError(await refresh(p2.refresh_token), 401, 'INVALID_REFRESH_TOKEN');

    const start = h.now();
    let latest = (await h.login(u.email, PASSWORD)).refresh_token;
    for (const day of [6, 12, 18, 24, 29]) {
      h.setNow(new Date(start.getTime() + day * DAY));
      latest = expectOk(await refresh(latest)).refresh_token;
    }
    h.setNow(new Date(start.getTime() + 30 * DAY));
    expectError(await refresh(latest), 401, 'INVALID_REFRESH_TOKEN');
  });
});

describe('US-USR-04 reuse detection', () => {
  it('when a rotated token is presented again after 10 s, then the family dies, an event and one security alert exist', async () => {
    const u = await h.addUser();
    const p1 = await h.login(u.email, PASSWORD);
    const p2 = expectOk(await refresh(p1.refresh_token));
    h.advance(11_000);
    expectError(await refresh(p1.refresh_token), 401, 'REFRESH_TOKEN_REUSED');
    expectError(await refresh(p2.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='REFRESH_REUSE_DETECTED' AND user_id=$1", [u.id])).toBe(1);
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.security_alert' AND body->'target_users'->>0=$1", [u.id])).toBe(1);
  });

  it('when two tabs present the same token within 10 s, then both get a pair in the same family', async () => {
    const u = await h.addUser();
    const p1 = await h.login(u.email, PASSWORD);
    const a = expectOk(await refresh(p1.refresh_token));
    h.advance(3000);
    const b = expectOk(await refresh(p1.refresh_token));
    expect(b.session_id).toBe(a.session_id);
    expectOk(await refresh(a.refresh_token));
  });
});

describe('US-USR-05 log out', () => {
  it('when A3 carries session A token, then only A ends; without body every session ends and the access token is revoked', async () => {
    const u = await h.addUser();
    const a = await h.login(u.email, PASSWORD);
    const b = await h.login(u.email, PASSWORD);
    const one = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(a.access_token), payload: { refresh_token: a.refresh_token } }));
    expect(one.revoked_sessions).toBe(1);
    expectError(await refresh(a.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    const b2 = expectOk(await refresh(b.refresh_token));
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(a.access_token) }), 401, 'TOKEN_REVOKED');

    const c = await h.login(u.email, PASSWORD);
    const all = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(c.access_token) }));
    expect(all.revoked_sessions).toBe(2);
    expectError(await refresh(b2.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await refresh(c.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expect(await h.count('SELECT count(*) n FROM users.revoked_access_tokens WHERE user_id=$1', [u.id])).toBe(2);
  });

  it('when A3 is called without a token, then 401 UNAUTHENTICATED; with someone else\'s refresh token, revoked_sessions=0', async () => {
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout' }), 401, 'UNAUTHENTICATED');
    const u = await h.addUser();
    const other = await h.addUser();
    const mine = await h.login(u.email, PASSWORD);
    const theirs = await h.login(other.email, PASSWORD);
    const res = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(mine.access_token), payload: { refresh_token: theirs.refresh_token } }));
    expect(res.revoked_sessions).toBe(0);
    expectOk(await refresh(theirs.refresh_token));
  });
});

describe('US-USR-08 password policy', () => {
  it('when A6 gets weak passwords, then 422 WEAK_PASSWORD naming the rule; equal to current → PASSWORD_REUSED', async () => {
    const u = await h.addUser({ firstName: 'Pedro', lastName: 'Ruiz' });
    const { access_token } = await h.login(u.email, PASSWORD);
    const change = (new_password: string, current_password = PASSWORD) =>
      h.app.inject({ method: 'POST', url: '/api/v1/auth/change-password', headers: bearer(access_token), payload: { current_password, new_password } });
    for (const [pw, rule] of [['Sicora2026!', 'forbidden_word'], ['Bogotaaa#2026', 'repetition'], ['bogota#2026x', 'uppercase'], ['Pedro#Clave2026', 'personal_data'], ['Ab#123456xyz', 'sequence']]) {
      const err = expectError(await change(pw), 422, 'WEAK_PASSWORD');
      expect((err.details as { rules: string[] }).rules).toContain(rule);
    }
    expect((expectError(await change('short'), 422, 'WEAK_PASSWORD').details as { rules: string[] }).rules).toEqual(['length', 'uppercase', 'digit', 'symbol']);
    expectError(await change(PASSWORD), 422, 'PASSWORD_REUSED');
    expectError(await change('Otra#Clave-2026', 'Mala#Clave-2026'), 400, 'CURRENT_PASSWORD_INCORRECT');
  });

  it('when A8 is read, then it gives min_length 10, max_length 128 and the nine forbidden words', async () => {
    const data = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/auth/password-policy' }));
    expect(data).toMatchObject({ min_length: 10, max_length: 128, require_lower: true, require_upper: true, require_digit: true, require_symbol: true });
    expect(data.forbidden_words).toHaveLength(9);
  });
});

describe('US-USR-09 lockout after failed logins', () => {
  it('when 3 failures by e-mail and 2 by document happen, then the right password gets 429 LOGIN_LOCKED; later locks escalate', async () => {
    const u = await h.addUser();
    for (let i = 0; i < 3; i++) expectError(await login({ identifier: u.email, password: 'Mala#Clave-2026' }), 401, 'INVALID_CREDENTIALS');
    h.advance(60_000);
    for (let i = 0; i < 2; i++) expectError(await login({ identifier: u.documentNumber, password: 'Mala#Clave-2026' }), 401, 'INVALID_CREDENTIALS');
    const locked = await login({ identifier: u.email, password: PASSWORD });
    const err = expectError(locked, 429, 'LOGIN_LOCKED');
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(900);
    expect((err.details as { retry_after_seconds: number }).retry_after_seconds).toBe(retry);
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='LOGIN_LOCKED' AND user_id=$1", [u.id])).toBe(1);
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.account_locked' AND body->'target_users'->>0=$1", [u.id])).toBe(1);

    h.advance(16 * 60_000);
    for (let i = 0; i < 5; i++) await login({ identifier: u.email, password: 'Mala#Clave-2026' });
    const again = await login({ identifier: u.email, password: PASSWORD });
    expectError(again, 429, 'LOGIN_LOCKED');
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(900);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(1800);
  });

  it('when an unknown identifier fails 5 times, then it is locked the same way', async () => {
    for (let i = 0; i < 5; i++) expectError(await login({ identifier: 'fantasma@x.co', password: 'Mala#Clave-2026' }), 401, 'INVALID_CREDENTIALS');
    expectError(await login({ identifier: 'fantasma@x.co', password: 'Mala#Clave-2026' }), 429, 'LOGIN_LOCKED');
  });

  it('when a coordinador unlocks a locked user (U10), then the next correct login answers 200', async () => {
    const coord = await h.tokenFor('coordinador');
    const u = await h.addUser({ role: 'aprendiz', groupId: h.groups.add({ number: '1111111' }).id, groupNumber: '1111111' });
    for (let i = 0; i < 5; i++) await login({ identifier: u.email, password: 'Mala#Clave-2026' });
    expectError(await login({ identifier: u.email, password: PASSWORD }), 429, 'LOGIN_LOCKED');
    const listed = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users?locked=true', headers: bearer(coord.token) }));
    expect(listed.map((x: { id: string }) => x.id)).toContain(u.id);
    const res = expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/unlock`, headers: bearer(coord.token) }));
    expect(res).toEqual({ unlocked: true });
    expectOk(await login({ identifier: u.email, password: PASSWORD }));
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='ACCOUNT_UNLOCKED' AND user_id=$1", [u.id])).toBe(1);
  });
});

describe('US-USR-10 service token', () => {
  it('when valid client credentials are sent, then a service token of 900 s; a wrong secret is 401 with an event', async () => {
    const token = await h.serviceToken('attendance');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ role: 'service', name: 'attendance', must_change_password: false, iss: 'sicora', aud: 'sicora-api' });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(claims.email).toBeUndefined();
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/auth/service-token', payload: { client_id: 'attendance', client_secret: 'x'.repeat(40) } });
    expectError(bad, 401, 'INVALID_CLIENT_CREDENTIALS');
    const self = await h.app.inject({ method: 'POST', url: '/api/v1/auth/service-token', payload: { client_id: 'users', client_secret: 'x'.repeat(40) } });
    expectError(self, 401, 'INVALID_CLIENT_CREDENTIALS');
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='SERVICE_CLIENT_REJECTED'")).toBe(2);
  });

  it('when a service token lists a ficha\'s apprentices (U1 group_id + role=aprendiz), then 200 with exactly them', async () => {
    const g = h.groups.add({ number: '2222333' });
    const a1 = await h.addUser({ role: 'aprendiz', groupId: g.id, groupNumber: g.number });
    const a2 = await h.addUser({ role: 'aprendiz', groupId: g.id, groupNumber: g.number });
    const token = await h.serviceToken('schedules');
    const data = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/users?group_id=${g.id}&role=aprendiz`, headers: bearer(token) }));
    expect(data.map((u: { id: string }) => u.id).sort()).toEqual([a1.id, a2.id].sort());
  });
});

describe('R14 rate limits', () => {
  it('when one client IP behind the trusted proxy sends 101 logins in a minute, then the 101st is 429 RATE_LIMITED; another IP is not', async () => {
    const headers = { 'x-forwarded-for': '181.55.12.34' };
    let last;
    for (let i = 0; i < 101; i++) last = await login({ identifier: `rl${i}@x.co`, password: 'x' }, headers);
    expectError(last!, 429, 'RATE_LIMITED');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // Counted rather than "the latest row": the test clock gives earlier tests' events the same occurred_at.
    const failedFrom = async (ip: string) =>
      (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users.security_events WHERE type = 'LOGIN_FAILED' AND ip_masked = $1", [ip]))[0].n;
    const before = await failedFrom('181.55.12.0');
    expectError(await login({ identifier: 'rl@x.co', password: 'x' }, { 'x-forwarded-for': '181.55.12.35' }), 401, 'INVALID_CREDENTIALS');
    expect(await failedFrom('181.55.12.0')).toBe(before + 1);
    expect(await failedFrom('181.55.12.35')).toBe(0);
    h.advance(61_000);
  });
});
