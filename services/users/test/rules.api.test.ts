import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { BootstrapResult } from '../src/bootstrap.ts';
import { bearer, PASSWORD, startUsers, type Harness } from './harness.ts';

let h: Harness;
let booted: BootstrapResult | undefined;
let coord: string;

beforeAll(async () => {
  h = await startUsers({ overrides: { onBootstrap: (r) => (booted = r) } });
  coord = (await h.tokenFor('coordinador')).token;
});
afterAll(async () => {
  await h.close();
});

const refresh = (refresh_token: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token } });

describe('start-up', () => {
  it('when buildApp starts, then it ran the bootstrap itself and handed over the service secrets', () => {
    expect(Object.keys(booted!.serviceSecrets)).toContain('gateway');
    expect(booted!.createdAdmin).toBeUndefined();
  });
});

describe('R8 re-hash and R16 refresh of a disabled account', () => {
  it('when a user logs in with a hash made with other parameters, then it is re-hashed with the configured ones', async () => {
    const u = await h.addUser();
    const old = await hash(PASSWORD, { memoryCost: 128, timeCost: 1, parallelism: 1, algorithm: 2 });
    await h.db.query('UPDATE users.users SET password_hash=$1 WHERE id=$2', [old, u.id]);
    await h.login(u.email, PASSWORD);
    const [row] = await h.db.query<{ password_hash: string }>('SELECT password_hash FROM users.users WHERE id=$1', [u.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    await h.login(u.email, PASSWORD);
  });

  it('when an account became inactive without its sessions being revoked, then refresh answers 403 ACCOUNT_DISABLED and revokes them', async () => {
    const u = await h.addUser();
    const s = await h.login(u.email, PASSWORD);
    await h.db.query('UPDATE users.users SET is_active=false WHERE id=$1', [u.id]);
    expectError(await refresh(s.refresh_token), 403, 'ACCOUNT_DISABLED');
    await h.db.query('UPDATE users.users SET is_active=true WHERE id=$1', [u.id]);
    expectError(await refresh(s.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
  });
});

describe('token lifetime', () => {
  it('when an access token is older than 60 minutes, then P1 answers 401 TOKEN_EXPIRED', async () => {
    const u = await h.addUser();
    const s = await h.login(u.email, PASSWORD);
    h.advance(3600_000 + 31_000);
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(s.access_token) }), 401, 'TOKEN_EXPIRED');
    coord = (await h.tokenFor('coordinador')).token;
  });

  it('when two tabs refreshed one token within the grace, then P3 still lists one session', async () => {
    const u = await h.addUser();
    const s = await h.login(u.email, PASSWORD);
    expectOk(await refresh(s.refresh_token));
    const again = expectOk(await refresh(s.refresh_token));
    const list = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/users/me/sessions', headers: bearer(again.access_token) }));
    expect(list).toHaveLength(1);
  });
});

describe('R30 and R4 through edits', () => {
  it('when U4 sets is_active=false, then it has the effects of U8 (sessions revoked, user.deactivated queued)', async () => {
    const u = await h.addUser();
    const s = await h.login(u.email, PASSWORD);
    h.advance(1000);
    expect(expectOk(await h.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: bearer(coord), payload: { is_active: false } })).is_active).toBe(false);
    expectError(await refresh(s.refresh_token), 401, 'INVALID_REFRESH_TOKEN');
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.deactivated' AND body->'target_users'->>0=$1", [u.id])).toBe(1);
  });

  it('when B3 moves more apprentices than a ficha has room for, then 422 BULK_VALIDATION_FAILED with GROUP_FULL and nobody moves', async () => {
    const from = h.groups.add({ number: '5151515' });
    const to = h.groups.add({ number: '6161616', max_apprentices: 2 });
    const list = [];
    for (let i = 0; i < 3; i++) list.push(await h.addUser({ role: 'aprendiz', groupId: from.id, groupNumber: from.number }));
    const err = expectError(await h.app.inject({
      method: 'PATCH', url: '/api/v1/users/bulk', headers: bearer(coord), payload: { items: list.map((u) => ({ id: u.id, group_number: to.number })) },
    }), 422, 'BULK_VALIDATION_FAILED');
    expect((err.details as { items: Array<{ index: number; code: string }> }).items).toEqual([expect.objectContaining({ index: 2, code: 'GROUP_FULL' })]);
    expect(await h.count('SELECT count(*) n FROM users.users WHERE group_id=$1', [to.id])).toBe(0);
  });

  it('when a U2 aprendiz names the ficha by group_id, then it is checked through G3 and copied with its number', async () => {
    const g = h.groups.add({ number: '7171717' });
    const created = expectOk(await h.app.inject({
      method: 'POST', url: '/api/v1/users', headers: bearer(coord),
      payload: { first_name: 'Luisa', last_name: 'Mora Paz', email: 'luisa.mora@x.co', document_type: 'TI', document_number: '1098765432', role: 'aprendiz', group_id: g.id },
    }), 201);
    expect(created).toMatchObject({ group_id: g.id, group_number: '7171717', document_type: 'TI' });
  });

  it('when the restored user\'s document is held by another live user, then U6 answers 409 DOCUMENT_ALREADY_EXISTS', async () => {
    const admin = (await h.tokenFor('admin')).token;
    const u = await h.addUser();
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/users/${u.id}`, headers: bearer(admin) })).statusCode).toBe(204);
    await h.addUser({ documentNumber: u.documentNumber });
    expectError(await h.app.inject({ method: 'POST', url: `/api/v1/users/${u.id}/restore`, headers: bearer(admin) }), 409, 'DOCUMENT_ALREADY_EXISTS');
  });
});

describe('R14 limits of forgot-password and service-token', () => {
  it('when one IP asks 21 resets in an hour, then the 21st is 429; 31 service-token requests of one client in a minute too', async () => {
    let last;
    for (let i = 0; i < 21; i++) last = await h.app.inject({ method: 'POST', url: '/api/v1/auth/forgot-password', payload: { identifier: `x${i}@x.co` }, headers: { 'x-forwarded-for': '201.2.3.4' } });
    expectError(last!, 429, 'RATE_LIMITED');
    for (let i = 0; i < 31; i++) last = await h.app.inject({ method: 'POST', url: '/api/v1/auth/service-token', payload: { client_id: 'kb', client_secret: 'y'.repeat(40) } });
    expectError(last!, 429, 'RATE_LIMITED');
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/users_logins_total\{[^}]*outcome="ok"[^}]*\} \d+/);
  });
});
