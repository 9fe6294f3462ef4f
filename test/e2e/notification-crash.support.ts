import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startHoldingSmtp, startUsersFake, type HoldingSmtp, type UsersFake } from './notification-fakes.ts';
import { freePort, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// US-NOT-18's journeys (notification-crash-*.e2e.test.ts, one test per file so they run side by side):
// real `bin/sicora` processes killed with SIGKILL and started again on the same database.
// Embedded default (no DATABASE_URL): `sicora serve notification` runs API and workers in one process on
// PGlite in its data dir, so that process is killed and restarted (R64). With DATABASE_URL (and BullMQ
// when REDIS_URL is set): the API (`serve`) keeps running and the separate `sicora worker notification`
// is killed and replaced.
export const BASE_DB = process.env.DATABASE_URL;
export const REDIS = process.env.REDIS_URL;
const dbName = `sicora_crash_${randomBytes(4).toString('hex')}`;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Node {
  api: string;
  killWorker(): Promise<void>;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** The fakes of the running journey (set in its beforeAll). */
export const fakes = {} as { users: UsersFake; smtp: HoldingSmtp };
let databaseUrl = '';
const dataDirs: string[] = [];
const prefixes: string[] = [];
let node: Node | undefined;

/** Starts the node of one test; it is stopped after the test. */
export async function startCrashNode(extra: Record<string, string>): Promise<Node> {
  node = await startNode(extra);
  return node;
}

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
    USERS_URL: fakes.users.url, SCHEDULES_URL: fakes.users.url, SERVICE_CLIENT_SECRET: 'secreto-de-prueba',
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

export async function call<T = Record<string, unknown>>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; body: { data: T; meta?: { pagination?: { total: number } } } }> {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() as never };
}

export async function until<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, stepMs = 250): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}

/** Registers the journey's fakes, database and clean-up in the calling test file. */
export function crashJourney(): void {
  beforeAll(async () => {
    fakes.users = await startUsersFake();
    fakes.smtp = await startHoldingSmtp();
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
    await fakes.smtp?.close();
    await fakes.users?.close();
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
}
