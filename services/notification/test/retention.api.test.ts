import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
let dataDir: string;
const MIN = 60_000;
const DAY = 86_400_000;
/** 2026-06-10 03:15 in Bogotá (UTC−5): the day's run time of R59. */
const A = Date.parse('2026-06-10T08:15:00Z');
const n: Record<string, string> = {};
const devices: Record<string, string> = {};

const q = <T>(text: string, params: unknown[] = []) => h.db.query<T>(text, params);
const as = async (user: number) => ({ authorization: `Bearer ${await h.token({ role: 'aprendiz', sub: uid(user) })}` });
const settle = (id: string) => vi.waitUntil(async () => !['accepted', 'expanding'].includes((await q<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status)
  && (await q<{ status: string }>('SELECT status FROM notification.deliveries WHERE notification_id = $1', [id])).every((d) => !['queued', 'sending'].includes(d.status)), poll);

/** A `user.activated` to one person (in_app + e-mail into the mail sink) accepted and finished at `at`. */
async function sendAt(at: number, user: number, key?: string): Promise<string> {
  h.clock.now = at;
  const res = await h.app.inject({
    method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token({ name: 'users' })}`, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { type: 'user.activated', target_users: [uid(user)], channels: ['in_app', 'email'] },
  });
  const { id } = expectOk(res, 202);
  expect(await settle(id)).toBe(true);
  return id;
}

async function readAt(at: number, user: number): Promise<void> {
  h.clock.now = at;
  const [item] = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/inbox', headers: await as(user) }));
  expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/notifications/inbox/${item.id}/read`, headers: await as(user) }));
}

async function sweepAt(at: number): Promise<void> {
  h.clock.now = at;
  await h.app.notificationWorker!.sweep();
}

