import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { PASSWORD, startUsers, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startUsers();
});
afterAll(async () => {
  await h.close();
});

const forgot = (identifier: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: { identifier } });
const reset = (token: string, new_password: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token, new_password } });
const login = (identifier: string, password: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password } });

async function resetTokens(userId: string): Promise<string[]> {
  const rows = await h.db.query<{ body: { data: { reset_url: string } } }>(
    "SELECT body FROM users.outbox WHERE body->>'type'='user.password_reset_requested' AND body->'target_users'->>0=$1 ORDER BY created_at, id", [userId]);
  return rows.map((r) => new URL(r.body.data.reset_url).searchParams.get('token')!);
}

describe('US-USR-06 forgot password without revealing accounts', () => {
  it('when A4 is called for an existing and an unknown identifier, then both answer the same and only the first queues a reset', async () => {
    const u = await h.addUser();
    const a = await forgot(u.email);
    const b = await forgot('nadie@x.co');
    expect(expectOk(a)).toEqual({});
    expect(expectOk(b)).toEqual({});
    expect(a.json().message).toBe('Si la cuenta existe, enviaremos un enlace de restablecimiento');
    expect(b.json().message).toBe(a.json().message);
    const tokens = await resetTokens(u.id);
    expect(tokens).toHaveLength(1);
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.password_reset_requested'")).toBe(1);
    const [o] = await h.db.query<{ body: { priority: string; data: Record<string, unknown> } }>(
      "SELECT body FROM users.outbox WHERE body->'target_users'->>0=$1", [u.id]);
    expect(o.body).toMatchObject({ priority: 'high', data: { expires_minutes: 60, requested_by: 'self', first_name: u.firstName } });
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: {} }), 422, 'VALIDATION_ERROR');
  });

  it('when 3 requests happened in the last hour, then a 4th answers 200 and queues nothing', async () => {
    const u = await h.addUser();
    for (let i = 0; i < 4; i++) expectOk(await forgot(u.documentNumber));
    expect(await resetTokens(u.id)).toHaveLength(3);
    h.advance(61 * 60_000);
    expectOk(await forgot(u.documentNumber));
    expect(await resetTokens(u.id)).toHaveLength(4);
  });

  it('when two requests were made, then the first token is refused (superseded)', async () => {
    const u = await h.addUser();
    await forgot(u.email);
    await forgot(u.email);
    const [first, second] = await resetTokens(u.id);
    expectError(await reset(first, 'Nueva#Clave-2027'), 400, 'INVALID_RESET_TOKEN');
    expectOk(await reset(second, 'Nueva#Clave-2027'));
  });

  it('when the account is inactive, then A4 sends nothing', async () => {
    const u = await h.addUser({ isActive: false });
    expectOk(await forgot(u.email));
    expect(await resetTokens(u.id)).toHaveLength(0);
  });
});

describe('US-USR-07 reset password with a single-use token', () => {
  it('when an unused token under 60 minutes resets, then the new password logs in, the old fails, sessions die and the lock clears', async () => {
    const u = await h.addUser();
    const session = await h.login(u.email, PASSWORD);
    for (let i = 0; i < 5; i++) await login(u.email, 'Mala#Clave-2026');
    expectError(await login(u.email, PASSWORD), 429, 'LOGIN_LOCKED');
    await forgot(u.email);
    const [token] = await resetTokens(u.id);
    h.advance(59 * 60_000);
    expectError(await reset(token, 'Sicora2026!'), 422, 'WEAK_PASSWORD');
    expectError(await reset(token, PASSWORD), 422, 'PASSWORD_REUSED');
    expectOk(await reset(token, 'Nueva#Clave-2027'));
    expectOk(await login(u.email, 'Nueva#Clave-2027'));
    expectError(await login(u.email, PASSWORD), 401, 'INVALID_CREDENTIALS');
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: session.refresh_token } }), 401, 'INVALID_REFRESH_TOKEN');
    expectError(await reset(token, 'Otra#Clave-2028'), 400, 'INVALID_RESET_TOKEN');
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='PASSWORD_RESET_COMPLETED' AND user_id=$1", [u.id])).toBe(1);
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.password_changed' AND body->'data'->>'method'='reset' AND body->'target_users'->>0=$1", [u.id])).toBe(1);
  });

  it('when the token is older than 60 minutes or unknown, then 400 INVALID_RESET_TOKEN', async () => {
    const u = await h.addUser();
    await forgot(u.email);
    const [token] = await resetTokens(u.id);
    h.advance(60 * 60_000);
    expectError(await reset(token, 'Nueva#Clave-2027'), 400, 'INVALID_RESET_TOKEN');
    expectError(await reset('x'.repeat(43), 'Nueva#Clave-2027'), 400, 'INVALID_RESET_TOKEN');
  });

  it('when 21 resets come from one IP in 15 minutes, then the 21st is 429 RATE_LIMITED', async () => {
    let last;
    for (let i = 0; i < 21; i++) last = await h.app.inject({ method: 'POST', url: '/api/v1/auth/reset-password', payload: { token: `t${i}`, new_password: 'x' }, headers: { 'x-forwarded-for': '200.1.2.3' } });
    expectError(last!, 429, 'RATE_LIMITED');
  });
});
