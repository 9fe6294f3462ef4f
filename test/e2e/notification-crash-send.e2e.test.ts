/** US-NOT-18: a worker killed while the SMTP server holds its messages (notification-crash.support.ts). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakePerson } from './notification-fakes.ts';
import { BASE_DB, call, crashJourney, fakes, REDIS, sleep, startCrashNode, until } from './notification-crash.support.ts';

crashJourney();

describe(`US-NOT-18 worker crash (${BASE_DB ? (REDIS ? 'Postgres + BullMQ' : 'Postgres + pg-boss') : 'embedded PGlite + pg-boss'})`, () => {
  it('when the worker is killed (SIGKILL) while the SMTP server holds messages, then a new worker sends every e-mail within 120 s, once per delivery, with worker_lost and one Message-ID per notification', async () => {
    const people = Array.from({ length: 6 }, (_, i) => fakePerson(100 + i));
    for (const p of people) fakes.users.people.set(p.id, p);
    fakes.smtp.hold = true;
    // A 10 s delivery lease (60 s in production), so the sweeper notices the lost sends sooner.
    const node = await startCrashNode({ SMTP_URL: fakes.smtp.url, NOTIFICATION_DELIVERY_LEASE_MS: '10000' });
    const api = node.api;
    const service = await fakes.users.token({ sub: randomUUID() });
    const admin = await fakes.users.token({ role: 'admin', sub: randomUUID() });
    // Six notifications, one e-mail each (N2): the worker takes them in whatever batches its queue hands over.
    const bulk = await call<{ items: Array<{ notification_id: string }> }>('POST', `${api}/api/v1/notifications/bulk`, service, {
      items: people.map((p) => ({ type: 'user.activated', target_users: [p.id], channels: ['email'] })),
    });
    expect(bulk.status).toBe(202);
    const notificationIds = bulk.body.data.items.map((i) => i.notification_id);

    await until(() => fakes.smtp.received.length >= 1, 90_000);
    // Let the rest of the batch in flight reach the server too, well inside the 30 s send timeout.
    await sleep(2000);
    const held = new Set(fakes.smtp.received.map((m) => m.messageId));
    await node.killWorker();
    fakes.smtp.unhold();
    const restartedAt = Date.now();
    await node.restartWorker();

    const deliveries = await until(async () => {
      const found: Array<{ id: string; status: string; notificationId: string }> = [];
      for (const id of notificationIds) {
        const res = await call<Array<{ id: string; status: string }>>('GET', `${api}/api/v1/notifications/${id}/deliveries`, service).catch(() => undefined);
        const d = res?.status === 200 ? res.body.data[0] : undefined;
        if (!d || d.status !== 'sent') return undefined;
        found.push({ ...d, notificationId: id });
      }
      return found;
    }, 150_000, 1000);
    expect(Date.now() - restartedAt).toBeLessThanOrEqual(120_000);
    expect(held.size).toBeGreaterThanOrEqual(1);

    for (const d of deliveries) {
      const messageId = `<${d.id}@sicora>`;
      const detail = await call<{ attempts: Array<{ outcome: string }> }>('GET', `${api}/api/v1/notifications/admin/deliveries/${d.id}`, admin);
      const outcomes = detail.body.data.attempts.map((a) => a.outcome);
      // Sent exactly once in the table.
      expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
      const copies = fakes.smtp.received.filter((m) => m.notificationId === d.notificationId);
      // Every copy of a notification carries the delivery's one Message-ID (R31, §6).
      expect(new Set(copies.map((m) => m.messageId))).toEqual(new Set([messageId]));
      if (held.has(messageId)) {
        expect(outcomes).toContain('worker_lost');
        // At least once: the copy the killed worker handed over, and the one of the new worker.
        expect(copies).toHaveLength(2);
      } else {
        expect(copies).toHaveLength(1);
      }
    }
    expect(new Set(fakes.smtp.received.map((m) => m.notificationId))).toEqual(new Set(notificationIds));
  }, 300_000);
});
