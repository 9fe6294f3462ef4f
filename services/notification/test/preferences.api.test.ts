import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { ChannelProvider, OutgoingMessage } from '../src/application/ports.ts';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { startSmtpFake, type SmtpFake } from './smtp-fake.ts';

let h: Harness;
let smtp: SmtpFake;
let carlos: string;
const pushed: OutgoingMessage[] = [];

/** A recording push provider: the FCM adapter is not built yet; this proves the timing rules. */
const pushProvider: ChannelProvider = { name: 'push-recorder', channel: 'push', async send(m) { pushed.push(m); return { provider: 'push-recorder', provider_message_id: `p-${pushed.length}` }; } };

const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token = carlos, payload?: object) =>
  h.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const deliveries = (id: string) => h.db.query<{ channel: string; status: string; status_reason: string | null; not_before: string | null }>(
  'SELECT channel, status, status_reason, not_before FROM notification.deliveries WHERE notification_id = $1 ORDER BY channel', [id]);
const send = async (body: object) => expectOk(await req('POST', '/api/v1/notifications', await h.token(), body), 202).id as string;
// 'expanding' inserts deliveries channel by channel, so a settled notification is one past fan-out.
const settle = (id: string) => vi.waitUntil(async () => !['accepted', 'expanding'].includes((await h.db.query<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status)
  && (await deliveries(id)).every((d) => !['queued', 'sending'].includes(d.status)), poll);

beforeAll(async () => {
  smtp = await startSmtpFake();
  h = await createHarness({ SMTP_URL: smtp.url }, { providers: { push: pushProvider } });
  h.dir.people.set(uid(10), person(10, { role: 'instructor', first_name: 'Carlos Andrés' }));
  carlos = await h.token({ role: 'instructor', sub: uid(10) });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

describe('preferences (P1–P3)', () => {
  it('when nothing is set, then P1 shows the defaults with in_app true and every category', async () => {
    const p = expectOk(await req('GET', '/api/v1/notifications/preferences'));
    expect(p).toMatchObject({ channels: { in_app: true, email: true, sms: true, push: true }, quiet_hours: { enabled: true, start: '21:00', end: '06:00', timezone: 'America/Bogota' }, digest: 'daily', digest_hour: 7 });
    expect(Object.keys(p.categories)).toHaveLength(10);
    expect(p.mandatory_types).toContain('user.password_changed');
  });

  it('when P2 sets categories.kb.email=false, then kb.item.published e-mail is skipped (opted_out) and in_app delivered', async () => {
    const p = expectOk(await req('PUT', '/api/v1/notifications/preferences', carlos, { categories: { kb: { email: false } }, digest: 'off' }));
    expect(p.categories.kb).toEqual({ email: false, sms: true, push: true });
    const id = await send({ type: 'kb.item.published', target_users: [uid(10)], data: { item_title: 'Guía' } });
    await settle(id);
    expect(await deliveries(id)).toEqual([
      expect.objectContaining({ channel: 'email', status: 'skipped', status_reason: 'opted_out' }),
      expect.objectContaining({ channel: 'in_app', status: 'delivered' }),
    ]);
  });

  it('when P2 sets channels.email=false, then a mandatory user.password_changed e-mail is still sent', async () => {
    expectOk(await req('PUT', '/api/v1/notifications/preferences', carlos, { channels: { email: false } }));
    const id = await send({ type: 'user.password_changed', target_users: [uid(10)], data: { changed_at: '2026-03-02T14:05:00Z' } });
    await settle(id);
    expect((await deliveries(id)).find((d) => d.channel === 'email')).toMatchObject({ status: 'sent' });
  });

  it('when quiet hours start equals end or in_app is turned off, then 422; an admin reads P3 and others get 403', async () => {
    expectError(await req('PUT', '/api/v1/notifications/preferences', carlos, { quiet_hours: { start: '22:00', end: '22:00' } }), 422, 'VALIDATION_ERROR');
    expectError(await req('PUT', '/api/v1/notifications/preferences', carlos, { channels: { in_app: false } }), 422, 'VALIDATION_ERROR');
    const p3 = expectOk(await req('GET', `/api/v1/notifications/preferences/${uid(10)}`, await h.token({ role: 'admin' })));
    expect(p3.channels.email).toBe(false);
    expectError(await req('GET', `/api/v1/notifications/preferences/${uid(10)}`), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it("O4: when Ana changes her preferences, then only hers change; P3 refuses non-admins for another user's id and an admin reads Ana's", async () => {
    const other = await h.token({ role: 'aprendiz', sub: uid(11) });
    const before = expectOk(await req('GET', '/api/v1/notifications/preferences'));
    const anas = expectOk(await req('GET', '/api/v1/notifications/preferences', other));
    expect(anas.categories.kb.email).toBe(true);
    expect(before.categories.kb.email).toBe(false);
    expectOk(await req('PUT', '/api/v1/notifications/preferences', other, { digest: 'hourly', channels: { sms: false } }));
    expect(expectOk(await req('GET', '/api/v1/notifications/preferences'))).toEqual(before);
    expectError(await req('GET', `/api/v1/notifications/preferences/${uid(10)}`, other), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await req('GET', `/api/v1/notifications/preferences/${uid(11)}`, carlos), 403, 'INSUFFICIENT_PERMISSIONS');
    expect(expectOk(await req('GET', `/api/v1/notifications/preferences/${uid(11)}`, await h.token({ role: 'admin' })))).toMatchObject({ digest: 'hourly', channels: { sms: false } });
  });
});

describe('devices (D1–D4) and quiet hours (R20)', () => {
  const DEVICES = '/api/v1/notifications/devices';
  type Row = { id: string; user_id: string; disabled_reason: string | null; disabled_at: string | null };
  const rowsOf = (token: string) => h.db.query<Row>('SELECT id, user_id, disabled_reason, disabled_at FROM notification.device_tokens WHERE token = $1 ORDER BY created_at, id', [token]);
  const ana = () => h.token({ role: 'aprendiz', sub: uid(11) });
  const ids = (list: Array<{ id: string }>) => list.map((x) => x.id);

  it('when a token is registered twice by its user, then 201 and then 200 with the same device', async () => {
    const first = expectOk(await req('POST', DEVICES, carlos, { token: 'tok-carlos-0001', platform: 'android', device_name: 'Moto G52' }), 201);
    h.clock.now += 1000;
    const again = expectOk(await req('POST', DEVICES, carlos, { token: 'tok-carlos-0001', platform: 'android' }), 200);
    expect(again).toMatchObject({ id: first.id, token_suffix: '…los-0001', device_name: 'Moto G52' });
  });

  it("D1 (O4): when Carlos registers a token active for Ana, then Ana's device is disabled (replaced) and Carlos gets a new one; neither can read or remove the other's", async () => {
    const other = await ana();
    const anas = expectOk(await req('POST', DEVICES, other, { token: 'tok-moving-0002', platform: 'web', app_version: '2.1.0', device_name: 'Portátil de Ana' }), 201);
    h.clock.now += 1000;
    const mine = expectOk(await req('POST', DEVICES, carlos, { token: 'tok-moving-0002', platform: 'web' }), 201);
    // A device of Carlos's own: nothing of Ana's registration reaches him.
    expect(mine.id).not.toBe(anas.id);
    expect(mine).toMatchObject({ app_version: null, device_name: null });
    expect(mine.created_at).not.toBe(anas.created_at);
    expect(expectOk(await req('GET', DEVICES, other))).toHaveLength(0);
    expect(ids(expectOk(await req('GET', DEVICES)))).toContain(mine.id);
    expect(await rowsOf('tok-moving-0002')).toMatchObject([
      { id: anas.id, user_id: uid(11), disabled_reason: 'replaced' },
      { id: mine.id, user_id: uid(10), disabled_reason: null, disabled_at: null },
    ]);
    expectError(await req('DELETE', `${DEVICES}/${anas.id}`, carlos), 404, 'DEVICE_NOT_FOUND');
    expectError(await req('DELETE', `${DEVICES}/${mine.id}`, other), 404, 'DEVICE_NOT_FOUND');
    expect(ids(expectOk(await req('GET', DEVICES)))).toContain(mine.id);

    // Ana signs in on that device again: her own device returns and Carlos's is the one replaced.
    h.clock.now += 1000;
    const back = expectOk(await req('POST', DEVICES, other, { token: 'tok-moving-0002', platform: 'web' }), 201);
    expect(back).toMatchObject({ id: anas.id, device_name: 'Portátil de Ana', app_version: '2.1.0' });
    expect(await rowsOf('tok-moving-0002')).toMatchObject([
      { id: anas.id, user_id: uid(11), disabled_reason: null, disabled_at: null },
      { id: mine.id, user_id: uid(10), disabled_reason: 'replaced' },
    ]);
    expect(ids(expectOk(await req('GET', DEVICES)))).not.toContain(mine.id);
  });

  it("D3 (O4): when Carlos deletes Ana's device by id, then 404 DEVICE_NOT_FOUND and it stays active; Ana's own delete → 204 (user_removed)", async () => {
    const other = await ana();
    const device = expectOk(await req('POST', DEVICES, other, { token: 'tok-ana-phone-0003', platform: 'ios' }), 201);
    expectError(await req('DELETE', `${DEVICES}/${device.id}`, carlos), 404, 'DEVICE_NOT_FOUND');
    expect(ids(expectOk(await req('GET', DEVICES, other)))).toContain(device.id);
    expect((await rowsOf('tok-ana-phone-0003'))[0]).toMatchObject({ user_id: uid(11), disabled_at: null });
    expect((await req('DELETE', `${DEVICES}/${device.id}`, other)).statusCode).toBe(204);
    expect((await rowsOf('tok-ana-phone-0003'))[0].disabled_reason).toBe('user_removed');
    expectError(await req('DELETE', `${DEVICES}/${device.id}`, other), 404, 'DEVICE_NOT_FOUND');
  });

  it("D4 (O4): when Carlos unregisters Ana's token, then 204 and nothing changes; an unknown token → 204; Ana's own → disabled (unregistered)", async () => {
    const other = await ana();
    const device = expectOk(await req('POST', DEVICES, other, { token: 'tok-ana-tablet-0004', platform: 'android' }), 201);
    expect((await req('POST', `${DEVICES}/unregister`, carlos, { token: 'tok-ana-tablet-0004' })).statusCode).toBe(204);
    expect(await rowsOf('tok-ana-tablet-0004')).toMatchObject([{ id: device.id, user_id: uid(11), disabled_at: null, disabled_reason: null }]);
    expect(ids(expectOk(await req('GET', DEVICES, other)))).toContain(device.id);
    expect((await req('POST', `${DEVICES}/unregister`, carlos, { token: 'tok-nobody-0005' })).statusCode).toBe(204);
    expect(await rowsOf('tok-nobody-0005')).toEqual([]);
    expect((await req('POST', `${DEVICES}/unregister`, other, { token: 'tok-ana-tablet-0004' })).statusCode).toBe(204);
    expect((await rowsOf('tok-ana-tablet-0004'))[0].disabled_reason).toBe('unregistered');
    expect(ids(expectOk(await req('GET', DEVICES, other)))).not.toContain(device.id);
  });

  it('D1: when a token has the longest allowed length (4 096 characters), then it registers and can pass to another user', async () => {
    const token = randomBytes(3072).toString('base64');
    expect(token).toHaveLength(4096);
    const other = await ana();
    const anas = expectOk(await req('POST', DEVICES, other, { token, platform: 'android' }), 201);
    expect(anas.token_suffix).toBe(`…${token.slice(-8)}`);
    expect(expectOk(await req('POST', DEVICES, other, { token, platform: 'android' }), 200).id).toBe(anas.id);
    h.clock.now += 1000;
    const mine = expectOk(await req('POST', DEVICES, carlos, { token, platform: 'android' }), 201);
    expect((await rowsOf(token)).map((r) => [r.id, r.disabled_reason])).toEqual([[anas.id, 'replaced'], [mine.id, null]]);
    expect((await req('POST', `${DEVICES}/unregister`, carlos, { token })).statusCode).toBe(204);
  });

  it('when an 11th device arrives, then the least recently seen is disabled (limit); D4 disables by token with 204', async () => {
    const u = await h.token({ role: 'aprendiz', sub: uid(12) });
    for (let i = 1; i <= 11; i++) {
      h.clock.now += 1000;
      await req('POST', '/api/v1/notifications/devices', u, { token: `tok-many-${i}`, platform: 'web' });
    }
    const list = expectOk(await req('GET', '/api/v1/notifications/devices', u));
    expect(list).toHaveLength(10);
    const [first] = await h.db.query<{ disabled_reason: string }>("SELECT disabled_reason FROM notification.device_tokens WHERE token = 'tok-many-1'");
    expect(first.disabled_reason).toBe('limit');
    expect((await req('POST', '/api/v1/notifications/devices/unregister', u, { token: 'tok-many-2' })).statusCode).toBe(204);
    expect(expectOk(await req('GET', '/api/v1/notifications/devices', u))).toHaveLength(9);
    expectError(await req('DELETE', `/api/v1/notifications/devices/${list[0].id}`, carlos), 404, 'DEVICE_NOT_FOUND');
  });

  it('when a high evalin.period_ending reaches a user with a device at 23:00 Bogotá, then push waits until 06:00–06:05 and e-mail goes at once; critical goes at once', async () => {
    const start = h.clock.now;
    h.clock.now = Date.parse('2026-03-03T04:00:00Z'); // 23:00 in Bogotá (UTC−5)
    try {
      expectOk(await req('PUT', '/api/v1/notifications/preferences', carlos, { channels: { email: true } }));
      const id = await send({ type: 'evalin.period_ending', target_users: [uid(10)], data: { days_remaining: 3, period_name: '2026-T1' } });
      await settle(id);
      const push = (await deliveries(id)).find((d) => d.channel === 'push')!;
      expect(push.status).toBe('pending');
      const nb = new Date(push.not_before!).getTime();
      expect(nb).toBeGreaterThanOrEqual(Date.parse('2026-03-03T11:00:00Z'));
      expect(nb).toBeLessThanOrEqual(Date.parse('2026-03-03T11:05:00Z'));
      expect((await deliveries(id)).find((d) => d.channel === 'email')!.status).toBe('sent');
      const crit = await send({ type: 'evalin.period_ending', priority: 'critical', target_users: [uid(10)], data: { days_remaining: 3, period_name: '2026-T1' } });
      await settle(crit);
      expect((await deliveries(crit)).find((d) => d.channel === 'push')!.status).toBe('sent');
      h.clock.now = nb + 1;
      await h.app.notificationWorker!.sweep();
      await expect.poll(async () => (await deliveries(id)).find((d) => d.channel === 'push')!.status === 'sent', poll).toBe(true);
    } finally { h.clock.now = start; }
  });
});
