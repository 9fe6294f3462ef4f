import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
let evalin: string;

const req = (method: 'GET' | 'POST', url: string, token = evalin, payload?: object) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const status = async (id: string) => (await h.db.query<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status;
const until = (id: string, s: string) => vi.waitUntil(async () => (await status(id)) === s, poll);

beforeAll(async () => {
  smtp = await startSmtpFake();
  h = await createHarness({ SMTP_URL: smtp.url });
  evalin = await h.token({ name: 'evalin', sub: '00000000-0000-4000-8000-00000000e1a1' });
  for (const n of [31, 32, 33]) h.dir.people.set(uid(n), person(n, { email: `laura${n}@demo.sicora.test` }));
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe('status for the producer (N3–N5, N7)', () => {
  it('when one of 3 e-mails goes dead, then N4 shows partially_failed with counts and N5 status=dead lists that user masked', async () => {
    smtp.rcptReplies.push(250, 550);
    const { id } = expectOk(await req('POST', '/api/v1/notifications', evalin, { type: 'evalin.period_resumed', target_users: [uid(31), uid(32), uid(33)], channels: ['email'], data: { period_name: '2026-T1' } }), 202);
    expect(await until(id, 'partially_failed')).toBe(true);
    const view = expectOk(await req('GET', `/api/v1/notifications/${id}`));
    expect(view).toMatchObject({ status: 'partially_failed', recipient_count: 3, source: 'evalin', counts: { by_status: { sent: 2, dead: 1 }, by_channel: { email: { sent: 2, dead: 1 } } } });
    const dead = expectOk(await req('GET', `/api/v1/notifications/${id}/deliveries?status=dead`));
    expect(dead).toHaveLength(1);
    expect(dead[0].destination).toMatch(/^l\*\*\*@demo\.sicora\.test$/);
    expect(dead[0].status_reason).toBe('permanent_provider_error');
    const list = expectOk(await req('GET', '/api/v1/notifications?type=evalin.period_resumed'));
    expect(list.map((n: { id: string }) => n.id)).toEqual([id]);
  });

  it("when another service reads a notification, then 404 NOTIFICATION_NOT_FOUND; an admin sees it", async () => {
    const { id } = expectOk(await req('POST', '/api/v1/notifications', evalin, { type: 'evalin.period_closed', target_users: [uid(31)], data: { period_name: 'x' } }), 202);
    expectError(await req('GET', `/api/v1/notifications/${id}`, await h.token({ name: 'kb' })), 404, 'NOTIFICATION_NOT_FOUND');
    expect(expectOk(await req('GET', `/api/v1/notifications/${id}`, await h.token({ role: 'admin' }))).id).toBe(id);
    expectError(await req('GET', `/api/v1/notifications/${id}`, await h.token({ role: 'aprendiz' })), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('O2: when a second requester or another service names a notification by id (N4–N6), then 404 NOTIFICATION_NOT_FOUND and it stays as it was; its requester and an admin can', async () => {
    const later = new Date(h.clock.now + 3_600_000).toISOString();
    const coordA = await h.token({ role: 'coordinador', sub: uid(34) });
    const coordB = await h.token({ role: 'coordinador', sub: uid(35) });
    const kb = await h.token({ name: 'kb', sub: '00000000-0000-4000-8000-0000000000cb' });
    const { id: mine } = expectOk(await req('POST', '/api/v1/notifications', coordA, { type: 'manual.announcement', title: 'Simulacro', message: 'Mañana a las 9', target_users: [uid(31)], scheduled_at: later }), 202);
    const { id: evalins } = expectOk(await req('POST', '/api/v1/notifications', evalin, { type: 'evalin.period_closed', target_users: [uid(31)], data: { period_name: 'x' }, scheduled_at: later }), 202);
    for (const [id, stranger] of [[mine, coordB], [mine, kb], [evalins, coordA], [evalins, kb]]) {
      expectError(await req('GET', `/api/v1/notifications/${id}`, stranger), 404, 'NOTIFICATION_NOT_FOUND');
      expectError(await req('GET', `/api/v1/notifications/${id}/deliveries`, stranger), 404, 'NOTIFICATION_NOT_FOUND');
      expectError(await req('POST', `/api/v1/notifications/${id}/cancel`, stranger), 404, 'NOTIFICATION_NOT_FOUND');
      expect(expectOk(await req('GET', '/api/v1/notifications?page_size=100', stranger)).map((n: { id: string }) => n.id)).not.toContain(id);
    }
    expect(await status(mine)).toBe('scheduled');
    expect(await status(evalins)).toBe('scheduled');
    expect(expectOk(await req('GET', `/api/v1/notifications/${mine}/deliveries`, coordA))).toEqual([]);
    expect(expectOk(await req('GET', `/api/v1/notifications/${mine}`, await h.token({ role: 'admin' }))).requested_by).toBe(uid(34));
    expect(expectOk(await req('POST', `/api/v1/notifications/${mine}/cancel`, coordA)).status).toBe('cancelled');
    expect(expectOk(await req('POST', `/api/v1/notifications/${evalins}/cancel`, await h.token({ role: 'admin' }))).status).toBe('cancelled');
  });

  it('when N7 is read, then every catalogue type is listed with variables, sample data and its templates', async () => {
    const types = expectOk(await req('GET', '/api/v1/notifications/types?category=account'));
    const welcome = types.find((t: { type: string }) => t.type === 'user.welcome');
    expect(welcome).toMatchObject({ priority: 'normal', channels: ['in_app', 'email'], mandatory: true });
    expect(welcome.variables).toEqual(expect.arrayContaining(['first_name', 'login_url']));
    expect(welcome.templates).toHaveLength(2);
    expect(types.every((t: { category: string }) => t.category === 'account')).toBe(true);
  });
});

describe('bulk (N2)', () => {
  it('when 3 items arrive and item 2 has no target, then 202 accepted 2 rejected 1; all invalid → 422 BULK_VALIDATION_FAILED', async () => {
    const item = { type: 'evalin.evaluation_reminder', target_users: [uid(31)], data: { period_name: 'x' } };
    const out = expectOk(await req('POST', '/api/v1/notifications/bulk', evalin, { items: [item, { type: 'evalin.evaluation_reminder' }, { ...item, target_users: [uid(32)] }] }), 202);
    expect(out).toMatchObject({ accepted: 2, replayed: 0, rejected: 1 });
    expect(out.items[1]).toMatchObject({ index: 1, status: 'rejected', error: { code: 'NO_TARGETS' } });
    const err = expectError(await req('POST', '/api/v1/notifications/bulk', evalin, { items: [{ type: 'x' }, { type: 'evalin.evaluation_reminder' }, {}] }), 422, 'BULK_VALIDATION_FAILED');
    expect((err.details as { items: unknown[] }).items).toHaveLength(3);
  });
});

describe('schedule and cancel (N6)', () => {
  it('when scheduled_at is tomorrow, then 202 scheduled with no delivery until the time comes', async () => {
    const at = new Date(h.clock.now + 86_400_000);
    const { id, status: s } = expectOk(await req('POST', '/api/v1/notifications', evalin, { type: 'evalin.period_closed', target_users: [uid(31)], data: { period_name: 'x' }, scheduled_at: at.toISOString() }), 202);
    expect(s).toBe('scheduled');
    await h.app.notificationWorker!.sweep();
    const [none] = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1', [id]);
    expect(none.n).toBe(0);
    const start = h.clock.now;
    h.clock.now = at.getTime() + 1000;
    try {
      await h.app.notificationWorker!.sweep();
      expect(await until(id, 'completed')).toBe(true);
    } finally { h.clock.now = start; }
  });

  it('when N6 runs before the time, then cancelled and nothing is sent; N6 on a finished one → 409', async () => {
    const { id } = expectOk(await req('POST', '/api/v1/notifications', evalin, { type: 'evalin.period_closed', target_users: [uid(31)], data: { period_name: 'x' }, scheduled_at: new Date(h.clock.now + 3_600_000).toISOString() }), 202);
    expect(expectOk(await req('POST', `/api/v1/notifications/${id}/cancel`)).status).toBe('cancelled');
    h.clock.now += 2 * 3_600_000;
    try {
      await h.app.notificationWorker!.sweep();
      await new Promise((r) => setTimeout(r, 700));
      expect(await status(id)).toBe('cancelled');
      const [none] = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1', [id]);
      expect(none.n).toBe(0);
    } finally { h.clock.now -= 2 * 3_600_000; }
    expectError(await req('POST', `/api/v1/notifications/${id}/cancel`), 409, 'NOTIFICATION_NOT_CANCELLABLE');
  });
});

describe('secrets (R60)', () => {
  it('when user.password_reset_requested carries reset_url, then the e-mail has it, N4 shows *** and the stored data loses it once sent', async () => {
    const users = await h.token({ name: 'users' });
    const url = 'https://sicora.test/restablecer?token=s3cr3t';
    const { id } = expectOk(await req('POST', '/api/v1/notifications', users, { type: 'user.password_reset_requested', target_users: [uid(33)], data: { reset_url: url, expires_in_minutes: 30 } }), 202);
    expect(expectOk(await req('GET', `/api/v1/notifications/${id}`, users)).data.reset_url).toBe('***');
    expect(await until(id, 'completed')).toBe(true);
    expect(smtp.received.some((r) => r.mail.text?.includes(url))).toBe(true);
    const [row] = await h.db.query<{ data: Record<string, unknown>; data_erased_at: string | null }>('SELECT data, data_erased_at FROM notification.notifications WHERE id = $1', [id]);
    expect(row.data).toEqual({ expires_in_minutes: 30 });
    expect(row.data_erased_at).not.toBeNull();
  });
});
