/**
 * SICORA as one system, in the way the run asks for (issue #18): with DATABASE_URL set (CI's second run),
 * production mode — `sicora serve` per service as processes of their own on a fresh PostgreSQL database
 * and Redis, `sicora worker notification` apart, the gateway last; without it, the embedded
 * `sicora start`. Either way every service answers through the gateway on free loopback ports, and
 * e-mail goes to the SMTP server the test gives (`SMTP_URL`).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { SERVICE_NAMES, envPrefix } from '@sicora/platform/services';
import { freePort, portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

export interface RunningSystem {
  mode: 'production' | 'embedded';
  gateway: string;
  urls: Record<string, string>;
  /** Every process, by name (the embedded start is one: `sicora`). */
  processes: Map<string, Child>;
  stop(): Promise<void>;
}

export const SYSTEM_MODE: RunningSystem['mode'] = process.env.DATABASE_URL ? 'production' : 'embedded';

async function freshDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sicora_system_${randomBytes(4).toString('hex')}`;
  const exec = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await exec(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function startSystem(opts: { admin: { email: string; password: string }; env?: Record<string, string> }): Promise<RunningSystem> {
  const { env: ports, urls } = await portEnv();
  const dataDir = tempDataDir();
  const processes = new Map<string, Child>();
  const common = { ...ports, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: opts.admin.email, SICORA_ADMIN_PASSWORD: opts.admin.password, ...opts.env };
  let drop: (() => Promise<void>) | undefined;
  const stop = async () => {
    // The gateway first, then the services, the worker and users last: nothing calls a stopped peer.
    for (const name of ['gateway', ...[...processes.keys()].filter((n) => n !== 'gateway' && n !== 'users').reverse(), 'users', 'sicora']) await processes.get(name)?.stop();
    await drop?.().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (SYSTEM_MODE === 'embedded') {
      const child = runSicora(['start'], { ...common, DATABASE_URL: '', REDIS_URL: '' });
      processes.set('sicora', child);
      await waitFor(`${urls.gateway}/health`, child, { timeoutMs: 120_000 });
      return { mode: SYSTEM_MODE, gateway: urls.gateway, urls, processes, stop };
    }
    const db = await freshDatabase(process.env.DATABASE_URL!);
    drop = db.drop;
    const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    // Each run its own Redis key prefixes, so runs side by side never share limits or queues.
    const prefix = `sys${randomBytes(4).toString('hex')}`;
    const secrets = Object.fromEntries(SERVICE_NAMES.filter((s) => s !== 'users').map((s) => [s, randomBytes(24).toString('hex')]));
    const prod = { ...common, DATABASE_URL: db.url, REDIS_URL: redis, NOTIFICATION_QUEUE_PREFIX: prefix, GATEWAY_REDIS_PREFIX: prefix };
    const users = runSicora(['serve', 'users'], { ...prod, SERVICE_CLIENTS: JSON.stringify(secrets) });
    processes.set('users', users);
    await waitFor(`${urls.users}/health/ready`, users, { timeoutMs: 120_000 });
    const rest = SERVICE_NAMES.filter((s) => s !== 'users' && s !== 'gateway');
    for (const s of rest) processes.set(s, runSicora(['serve', s], { ...prod, SERVICE_CLIENT_SECRET: secrets[s] }));
    await Promise.all(rest.map((s) => waitFor(`${urls[s]}/health/ready`, processes.get(s)!, { timeoutMs: 180_000 })));
    const worker = runSicora(['worker', 'notification'], { ...prod, SERVICE_CLIENT_SECRET: secrets.notification, NOTIFICATION_WORKER_PORT: String(await freePort()) });
    processes.set('notification-worker', worker);
    const gateway = runSicora(['serve', 'gateway'], { ...prod, SERVICE_CLIENT_SECRET: secrets.gateway });
    processes.set('gateway', gateway);
    await waitFor(`${urls.gateway}/health`, gateway, { timeoutMs: 120_000 });
    // The HTTP demo seeds are for `sicora seed --demo`; a production start has none, which is the point.
    for (const s of SERVICE_NAMES) if (!urls[s]) throw new Error(`no URL for ${envPrefix(s)}`);
    return { mode: SYSTEM_MODE, gateway: urls.gateway, urls, processes, stop };
  } catch (err) {
    const out = [...processes].map(([n, c]) => `--- ${n}\n${c.output().slice(-3000)}`).join('\n');
    await stop();
    throw new Error(`${(err as Error).message}\n${out}`, { cause: err });
  }
}
