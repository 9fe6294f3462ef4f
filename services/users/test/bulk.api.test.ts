import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { bearer, startUsers, type Harness } from './harness.ts';

let h: Harness;
let admin: { token: string; user: { id: string } };
let coord: string;

beforeAll(async () => {
  h = await startUsers();
  admin = await h.tokenFor('admin');
  coord = (await h.tokenFor('coordinador')).token;
});
afterAll(async () => {
  await h.close();
});

const bulk = (token: string, items: unknown[]) => h.app.inject({ method: 'PATCH', url: '/api/v1/users/bulk', headers: bearer(token), payload: { items } });
const bulkDelete = (token: string, ids: string[]) => h.app.inject({ method: 'POST', url: '/api/v1/users/bulk/delete', headers: bearer(token), payload: { ids } });

describe('US-USR-21 bulk edit and delete', () => {
  it('when B3 moves 20 apprentices to another active ficha, then updated=20 and U1 with the new group_id returns them', async () => {
    const from = h.groups.add({ number: '1111222' });
    const to = h.groups.add({ number: '3333444', max_apprentices: 25 });
    const apprentices = [];
    for (let i = 0; i < 20; i++) apprentices.push(await h.addUser({ role: 'aprendiz', groupId: from.id, groupNumber: from.number }));
    const res = expectOk(await bulk(admin.token, apprentices.map((a) => ({ id: a.id, group_id: to.id }))));
    expect(res.updated).toBe(20);
    expect(res.items[3]).toEqual({ index: 3, id: apprentices[3].id, ok: true });
    const list = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/users?group_id=${to.id}&page_size=100`, headers: bearer(coord) }));
    expect(list.map((u: { id: string }) => u.id).sort()).toEqual(apprentices.map((a) => a.id).sort());
    expect(list.every((u: { group_number: string }) => u.group_number === '3333444')).toBe(true);
    expect(await h.count("SELECT count(*) n FROM users.security_events WHERE type='USERS_BULK_UPDATED'")).toBe(1);
  });

  it('when item 4 uses a taken e-mail, then 422 BULK_VALIDATION_FAILED naming index 4 and nothing changes', async () => {
    const taken = await h.addUser();
    const targets = [];
    for (let i = 0; i < 6; i++) targets.push(await h.addUser({ role: 'instructor' }));
    const items = targets.map((t, i) => ({ id: t.id, area: `Área ${i}`, ...(i === 4 ? { email: taken.email } : {}) }));
    const err = expectError(await bulk(coord, items), 422, 'BULK_VALIDATION_FAILED');
    expect((err.details as { items: Array<{ index: number; code: string; id: string }> }).items).toEqual([
      expect.objectContaining({ index: 4, id: targets[4].id, code: 'EMAIL_ALREADY_EXISTS' }),
    ]);
    expect(await h.count("SELECT count(*) n FROM users.users WHERE area LIKE 'Área %'")).toBe(0);
  });

  it('when B3 deactivates through is_active, a coordinador targets an admin, or items repeat an e-mail, then each follows the single-item rules', async () => {
    const a = await h.addUser({ role: 'instructor' });
    const b = await h.addUser({ role: 'instructor' });
    const boss = await h.addUser({ role: 'admin' });
    const err = expectError(await bulk(coord, [
      { id: a.id, email: 'mismo@x.co' }, { id: b.id, email: 'MISMO@x.co' }, { id: boss.id, area: 'x' },
    ]), 422, 'BULK_VALIDATION_FAILED');
    expect((err.details as { items: Array<{ index: number; code: string }> }).items.map((i) => [i.index, i.code])).toEqual([
      [1, 'EMAIL_ALREADY_EXISTS'], [2, 'INSUFFICIENT_PERMISSIONS'],
    ]);
    expectOk(await bulk(coord, [{ id: a.id, is_active: false }]));
    expect(await h.count("SELECT count(*) n FROM users.outbox WHERE body->>'type'='user.deactivated' AND body->'target_users'->>0=$1", [a.id])).toBe(1);
    expectError(await bulk((await h.tokenFor('administrativo')).token, [{ id: a.id, area: 'x' }]), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await bulk(coord, []), 422, 'VALIDATION_ERROR');
  });

  it('when B4 gets 3 ids including the caller\'s, then 422 naming that id; otherwise all are deleted; a coordinador gets 403', async () => {
    const x = await h.addUser();
    const y = await h.addUser();
    const err = expectError(await bulkDelete(admin.token, [x.id, admin.user.id, y.id]), 422, 'BULK_VALIDATION_FAILED');
    expect((err.details as { items: Array<{ index: number; id: string; code: string }> }).items).toEqual([
      { index: 1, id: admin.user.id, code: 'SELF_ACTION_NOT_ALLOWED', message: expect.any(String) },
    ]);
    expect(await h.count('SELECT count(*) n FROM users.users WHERE id = ANY($1) AND deleted_at IS NOT NULL', [[x.id, y.id]])).toBe(0);
    expectError(await bulkDelete(coord, [x.id]), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(expectOk(await bulkDelete(admin.token, [x.id, y.id]))).toEqual({ deleted: 2 });
    expect(await h.count('SELECT count(*) n FROM users.users WHERE id = ANY($1) AND deleted_at IS NOT NULL AND is_active = false', [[x.id, y.id]])).toBe(2);
    expectError(await bulkDelete(admin.token, [x.id, x.id]), 422, 'VALIDATION_ERROR');
    expectError(await bulkDelete(admin.token, [x.id]), 422, 'BULK_VALIDATION_FAILED');
  });
});

describe('B5 export', () => {
  it('when staff export a filtered list, then a UTF-8 BOM CSV with the §6.3 columns, Bogotá timestamps and the U1 order', async () => {
    await h.addUser({ role: 'instructor', lastName: 'Zapata Exportado', area: 'Inglés, nivel 2' });
    await h.addUser({ role: 'instructor', lastName: 'Bernal Exportado' });
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/users/export?search=exportado&sort=last_name', headers: bearer(coord) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="usuarios_\d{8}\.csv"/);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\ufeffid,first_name,last_name,email,document_type,document_number,role,group_number,phone,area,is_active,must_change_password,last_login_at,created_at');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('Bernal Exportado');
    expect(lines[2]).toContain('"Inglés, nivel 2"');
    expect(lines[1]).toMatch(/,2026-03-02T09:00:00-05:00$/);
    const instr = await h.tokenFor('instructor');
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/users/export', headers: bearer(instr.token) }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
