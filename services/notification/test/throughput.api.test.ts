/**
 * R27 batching (the R65 throughput work): a claimed batch is sent after one statement that claims it and
 * reads its notifications and R21 send times, with bulk result writes and a shared status recompute, and must behave exactly as delivery-by-delivery sending did:
 * every attempt row and final status right, throttling enforced inside one batch, one failing delivery
 * leaving the others alone. The first test goes through the queue of the back end under test; the others
 * hand a batch of ids to the dispatch handler directly (as both queue adapters do), so the batch is exact.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, person, uid, poll, type Harness } from './harness.ts';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../src/application/ports.ts';

let h: Harness;
let service: string;
const sent: OutgoingMessage[] = [];
/** Per user id: what the fake e-mail provider does instead of accepting. */
const behaviour = new Map<string, 'permanent' | 'crash'>();

const email: ChannelProvider = {
  name: 'smtp',
  channel: 'email',
  async send(m) {
    const b = behaviour.get(m.user_id);
    if (b === 'permanent') throw new ChannelError('permanent', 'SMTP_550', 'Buzón inexistente');
    if (b === 'crash') throw new Error('socket hang up');
    sent.push(m);
    return { provider: 'smtp', provider_message_id: `<${m.delivery_id}@sicora>` };
  },
};

const DAY = Date.parse('2026-03-03T15:00:00Z'); // 10:00 in Bogotá

const rows = <T>(text: string, params: unknown[] = []) => h.db.query<T>(text, params);
const post = async (body: object) =>
  expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${service}` }, payload: body }), 202).id as string;
const notificationStatus = async (id: string) => (await rows<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0]?.status;

/**
 * Posts the notifications while the delivery jobs the fan-out enqueues are dropped: their deliveries end
 * `queued` with no job (the sweeper is off in tests), so the test decides the batch.
 */
async function parked(bodies: object[]): Promise<{ notificationIds: string[]; ids: string[] }> {
  const queue = h.app.notificationWorker!.runtime.getQueue()!;
  const { enqueue, enqueueMany } = queue;
  queue.enqueue = async (name, jobId, payload, delayMs) => (name === 'notification-deliver' ? undefined : enqueue.call(queue, name, jobId, payload, delayMs));
  queue.enqueueMany = async (name, jobs) => (name === 'notification-deliver' ? undefined : enqueueMany.call(queue, name, jobs));
  const notificationIds: string[] = [];
  try {
    for (const body of bodies) notificationIds.push(await post(body));
    await vi.waitUntil(async () => {
      const r = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM notification.notifications WHERE id = ANY($1::uuid[]) AND status = 'dispatching'`, [notificationIds]);
      return r[0].n === notificationIds.length;
    }, { ...poll, timeout: 20_000 });
  } finally {
    queue.enqueue = enqueue;
    queue.enqueueMany = enqueueMany;
  }
  const ids = await rows<{ id: string }>(`SELECT id FROM notification.deliveries WHERE notification_id = ANY($1::uuid[]) AND status = 'queued' ORDER BY created_at, id`, [notificationIds]);
  return { notificationIds, ids: ids.map((r) => r.id) };
}

