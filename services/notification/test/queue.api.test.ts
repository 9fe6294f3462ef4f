/**
 * The JobQueue adapter of the back end under test (pg-boss on the test database, or BullMQ with
 * REDIS_URL), driven directly: enqueueMany dedupes like enqueue (R26), handlers get batches (R27), a job
 * completes only when its batch's handler has finished, and a failed batch is not retried (one attempt).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import type { JobQueue } from '../src/application/ports.ts';
import { createBullMqQueue } from '../src/infrastructure/queue/bullmq.queue.ts';
import { createPgBossQueue } from '../src/infrastructure/queue/pgboss.queue.ts';
import { poll } from './harness.ts';

let db: TestDatabase;
let queue: JobQueue;
const prefix = `nq${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  db = await createTestDatabase();
  queue = process.env.REDIS_URL ? createBullMqQueue(process.env.REDIS_URL, prefix) : await createPgBossQueue(db);
}, 60_000);

afterAll(async () => {
  await queue?.close();
  if (process.env.REDIS_URL) {
    const r = new Redis(process.env.REDIS_URL);
    const left = await r.keys(`${prefix}:*`);
    if (left.length > 0) await r.del(...left);
    await r.quit();
  }
  await db?.destroy();
});

const waiting = async (name: string) => (await queue.depth()).find((q) => q.name === name)!;

describe(`JobQueue adapter (${process.env.REDIS_URL ? 'BullMQ' : 'pg-boss'})`, () => {
  it('when enqueueMany gets repeated ids and ids already waiting, then each id waits once and its handler sees it once, in batches of at most 100', async () => {
    await queue.enqueue('notification-deliver', 'deliver-a-1', { delivery_id: 'a' });
    const jobs = Array.from({ length: 300 }, (_, i) => ({ jobId: `deliver-${i % 250}-1`, payload: { delivery_id: String(i % 250) } }));
    await queue.enqueueMany('notification-deliver', [...jobs, { jobId: 'deliver-a-1', payload: { delivery_id: 'a' } }]);
    expect((await waiting('notification-deliver')).waiting).toBe(251);

    const seen: string[] = [];
    const batches: number[] = [];
    await queue.work('notification-deliver', 20, async (payloads) => {
      batches.push(payloads.length);
      seen.push(...payloads.map((p) => p.delivery_id));
    });
    await expect.poll(async () => seen.length >= 251, { ...poll, timeout: 20_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(seen).toHaveLength(251);
    expect(new Set(seen).size).toBe(251);
    expect(Math.max(...batches)).toBeGreaterThan(1);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    await expect.poll(async () => (await waiting('notification-deliver')).active === 0, { ...poll, timeout: 10_000 }).toBe(true);
  }, 60_000);

  it('when a batch is being handled, then its jobs stay active until the handler ends; a failing handler fails its jobs once, and their ids can be enqueued again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const handled: string[] = [];
    await queue.work('notification-digest', 20, async (payloads) => {
      handled.push(...payloads.map((p) => p.digest_id));
      await gate;
      throw new Error('handler failed');
    });
    await queue.enqueueMany('notification-digest', Array.from({ length: 5 }, (_, i) => ({ jobId: `digest-${i}`, payload: { digest_id: String(i) } })));
    await expect.poll(async () => handled.length === 5, { ...poll, timeout: 20_000 }).toBe(true);
    expect((await waiting('notification-digest')).active).toBe(5);
    release();
    await expect.poll(async () => (await waiting('notification-digest')).active === 0, { ...poll, timeout: 10_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    // One attempt per job: the failed batch is not handed over again.
    expect(handled).toHaveLength(5);
    await queue.enqueueMany('notification-digest', [{ jobId: 'digest-0', payload: { digest_id: '0' } }]);
    await expect.poll(async () => handled.length === 6, { ...poll, timeout: 20_000 }).toBe(true);
    expect(handled[5]).toBe('0');
  }, 60_000);

  it('when enqueueMany gets a delay, then the job is not handed over before it', async () => {
    const at: number[] = [];
    await queue.work('notification-fanout', 2, async (payloads) => { at.push(...payloads.map(() => Date.now())); });
    const start = Date.now();
    await queue.enqueueMany('notification-fanout', [{ jobId: 'fanout-x-1', payload: { notification_id: 'x' }, delayMs: 2_000 }]);
    await expect.poll(async () => at.length === 1, { ...poll, timeout: 20_000 }).toBe(true);
    expect(at[0] - start).toBeGreaterThanOrEqual(1_000);
  }, 60_000);
});
