import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakePerson, startHoldingSmtp, startUsersFake, type HoldingSmtp, type UsersFake } from './notification-fakes.ts';
import { freePort, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// US-NOT-18: real `bin/sicora` processes killed with SIGKILL and started again on the same database.
// Embedded default (no DATABASE_URL): `sicora serve notification` runs API and workers in one process on
// PGlite in its data dir, so that process is killed and restarted (R64). With DATABASE_URL (and BullMQ
// when REDIS_URL is set): the API (`serve`) keeps running and the separate `sicora worker notification`
// is killed and replaced.
const BASE_DB = process.env.DATABASE_URL;
const REDIS = process.env.REDIS_URL;
const dbName = `sicora_crash_${randomBytes(4).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Node {
  api: string;
  killWorker(): Promise<void>;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

let users: UsersFake;
let smtp: HoldingSmtp;
let databaseUrl = '';
const dataDirs: string[] = [];
const prefixes: string[] = [];
let node: Node | undefined;

async function kill(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise((resolve) => child.process.once('exit', resolve));
  child.process.kill('SIGKILL');
  await exited;
}

async function startNode(extra: Record<string, string>): Promise<Node> {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  const prefix = `crash${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  const port = await freePort();
  const env: Record<string, string> = {
    SICORA_DATA_DIR: dataDir, NOTIFICATION_PORT: String(port), NOTIFICATION_URL: `http://127.0.0.1:${port}`,
    USERS_URL: users.url, SCHEDULES_URL: users.url, SERVICE_CLIENT_SECRET: 'secreto-de-prueba',
    DATABASE_URL: databaseUrl, REDIS_URL: REDIS ?? '', NOTIFICATION_QUEUE_PREFIX: prefix,
    // The sweeper (R30) every second, so lost leases are noticed as soon as they run out.
    NOTIFICATION_SWEEP_INTERVAL_MS: '1000', ...extra,
  };
  const api = `http://127.0.0.1:${port}`;
  if (!databaseUrl) {
    let child = runSicora(['serve', 'notification'], { ...env, NOTIFICATION_RUN_WORKER: 'true' });
    const start = async () => { await waitFor(`${api}/health/ready`, child, { timeoutMs: 120_000 }); };
    await start();
    return {
      api,
      killWorker: () => kill(child),
      async restartWorker() {
        child = runSicora(['serve', 'notification'], { ...env, NOTIFICATION_RUN_WORKER: 'true' });
        await start();
      },
      stop: () => child.stop(),
    };
  }
  const apiChild = runSicora(['serve', 'notification'], { ...env, NOTIFICATION_RUN_WORKER: 'false' });
  await waitFor(`${api}/health/ready`, apiChild, { timeoutMs: 120_000 });
  const startWorker = async () => {
    const workerPort = await freePort();
    const child = runSicora(['worker', 'notification'], { ...env, NOTIFICATION_WORKER_PORT: String(workerPort) });
    await waitFor(`http://127.0.0.1:${workerPort}/health/ready`, child, { timeoutMs: 120_000 });
    return child;
  };
  let worker = await startWorker();
  return {
    api,
    killWorker: () => kill(worker),
    async restartWorker() { worker = await startWorker(); },
    async stop() { await worker.stop(); await apiChild.stop(); },
  };
}

async function call<T = Record<string, unknown>>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; body: { data: T; meta?: { pagination?: { total: number } } } }> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() as never };
}

async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, stepMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}

