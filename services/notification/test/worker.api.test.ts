import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { startNotificationWorker, type StartedWorker } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createHarness, fakePorts, person, uid, poll, type Harness } from './harness.ts';

let h: Harness;
let worker: StartedWorker;

beforeAll(async () => {
  // The API alone (as `sicora serve notification`), and a separate worker process on the same database and queue.
  h = await createHarness({ NOTIFICATION_RUN_WORKER: 'false' });
  h.dir.people.set(uid(50), person(50));
  const config = loadConfig({
    // No mail sink: its fixed default port may be taken on a shared machine.
    LOG_LEVEL: 'silent', NOTIFICATION_WORKER_PORT: '0', MAIL_SINK_ENABLED: 'false', NOTIFICATION_SWEEP_INTERVAL_MS: '0', NOTIFICATION_QUEUE_PREFIX: h.config.settings.NOTIFICATION_QUEUE_PREFIX,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  worker = await startNotificationWorker(config, h.db, { ...fakePorts(h.dir), now: () => new Date(h.clock.now) });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await h?.close();
});

describe('separate worker (R61)', () => {
  it('when the API without workers accepts a request, then the separate worker fans it out and delivers it', async () => {
    expect(h.app.notificationWorker).toBeUndefined();
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/notifications', headers: { authorization: `Bearer ${await h.token()}` }, payload: { type: 'user.activated', target_users: [uid(50)], channels: ['in_app'] } });
    const { id } = expectOk(res, 202);
    const done = await vi.waitUntil(async () => (await h.db.query<{ status: string }>('SELECT status FROM notification.notifications WHERE id = $1', [id]))[0].status === 'completed', poll);
    expect(done).toBe(true);
    const [item] = await h.db.query<{ title: string }>('SELECT title FROM notification.inbox_items WHERE notification_id = $1', [id]);
    expect(item.title).toBe('Tu cuenta de SICORA está activa de nuevo');
  });

  it('when the worker port is read, then /health, /health/ready and /metrics answer', async () => {
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
    expect(await (await fetch(`${worker.url}/health/ready`)).json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
    const metrics = await (await fetch(`${worker.url}/metrics`)).text();
    expect(metrics).toContain('notification_delivery_attempts_total');
  });
});