const exists = async (id: string) => (await q('SELECT 1 FROM notification.notifications WHERE id = $1', [id])).length === 1;
const deliveryCount = async (id: string) => (await q<{ c: number }>('SELECT count(*)::int AS c FROM notification.deliveries WHERE notification_id = $1', [id]))[0].c;
const attemptCount = async (id: string) => (await q<{ c: number }>('SELECT count(*)::int AS c FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id WHERE d.notification_id = $1', [id]))[0].c;
const inboxCount = async (user: number) => (await q<{ c: number }>('SELECT count(*)::int AS c FROM notification.inbox_items WHERE user_id = $1', [uid(user)]))[0].c;
const destination = async (id: string) => (await q<{ destination: string | null }>("SELECT destination FROM notification.deliveries WHERE notification_id = $1 AND channel = 'email'", [id]))[0].destination;
const key = async (id: string) => (await q<{ idempotency_key: string | null }>('SELECT idempotency_key FROM notification.notifications WHERE id = $1', [id]))[0].idempotency_key;
const device = async (id: string) => (await q('SELECT 1 FROM notification.device_tokens WHERE id = $1', [id])).length === 1;
const emailId = async (id: string) => (await q<{ id: string }>("SELECT id FROM notification.deliveries WHERE notification_id = $1 AND channel = 'email'", [id]))[0]?.id;
const sinkIds = async () => (expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/admin/mail-sink?page_size=100', headers: { authorization: `Bearer ${await h.token({ role: 'admin' })}` } })) as Array<{ id: string }>).map((m) => m.id);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sicora-retention-'));
  // The embedded default's mail sink, on a private data directory: R59 removes its files too.
  h = await createHarness({ MAIL_SINK_ENABLED: 'true', MAIL_SINK_PORT: '0', SICORA_DATA_DIR: dataDir });
  for (let i = 1; i <= 12; i += 1) h.dir.people.set(uid(i), person(i));

  n.created365Old = await sendAt(A - 365 * DAY - 5 * MIN, 1);
  n.created365New = await sendAt(A - 365 * DAY + 5 * MIN, 2);
  n.created180Old = await sendAt(A - 180 * DAY - 5 * MIN, 3);
  await readAt(A - 180 * DAY - 4 * MIN, 3);
  n.created180New = await sendAt(A - 180 * DAY + 5 * MIN, 4);
  await readAt(A - 180 * DAY + 6 * MIN, 4);
  n.created90Old = await sendAt(A - 90 * DAY - 5 * MIN, 5);
  n.created90New = await sendAt(A - 90 * DAY + 5 * MIN, 6);
  n.created30Old = await sendAt(A - 30 * DAY - 5 * MIN, 7);
  n.created30New = await sendAt(A - 30 * DAY + 5 * MIN, 8);
  n.mail8Days = await sendAt(A - 8 * DAY, 9); // sink folder 2026-06-02
  n.key7Old = await sendAt(A - 7 * DAY - 5 * MIN, 10, 'retencion-10'); // sink folder 2026-06-03
  n.key7New = await sendAt(A - 7 * DAY + 5 * MIN, 11, 'retencion-11');

  h.clock.now = A - 40 * DAY;
  for (const t of ['a', 'b', 'c']) {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications/devices', headers: await as(12), payload: { token: `retencion-token-${t}-0000000000`, platform: 'android' } });
    devices[t] = expectOk(res, 201).id;
  }
  h.clock.now = A - 30 * DAY - 5 * MIN;
  expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/notifications/devices/${devices.a}`, headers: await as(12) })).statusCode).toBe(204);
  h.clock.now = A - 30 * DAY + 5 * MIN;
  expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/notifications/devices/${devices.b}`, headers: await as(12) })).statusCode).toBe(204);
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('daily retention (R59)', () => {
  it('R59: when the sweep runs at 03:14 Bogotá, then nothing is removed yet', async () => {
    await sweepAt(A - MIN);
    expect(await exists(n.created365Old)).toBe(true);
    expect(await attemptCount(n.created90Old)).toBeGreaterThan(0);
    expect(await inboxCount(1)).toBe(1);
    expect(await destination(n.created30Old)).toBe('persona7@demo.sicora.test');
    expect(await key(n.key7Old)).toBe('retencion-10');
    expect(await device(devices.a)).toBe(true);
    expect(await sinkIds()).toContain(await emailId(n.mail8Days));
  });

  it('R59: when the sweep runs at 03:16 Bogotá, then each kind of record past its age is removed and the younger ones stay', async () => {
    await sweepAt(A + MIN);
    // Notifications and deliveries older than 180 days; inbox items stay with them.
    expect(await exists(n.created365Old)).toBe(false);
    expect(await exists(n.created180Old)).toBe(false);
    expect(await deliveryCount(n.created180Old)).toBe(0);
    expect(await exists(n.created180New)).toBe(true);
    expect(await deliveryCount(n.created180New)).toBe(2);
    const kept = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/inbox', headers: await as(2) }));
    expect(kept).toHaveLength(1);
    expect(kept[0].notification_id).toBe(n.created365New);
    expect(await exists(n.created365New)).toBe(false);
    // Inbox items created more than 365 days ago, or read more than 180 days ago.
    expect(await inboxCount(1)).toBe(0);
    expect(await inboxCount(3)).toBe(0);
    expect(await inboxCount(4)).toBe(1);
    // Attempts older than 90 days.
    expect(await attemptCount(n.created90Old)).toBe(0);
    expect(await deliveryCount(n.created90Old)).toBe(2);
    expect(await attemptCount(n.created90New)).toBeGreaterThan(0);
    // Destinations 30 days after a terminal state.
    expect(await destination(n.created30Old)).toBeNull();
    expect(await destination(n.created30New)).toBe('persona8@demo.sicora.test');
    // Idempotency keys older than 7 days.
    expect(await key(n.key7Old)).toBeNull();
    expect(await key(n.key7New)).toBe('retencion-11');
    // Device tokens disabled more than 30 days ago.
    expect(await device(devices.a)).toBe(false);
    expect(await device(devices.b)).toBe(true);
    expect(await device(devices.c)).toBe(true);
    // Mail-sink files older than 7 days (local day folders).
    const sink = await sinkIds();
    expect(sink).not.toContain(await emailId(n.mail8Days));
    expect(sink).toContain(await emailId(n.key7Old));
    expect(existsSync(join(dataDir, 'mail', '2026-06-02'))).toBe(false);
  });

  it('R59: when the sweep runs again later the same day, then nothing more is removed (the job runs once a day)', async () => {
    // At 10:00 these are past their age measured from now, not from today's 03:15.
    await sweepAt(A + 6 * 3_600_000 + 45 * MIN);
    expect(await exists(n.created180New)).toBe(true);
    expect(await inboxCount(4)).toBe(1);
    expect(await attemptCount(n.created90New)).toBeGreaterThan(0);
    expect(await destination(n.created30New)).toBe('persona8@demo.sicora.test');
    expect(await key(n.key7New)).toBe('retencion-11');
    expect(await device(devices.b)).toBe(true);
  });

  it('R59: when the next day\'s sweep passes 03:15, then the records that aged since are removed', async () => {
    await sweepAt(A + DAY + MIN);
    expect(await exists(n.created180New)).toBe(false);
    expect(await inboxCount(4)).toBe(0);
    expect(await attemptCount(n.created90New)).toBe(0);
    expect(await destination(n.created30New)).toBeNull();
    expect(await key(n.key7New)).toBeNull();
    expect(await device(devices.b)).toBe(false);
    expect(await device(devices.c)).toBe(true);
    expect(await sinkIds()).not.toContain(await emailId(n.key7Old));
  });
});
