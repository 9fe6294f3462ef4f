/**
 * The queue workers (R26, R30, R33): consume fan-out and delivery jobs, run the sweeper on a timer, keep
 * the `workers` row fresh. Runs inside the API process in the embedded default, or alone
 * (`sicora worker notification`, via startNotificationWorker).
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database } from '@sicora/platform/db';
import { createLogger } from '@sicora/platform/logging';
import { databaseCheck, runMigrations } from '@sicora/platform/db';
import { createServer } from '@sicora/platform/server';
import { MIGRATIONS_FOLDER } from './migrations.ts';
import type { NotificationConfig } from './config.ts';
import { workers } from './infrastructure/db/schema.ts';
import { createRuntime, type Runtime, type RuntimeOverrides } from './runtime.ts';

export interface NotificationWorker { runtime: Runtime; sweep(): Promise<void>; stop(): Promise<void> }

export async function runWorker(runtime: Runtime, config: NotificationConfig, database: Database, logger: Logger): Promise<NotificationWorker> {
  const queue = await runtime.openQueue();
  const concurrency = config.settings.NOTIFICATION_WORKER_CONCURRENCY;
  await queue.work('notification-fanout', 2, async (jobs) => {
    for (const j of jobs) await runtime.fanout.run(j.notification_id);
  });
  await queue.work('notification-deliver', concurrency, async (jobs) => runtime.dispatch.handle(jobs.map((j) => j.delivery_id)));
  // R26/§3.3: the row carries this process's provider breakers (R40), read by A9 and R58.
  const beat = async () => {
    const at = runtime.now().toISOString();
    const breakers = runtime.breakerStates();
    await database.db.insert(workers).values({ id: runtime.workerId, startedAt: at, lastSeenAt: at, breakers })
      .onConflictDoUpdate({ target: workers.id, set: { lastSeenAt: at, breakers } }).catch(() => undefined);
    // The service clock, as for last_seen_at itself (a real-time cut would drop rows written under a moved clock).
    await database.db.delete(workers).where(sql`${workers.lastSeenAt} < ${new Date(Date.parse(at) - 3_600_000).toISOString()}`).catch(() => undefined);
  };
  await beat();
  // A breaker that opens or closes is written at once too, not only at the next 15 s beat.
  const onBreakerChange = () => { void beat(); };
  runtime.breakerListeners.add(onBreakerChange);
  const timers: NodeJS.Timeout[] = [setInterval(beat, 15_000)];
  const interval = config.settings.NOTIFICATION_SWEEP_INTERVAL_MS;
  let sweeping: Promise<void> = Promise.resolve();
  const sweep = () => (sweeping = sweeping.then(() => runtime.sweeper.sweep()).catch((err) => logger.error({ err: (err as Error).message }, 'sweep failed')));
  if (interval > 0) timers.push(setInterval(sweep, interval));
  return {
    runtime,
    sweep: async () => { await sweep(); },
    async stop() {
      timers.forEach(clearInterval);
      runtime.breakerListeners.delete(onBreakerChange);
      await sweeping;
      await queue.close();
    },
  };
}

export interface StartedWorker extends NotificationWorker {
  /** Base URL of the worker's /health, /health/ready and /metrics server, when it serves them. */
  url: string | null;
}

/**
 * The separate worker process (`sicora worker notification`, R61): its own runtime on `database`
 * (migrated by the caller or here), plus /health, /health/ready and /metrics on NOTIFICATION_WORKER_PORT.
 */
export async function startNotificationWorker(
  config: NotificationConfig, database: Database, overrides: RuntimeOverrides = {}, opts: { serveHealth?: boolean } = {},
): Promise<StartedWorker> {
  await runMigrations(database, { schema: 'notification', migrationsFolder: MIGRATIONS_FOLDER });
  const server = opts.serveHealth === false ? undefined : await createServer({ name: 'notification-worker', config, description: 'Notification queue worker' });
  const logger = (server?.log as unknown as Logger | undefined) ?? createLogger({ level: config.logLevel, name: 'notification-worker' });
  const runtime = await createRuntime(config, database, logger, overrides, server?.metrics.registry);
  server?.health.add('database', databaseCheck(database));
  const worker = await runWorker(runtime, config, database, logger);
  let url: string | null = null;
  if (server) {
    await server.listen({ host: config.host, port: config.settings.NOTIFICATION_WORKER_PORT });
    const address = server.server.address();
    url = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.settings.NOTIFICATION_WORKER_PORT}`;
  }
  return {
    ...worker,
    url,
    async stop() {
      // R33: stop fetching, let in-flight sends finish, leave the rest to the sweeper.
      await worker.stop();
      await runtime.close();
      await server?.close();
    },
  };
}