beforeAll(async () => {
  h = await createHarness({}, { providers: { email } });
  h.clock.now = DAY;
  service = await h.token({ name: 'users' });
  for (let i = 1; i <= 300; i++) h.dir.people.set(uid(i), person(i));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('batched sending (R27, R65)', () => {
  it('when one notification reaches 250 people, then each is sent once with one sent attempt row, the notification completes, and results are written in batches', async () => {
    const recordSent = h.app.notificationWorker!.runtime.repos.deliveries.recordSent;
    const writes: number[] = [];
    h.app.notificationWorker!.runtime.repos.deliveries.recordSent = async (items) => { writes.push(items.length); return recordSent(items); };
    try {
      const users = Array.from({ length: 250 }, (_, i) => uid(i + 1));
      const id = await post({ type: 'user.activated', target_users: users, channels: ['email'] });
      await expect.poll(async () => (await notificationStatus(id)), { ...poll, timeout: 60_000 }).toBe('completed');
      const deliveries = await rows<{ id: string; user_id: string; status: string; attempt_count: number; provider_message_id: string; sent_at: string | null; lease_until: string | null }>(
        'SELECT id, user_id, status, attempt_count, provider_message_id, sent_at, lease_until FROM notification.deliveries WHERE notification_id = $1', [id]);
      expect(deliveries).toHaveLength(250);
      for (const d of deliveries) {
        expect(d).toMatchObject({ status: 'sent', attempt_count: 1, provider_message_id: `<${d.id}@sicora>`, lease_until: null });
        expect(d.sent_at).not.toBeNull();
      }
      const attempts = await rows<{ delivery_id: string; attempt_no: number; outcome: string; provider: string; provider_message_id: string }>(
        'SELECT a.delivery_id, a.attempt_no, a.outcome, a.provider, a.provider_message_id FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id WHERE d.notification_id = $1', [id]);
      expect(attempts).toHaveLength(250);
      expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(250);
      for (const a of attempts) expect(a).toMatchObject({ attempt_no: 1, outcome: 'sent', provider: 'smtp', provider_message_id: `<${a.delivery_id}@sicora>` });
      const mine = sent.filter((m) => m.notification_id === id);
      expect(mine).toHaveLength(250);
      expect(new Set(mine.map((m) => m.user_id))).toEqual(new Set(users));
      // Bulk writes: fewer writes than sends, each covering what its batch had finished.
      expect(writes.reduce((a, b) => a + b, 0)).toBe(250);
      expect(Math.max(...writes)).toBeGreaterThan(1);
    } finally {
      h.app.notificationWorker!.runtime.repos.deliveries.recordSent = recordSent;
    }
  }, 90_000);

  it('when one batch holds 12 e-mails to one person, then 10 are sent and 2 wait as throttled (R21 inside the batch), while a mandatory one in the same batch is sent', async () => {
    const bodies = Array.from({ length: 12 }, () => ({ type: 'user.activated', target_users: [uid(260)], channels: ['email'] }));
    const { notificationIds, ids } = await parked(bodies);
    expect(ids).toHaveLength(12);
    // user.welcome is mandatory (flag M): not throttled even past the limit.
    const welcome = await parked([{ type: 'user.welcome', target_users: [uid(260)], channels: ['email'], data: { first_name: 'Nombre260', role_label: 'aprendiz', login_url: 'https://sicora.test/login', initial_password_hint: 'document_number' } }]);
    const mandatory = welcome.notificationIds[0];
    ids.push(...welcome.ids);
    expect(ids).toHaveLength(13);
    await h.app.notificationWorker!.runtime.dispatch.handle(ids);

    const after = await rows<{ notification_id: string; status: string; status_reason: string | null; attempt_count: number; not_before: string | null }>(
      'SELECT notification_id, status, status_reason, attempt_count, not_before FROM notification.deliveries WHERE notification_id = ANY($1::uuid[])', [notificationIds]);
    expect(after.filter((d) => d.status === 'sent')).toHaveLength(10);
    const held = after.filter((d) => d.status === 'pending');
    expect(held).toHaveLength(2);
    for (const d of held) {
      // The claim's attempt is given back; the wait ends an hour after the first of the 10 sends.
      expect(d).toMatchObject({ status_reason: 'throttled', attempt_count: 0 });
      expect(Date.parse(d.not_before!)).toBeGreaterThan(DAY + 3_500_000);
    }
    const attempts = await rows<{ n: number }>(
      'SELECT count(*)::int AS n FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id WHERE d.notification_id = ANY($1::uuid[])', [notificationIds]);
    expect(attempts[0].n).toBe(10);
    expect((await rows<{ status: string }>('SELECT status FROM notification.deliveries WHERE id = $1', [welcome.ids[0]]))[0].status).toBe('sent');
    expect(await notificationStatus(mandatory)).toBe('completed');
  }, 60_000);

  it('when one delivery of a batch is refused and another crashes the provider, then the rest are sent and each failure follows R29 on its own', async () => {
    const users = Array.from({ length: 30 }, (_, i) => uid(270 + i));
    behaviour.set(uid(271), 'permanent');
    behaviour.set(uid(272), 'crash');
    try {
      const { notificationIds, ids } = await parked([{ type: 'user.activated', target_users: users, channels: ['email'] }]);
      expect(ids).toHaveLength(30);
      await h.app.notificationWorker!.runtime.dispatch.handle(ids);
      const after = await rows<{ id: string; user_id: string; status: string; status_reason: string | null; attempt_count: number; next_attempt_at: string | null }>(
        'SELECT id, user_id, status, status_reason, attempt_count, next_attempt_at FROM notification.deliveries WHERE notification_id = $1', [notificationIds[0]]);
      const byUser = new Map(after.map((d) => [d.user_id, d]));
      expect(byUser.get(uid(271))).toMatchObject({ status: 'dead', status_reason: 'permanent_provider_error', attempt_count: 1 });
      expect(byUser.get(uid(272))).toMatchObject({ status: 'retrying', attempt_count: 1 });
      const gap = Date.parse(byUser.get(uid(272))!.next_attempt_at!) - DAY;
      expect(gap).toBeGreaterThanOrEqual(15_000);
      expect(gap).toBeLessThanOrEqual(30_000);
      expect(after.filter((d) => d.status === 'sent')).toHaveLength(28);
      const attempts = await rows<{ delivery_id: string; outcome: string; error_code: string | null }>(
        'SELECT a.delivery_id, a.outcome, a.error_code FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id WHERE d.notification_id = $1', [notificationIds[0]]);
      expect(attempts).toHaveLength(30);
      expect(attempts.find((a) => a.delivery_id === byUser.get(uid(271))!.id)).toMatchObject({ outcome: 'permanent_error', error_code: 'SMTP_550' });
      expect(attempts.find((a) => a.delivery_id === byUser.get(uid(272))!.id)).toMatchObject({ outcome: 'transient_error', error_code: 'PROVIDER_ERROR' });
      expect(attempts.filter((a) => a.outcome === 'sent')).toHaveLength(28);
      // Still one delivery in progress (the retry), so the notification is not finished yet.
      expect(await notificationStatus(notificationIds[0])).toBe('dispatching');
    } finally { behaviour.clear(); }
  }, 60_000);

  it('when a batch is claimed, then the one statement returns each row as a read of it would, its notification once, and the R21 send times of its person', async () => {
    for (let i = 301; i <= 305; i++) h.dir.people.set(uid(i), person(i));
    const runtime = h.app.notificationWorker!.runtime;
    // One earlier e-mail to uid(301), sent now: the only send time the claim may report.
    const earlier = await parked([{ type: 'user.activated', target_users: [uid(301)], channels: ['email'] }]);
    await runtime.dispatch.handle(earlier.ids);
    const now = new Date(h.clock.now);
    const expected = await runtime.repos.deliveries.recentSends([uid(301)], ['email'], now);
    expect(expected.get(`${uid(301)}|email`)).toHaveLength(1);

    const { notificationIds, ids } = await parked([{ type: 'user.activated', target_users: Array.from({ length: 5 }, (_, i) => uid(301 + i)), channels: ['email'] }]);
    const claimed = await runtime.repos.deliveries.claimBatch(ids, now, 60_000, ['email', 'push', 'sms']);
    expect(claimed.map((c) => c.row.id).sort()).toEqual([...ids].sort());
    for (const c of claimed) {
      expect(c.row).toEqual(await runtime.repos.deliveries.findById(c.row.id));
      expect(c.row).toMatchObject({ status: 'sending', attemptCount: 1, leaseUntil: new Date(now.getTime() + 60_000) });
      expect(c.row.createdAt).toBeInstanceOf(Date);
      expect(c.sends).toEqual(c.row.userId === uid(301) ? expected.get(`${uid(301)}|email`) : []);
    }
    const withNotification = claimed.filter((c) => c.notification);
    expect(withNotification).toHaveLength(1);
    expect(withNotification[0].notification).toEqual(await runtime.repos.notifications.findById(notificationIds[0]));
    // Claimed rows are `sending`: a second claim takes none of them.
    expect(await runtime.repos.deliveries.claimBatch(ids, now, 60_000, ['email'])).toEqual([]);
  }, 60_000);

  it('when several batches of one notification finish together, then they share the recompute of its status, and a run after the last write completes it', async () => {
    for (let i = 310; i <= 409; i++) h.dir.people.set(uid(i), person(i));
    const runtime = h.app.notificationWorker!.runtime;
    const { notificationIds, ids } = await parked([{ type: 'user.activated', target_users: Array.from({ length: 100 }, (_, i) => uid(310 + i)), channels: ['email'] }]);
    expect(ids).toHaveLength(100);
    const recompute = runtime.repos.deliveries.recompute;
    const runs: string[] = [];
    // Each run is slow after its query, so batches ending meanwhile must wait for a later run to see their writes.
    runtime.repos.deliveries.recompute = async (id, now) => {
      runs.push(id);
      await recompute(id, now);
      await new Promise((r) => setTimeout(r, 300));
    };
    try {
      await Promise.all([0, 25, 50, 75].map((from) => runtime.dispatch.handle(ids.slice(from, from + 25))));
    } finally {
      runtime.repos.deliveries.recompute = recompute;
    }
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThan(4);
    expect(await notificationStatus(notificationIds[0])).toBe('completed');
    const attempts = await rows<{ delivery_id: string; outcome: string }>(
      'SELECT a.delivery_id, a.outcome FROM notification.delivery_attempts a JOIN notification.deliveries d ON d.id = a.delivery_id WHERE d.notification_id = $1', [notificationIds[0]]);
    expect(attempts).toHaveLength(100);
    expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(100);
  }, 60_000);

  it('when a batch names a delivery twice or one already sent, then it is claimed and sent once', async () => {
    const { ids } = await parked([{ type: 'user.activated', target_users: [uid(300)], channels: ['email'] }]);
    const before = sent.length;
    await h.app.notificationWorker!.runtime.dispatch.handle([ids[0], ids[0]]);
    await h.app.notificationWorker!.runtime.dispatch.handle([ids[0]]);
    expect(sent.length - before).toBe(1);
    const attempts = await rows<{ n: number }>('SELECT count(*)::int AS n FROM notification.delivery_attempts WHERE delivery_id = $1', [ids[0]]);
    expect(attempts[0].n).toBe(1);
  }, 60_000);
});
