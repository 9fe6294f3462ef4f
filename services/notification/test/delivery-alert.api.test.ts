import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../src/application/ports.ts';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
const mailed: OutgoingMessage[] = [];
const HOUR = 3_600_000;
const ADMIN = uid(90);

/** An e-mail provider refusing for good every address that starts with "falla" (like an SMTP 550). */
const emailProvider: ChannelProvider = {
  name: 'mail-recorder', channel: 'email',
  async send(m) {
    if (m.to?.startsWith('falla')) throw new ChannelError('permanent', 'SMTP_550', '550 buzón no disponible');
    mailed.push(m);
    return { provider: 'mail-recorder', provider_message_id: `m-${mailed.length}` };
  },
};

const alerts = () => h.db.query<{ id: string; data: { dead_count: number; breaker_provider: string }; targets: { roles: string[] } }>(
  "SELECT id, data, targets FROM notification.notifications WHERE type = 'system.delivery_alert' ORDER BY created_at");

/** `ns` e-mails go dead through the real dispatch path (one request, permanent refusals). */
async function killEmails(ns: number[]): Promise<void> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token({ name: 'users' })}` }, payload: { type: 'user.activated', target_users: ns.map(uid), channels: ['email'] } });
  const { id } = expectOk(res, 202);
  const dead = await vi.waitUntil(async () => (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1 AND status = 'dead'", [id]))[0].n === ns.length, poll);
  expect(dead).toBe(true);
}

const worker = (id: string, lastSeen: number, breakers: object) => h.db.query(
  `INSERT INTO notification.workers (id, started_at, last_seen_at, breakers) VALUES ($1, $2, $2, $3::jsonb)
   ON CONFLICT (id) DO UPDATE SET last_seen_at = $2, breakers = $3::jsonb`, [id, new Date(lastSeen).toISOString(), JSON.stringify(breakers)]);

beforeAll(async () => {
  h = await createHarness({}, { providers: { email: emailProvider } });
  for (let n = 1; n <= 40; n += 1) h.dir.people.set(uid(n), person(n, { email: `falla${n}@demo.sicora.test` }));
  h.dir.people.set(ADMIN, person(90, { role: 'admin', email: 'admin90@demo.sicora.test' }));
  h.dir.roles.set('admin', [ADMIN]);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('delivery-failure alert (R58)', () => {
  it('R58: when 19 deliveries went dead in the last hour, then no alert; when the 20th dies, then one system.delivery_alert reaches the admins by in_app and e-mail', async () => {
    await killEmails(Array.from({ length: 19 }, (_, i) => i + 1));
    await h.app.notificationWorker!.sweep();
    expect(await alerts()).toHaveLength(0);

    await killEmails([20]);
    await h.app.notificationWorker!.sweep();
    const [alert] = await alerts();
    expect(alert).toMatchObject({ data: { dead_count: 20, breaker_provider: '' }, targets: { roles: ['admin'] } });
    const inbox = await vi.waitUntil(async () => {
      const items = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/notifications/inbox', headers: { authorization: `Bearer ${await h.token({ role: 'admin', sub: ADMIN })}` } }));
      return items.length > 0 ? items : undefined;
    }, poll);
    expect(inbox![0]).toMatchObject({ notification_id: alert.id, type: 'system.delivery_alert', priority: 'high', category: 'platform', title: 'Problemas en el envío de notificaciones' });
    expect(inbox![0].body).toContain('20 entregas fallaron en la última hora');
    const mail = await vi.waitUntil(async () => mailed.find((m) => m.notification_id === alert.id), poll);
    expect(mail).toMatchObject({ to: 'admin90@demo.sicora.test', subject: 'Problemas en el envío de notificaciones' });
  });

  it('R58: when the check runs again within the hour, then no second alert; dead older than 60 min no longer count; 20 new dead after the hour, then a second alert', async () => {
    const t0 = h.clock.now;
    try {
      await h.app.notificationWorker!.sweep();
      h.clock.now = t0 + 59 * 60_000;
      await h.app.notificationWorker!.sweep();
      expect(await alerts()).toHaveLength(1);

      h.clock.now = t0 + 61 * 60_000;
      await h.app.notificationWorker!.sweep();
      expect(await alerts()).toHaveLength(1);

      await killEmails(Array.from({ length: 20 }, (_, i) => i + 21));
      await h.app.notificationWorker!.sweep();
      const all = await alerts();
      expect(all).toHaveLength(2);
      expect(all[1].data.dead_count).toBe(20);
    } finally { h.clock.now = t0 + 2 * HOUR + 5 * 60_000; }
  });

  it('R58: when a live worker\'s breaker has been open 9 min, then no alert; at 10 min, then one naming the provider; a stale worker row is ignored', async () => {
    const now = h.clock.now;
    // Seen 5 min ago: not a live worker (A8 counts the last 60 s), however long its breaker is open.
    await worker('alert-test-stale', now - 5 * 60_000, { sns: { state: 'open', opened_at: new Date(now - 30 * 60_000).toISOString() } });
    await worker('alert-test-live', now, { twilio: { state: 'open', opened_at: new Date(now - 9 * 60_000).toISOString() }, fcm: { state: 'closed', opened_at: null } });
    await h.app.notificationWorker!.sweep();
    expect(await alerts()).toHaveLength(2);

    await worker('alert-test-live', now, { twilio: { state: 'half_open', opened_at: new Date(now - 10 * 60_000).toISOString() }, fcm: { state: 'closed', opened_at: null } });
    await h.app.notificationWorker!.sweep();
    const all = await alerts();
    expect(all).toHaveLength(3);
    expect(all[2].data).toEqual({ dead_count: 0, breaker_provider: 'twilio' });
  });
});
