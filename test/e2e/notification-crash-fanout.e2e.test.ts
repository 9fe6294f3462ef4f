/** US-NOT-18: a fan-out of 5 000 recipients killed half way (notification-crash.support.ts). */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fakePerson } from './notification-fakes.ts';
import { BASE_DB, call, crashJourney, fakes, REDIS, startCrashNode, until } from './notification-crash.support.ts';

crashJourney();

describe(`US-NOT-18 worker crash (${BASE_DB ? (REDIS ? 'Postgres + BullMQ' : 'Postgres + pg-boss') : 'embedded PGlite + pg-boss'})`, () => {
  it('when a fan-out of 5 000 recipients is killed half way, then after restart exactly 5 000 × 2 deliveries exist and the finished batches are not expanded again', async () => {
    const crowd = Array.from({ length: 5000 }, (_, i) => fakePerson(10_000 + i, 'instructor'));
    for (const p of crowd) fakes.users.people.set(p.id, p);
    const sorted = crowd.map((p) => p.id).sort();
    fakes.users.lookups.length = 0;
    // Batches of 500 recipients × 2 channels: the 6th lookup hangs, so five batches are all that can be
    // inserted. The fan-out looks a batch up while the previous one is inserted, so the 6th lookup can start
    // before the 5th batch commits: the journey waits for that commit before the kill.
    fakes.users.hangAt = 6;
    // A 6 s fan-out lease (5 min in production): the heartbeat renews it every 0.6 s while the lookup hangs.
    const node = await startCrashNode({ MAIL_SINK_ENABLED: 'false', NOTIFICATION_FANOUT_LEASE_MS: '6000' });
    const api = node.api;
    const service = await fakes.users.token({ sub: randomUUID() });
    const sent = await call<{ id: string }>('POST', `${api}/api/v1/notifications`, service, { type: 'user.activated', target_roles: ['instructor'], channels: ['in_app', 'email'] });
    expect(sent.status).toBe(202);
    const id = sent.body.data.id;

    await until(() => fakes.users.lookups.length >= 6, 120_000);
    const inserted = async () => (await call('GET', `${api}/api/v1/notifications/${id}/deliveries?page_size=1`, service)).body.meta?.pagination?.total;
    // The count stops at 5 000 by construction (the 6th lookup hangs), so the wait only bounds a slow machine:
    // inserting the 5th batch took over 30 s once when Chromium journeys shared the two cores.
    await until(async () => ((await inserted()) === 5000 ? true : undefined), 90_000, 100);
    expect(await inserted()).toBe(5000);
    await node.killWorker();
    fakes.users.hangAt = null;
    fakes.users.release();
    const mark = fakes.users.lookups.length;
    await node.restartWorker();

    // The crashed fan-out's lease has to run out before the sweeper resumes it.
    const n = await until(async () => {
      const res = await call<{ status: string; recipient_count: number; counts: { by_channel: Record<string, Record<string, number>> } }>('GET', `${api}/api/v1/notifications/${id}`, service).catch(() => undefined);
      return res?.status === 200 && !['accepted', 'expanding'].includes(res.body.data.status) ? res.body.data : undefined;
    }, 180_000, 1000);
    expect(n.recipient_count).toBe(5000);
    const total = await call('GET', `${api}/api/v1/notifications/${id}/deliveries?page_size=1`, service);
    expect(total.body.meta?.pagination?.total).toBe(10_000);
    const sum = (by: Record<string, number> = {}) => Object.values(by).reduce((a, b) => a + b, 0);
    expect(sum(n.counts.by_channel.in_app)).toBe(5000);
    expect(sum(n.counts.by_channel.email)).toBe(5000);
    // The resumed fan-out looked up only the recipients after its cursor.
    const again = fakes.users.lookups.slice(mark).flat();
    const done = new Set(sorted.slice(0, 2500));
    expect(again).toHaveLength(2500);
    expect(again.some((u) => done.has(u))).toBe(false);
  }, 360_000);
});