beforeAll(async () => {
  users = await startUsersFake();
  smtp = await startHoldingSmtp();
  if (BASE_DB) {
    const admin = new pg.Client({ connectionString: BASE_DB });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(BASE_DB);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
});

afterEach(async () => {
  await node?.stop();
  node = undefined;
});

afterAll(async () => {
  await smtp?.close();
  await users?.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  if (BASE_DB) {
    const admin = new pg.Client({ connectionString: BASE_DB });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  if (REDIS) {
    const r = new Redis(REDIS);
    for (const prefix of prefixes) {
      const keys = await r.keys(`${prefix}:*`);
      if (keys.length > 0) await r.del(...keys);
    }
    await r.quit();
  }
}, 60_000);

describe(`US-NOT-18 worker crash (${BASE_DB ? (REDIS ? 'Postgres + BullMQ' : 'Postgres + pg-boss') : 'embedded PGlite + pg-boss'})`, () => {
  it('when the worker is killed (SIGKILL) while the SMTP server holds messages, then a new worker sends every e-mail within 120 s, once per delivery, with worker_lost and one Message-ID per notification', async () => {
    const people = Array.from({ length: 6 }, (_, i) => fakePerson(100 + i));
    for (const p of people) users.people.set(p.id, p);
    smtp.hold = true;
    // A 10 s delivery lease (60 s in production), so the sweeper notices the lost sends sooner.
    node = await startNode({ SMTP_URL: smtp.url, NOTIFICATION_DELIVERY_LEASE_MS: '10000' });
    const api = node.api;
    const service = await users.token({ sub: randomUUID() });
    const admin = await users.token({ role: 'admin', sub: randomUUID() });
    // Six notifications, one e-mail each (N2): the worker takes them in whatever batches its queue hands over.
    const bulk = await call<{ items: Array<{ notification_id: string }> }>('POST', `${api}/api/v1/notifications/bulk`, service, {
      items: people.map((p) => ({ type: 'user.activated', target_users: [p.id], channels: ['email'] })),
    });
    expect(bulk.status).toBe(202);
    const notificationIds = bulk.body.data.items.map((i) => i.notification_id);

    await until(() => smtp.received.length >= 1, 90_000);
    // Let the rest of the batch in flight reach the server too, well inside the 30 s send timeout.
    await sleep(2000);
    const held = new Set(smtp.received.map((m) => m.messageId));
    await node.killWorker();
    smtp.unhold();
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
      const copies = smtp.received.filter((m) => m.notificationId === d.notificationId);
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
    expect(new Set(smtp.received.map((m) => m.notificationId))).toEqual(new Set(notificationIds));
  }, 300_000);

  it('when a fan-out of 5 000 recipients is killed half way, then after restart exactly 5 000 × 2 deliveries exist and the finished batches are not expanded again', async () => {
    const crowd = Array.from({ length: 5000 }, (_, i) => fakePerson(10_000 + i, 'instructor'));
    for (const p of crowd) users.people.set(p.id, p);
    const sorted = crowd.map((p) => p.id).sort();
    users.lookups.length = 0;
    // Batches of 500 recipients × 2 channels: the 6th lookup comes after five committed batches.
    users.hangAt = 6;
    // A 6 s fan-out lease (5 min in production): the heartbeat renews it every 0.6 s while the lookup hangs.
    node = await startNode({ MAIL_SINK_ENABLED: 'false', NOTIFICATION_FANOUT_LEASE_MS: '6000' });
    const api = node.api;
    const service = await users.token({ sub: randomUUID() });
    const sent = await call<{ id: string }>('POST', `${api}/api/v1/notifications`, service, { type: 'user.activated', target_roles: ['instructor'], channels: ['in_app', 'email'] });
    expect(sent.status).toBe(202);
    const id = sent.body.data.id;

    await until(() => users.lookups.length >= 6, 120_000);
    const half = await call('GET', `${api}/api/v1/notifications/${id}/deliveries?page_size=1`, service);
    expect(half.body.meta?.pagination?.total).toBe(5000);
    await node.killWorker();
    users.hangAt = null;
    users.release();
    const mark = users.lookups.length;
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
    const again = users.lookups.slice(mark).flat();
    const done = new Set(sorted.slice(0, 2500));
    expect(again).toHaveLength(2500);
    expect(again.some((u) => done.has(u))).toBe(false);
  }, 360_000);
});
