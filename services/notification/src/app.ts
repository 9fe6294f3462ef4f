/**
 * The only place that wires the notification service: `composeNotification` builds repositories,
 * ports (users/schedules over the platform's service client unless faked), providers with their
 * breakers, the job queue, the use cases and the scheduled jobs; `buildApp` adds the HTTP side on top
 * and, in the embedded default (R61), runs the queue workers in the same process;
 * `startNotificationWorker` runs the same composition as the separate worker process
 * (`sicora worker notification`). `overrides` let tests fake users and schedules at the port, swap
 * providers or the queue, fix the clock and reach the worker to drive the sweeper.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Database } from '@sicora/platform/db';
import { databaseCheck, runMigrations } from '@sicora/platform/db';
import { createServiceClient, type TokenProvider } from '@sicora/platform/http-client';
import { createScheduler, type JobDefinition } from '@sicora/platform/jobs';
import { createLogger } from '@sicora/platform/logging';
import { createServer, type App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import { runsWorker, usesMailSink, type NotificationConfig } from './config.ts';
import { MIGRATIONS_FOLDER } from './migrations.ts';
import { runWorker, type NotificationWorker } from './worker.ts';
import type { Channel } from './domain/enums.ts';
import type { ChannelProvider, JobQueue, SchedulesPort, UsersPort } from './application/ports.ts';
import { createAdminService } from './application/admin.service.ts';
import { createBulkService } from './application/bulk.service.ts';
import { createDeliveryAlert } from './application/delivery-alert.service.ts';
import { createDevicesService } from './application/devices.service.ts';
import { createDigestService } from './application/digest.service.ts';
import { createDispatchService } from './application/dispatch.service.ts';
import { createErasure } from './application/erasure.service.ts';
import { createExportService } from './application/export.service.ts';
import { createFanoutService } from './application/fanout.service.ts';
import { createInboxService } from './application/inbox.service.ts';
import { createMetricsService } from './application/metrics.service.ts';
import { createPreferencesService } from './application/preferences.service.ts';
import { createReceiptsService } from './application/receipts.service.ts';
import { createRenderer } from './application/render.service.ts';
import { createRetention, RETENTION_CRON } from './application/retention.service.ts';
import { createSendService } from './application/send.service.ts';
import { createStatusService } from './application/status.service.ts';
import { createSweeper } from './application/sweeper.service.ts';
import { createTemplatesService } from './application/templates.service.ts';
import { createAdminRepo } from './infrastructure/admin.repo.ts';
import { createAlertsRepo } from './infrastructure/alerts.repo.ts';
import { createBreakerRegistry } from './infrastructure/channels/breakers.ts';
import { createChannels } from './infrastructure/channels/channels.ts';
import { createDeliveriesRepo } from './infrastructure/deliveries.repo.ts';
import { createDevicesRepo } from './infrastructure/devices.repo.ts';
import { createDigestsRepo } from './infrastructure/digests.repo.ts';
import { createExportRepo } from './infrastructure/export.repo.ts';
import { createInboxRepo } from './infrastructure/inbox.repo.ts';
import { startMailSink } from './infrastructure/mail-sink.ts';
import { createDeliveryMetrics } from './infrastructure/metrics.ts';
import { createMetricsRepo } from './infrastructure/metrics.repo.ts';
import { createNotificationsRepo } from './infrastructure/notifications.repo.ts';
import { createPreferencesRepo } from './infrastructure/preferences.repo.ts';
import { createPgBossQueue } from './infrastructure/queue/pgboss.queue.ts';
import { createRetentionRepo } from './infrastructure/retention.repo.ts';
import { createSchedulesClient } from './infrastructure/schedules.client.ts';
import { createStatusRepo } from './infrastructure/status.repo.ts';
import { createTemplateAdminRepo } from './infrastructure/template-admin.repo.ts';
import { createTemplateEngine } from './infrastructure/template-engine.ts';
import { createTemplatesRepo } from './infrastructure/templates.repo.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { createWorkersRepo } from './infrastructure/workers.repo.ts';
import { adminRoutes } from './http/admin.routes.ts';
import { dashboardRoutes } from './http/dashboard.routes.ts';
import { devicesRoutes } from './http/devices.routes.ts';
import { inboxStreamRoutes } from './http/inbox-stream.routes.ts';
import { inboxRoutes } from './http/inbox.routes.ts';
import { mailSinkRoutes } from './http/mail-sink.routes.ts';
import { checkSendRequest } from './http/notifications.schemas.ts';
import { notificationRoutes } from './http/notifications.routes.ts';
import { preferencesRoutes } from './http/preferences.routes.ts';
import { statusRoutes } from './http/status.routes.ts';
import { templatesRoutes } from './http/templates.routes.ts';
import { twilioStatusRoutes } from './http/twilio-status.routes.ts';

export { MIGRATIONS_FOLDER };

export interface NotificationOverrides extends ServiceOverrides {
  users?: UsersPort;
  schedules?: SchedulesPort;
  providers?: Partial<Record<Channel, ChannelProvider>>;
  queue?: JobQueue;
  /** Test hook of US-NOT-01: runs before the accepting transaction; throwing fails the request. */
  beforeCommit?: () => Promise<void>;
  /** Rows per keyset read of the A6 export (1 000); tests make it small to cross batch boundaries. */
  exportBatchSize?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    notificationWorker?: NotificationWorker<NotificationCore>;
  }
}

/**
 * Everything but HTTP, shared by the API process and the separate worker: repositories, ports,
 * providers and breakers, the queue (opened on demand), the worker's use cases and scheduled jobs.
 */
export async function composeNotification(
  config: NotificationConfig, database: Database,
  o: { logger: Logger; tokenProvider: TokenProvider; registry?: Registry; overrides?: NotificationOverrides },
) {
  const overrides = o.overrides ?? {};
  const now = overrides.now ?? (() => new Date());
  const s = config.settings;
  const client = (target: 'users' | 'schedules') => createServiceClient({ target, baseUrl: config.serviceUrls[target], tokenProvider: o.tokenProvider });
  const usersClient = overrides.users ? undefined : client('users');
  const schedulesClient = overrides.schedules ? undefined : client('schedules');
  const users = overrides.users ?? createUsersClient(usersClient!);
  const schedules = overrides.schedules ?? createSchedulesClient(schedulesClient!);
  const db = database.db;
  const repos = {
    notifications: createNotificationsRepo(db),
    deliveries: createDeliveriesRepo(db),
    templates: createTemplatesRepo(db),
    preferences: createPreferencesRepo(db, s.NOTIFICATION_QUIET_HOURS),
    devices: createDevicesRepo(db),
    digests: createDigestsRepo(db),
    inbox: createInboxRepo(db),
    workers: createWorkersRepo(db),
  };

  const sink = usesMailSink(config) ? await startMailSink({ dataDir: config.dataDir, port: s.MAIL_SINK_PORT, timezone: config.timezone, now }) : undefined;
  const breakers = createBreakerRegistry(now);
  const inboxListeners = new Set<(userId: string) => void>();
  const channels = createChannels(s, {
    now, inbox: repos.inbox, devices: repos.devices, breakers, smtpUrl: s.SMTP_URL ?? sink?.url, onInboxItem: (userId) => inboxListeners.forEach((l) => l(userId)),
  });
  const providers: Partial<Record<Channel, ChannelProvider>> = { ...channels.providers, ...overrides.providers };
  const providerInfo = channels.info(providers);

  let queue: JobQueue | undefined = overrides.queue;
  const getQueue = () => queue;
  /** Opens the queue back end: BullMQ when REDIS_URL is set, else pg-boss on the service's database. */
  async function openQueue(): Promise<JobQueue> {
    // BullMQ is imported only where Redis is configured, keeping it off the embedded start-up path.
    queue ??= config.redisUrl
      ? (await import('./infrastructure/queue/bullmq.queue.ts')).createBullMqQueue(config.redisUrl, s.NOTIFICATION_QUEUE_PREFIX)
      : await createPgBossQueue(database);
    return queue;
  }

  const metrics = o.registry ? createDeliveryMetrics(o.registry, database, getQueue, breakers.states) : undefined;
  const render = createRenderer(createTemplateEngine(config.timezone));
  const fanout = createFanoutService({
    ...repos, users, schedules, queue: getQueue, configured: (c) => Boolean(providers[c]), activeDevices: repos.devices.activeCounts, now, timezone: config.timezone,
    onCreated: metrics?.created, leaseMs: s.NOTIFICATION_FANOUT_LEASE_MS,
  });
  const dispatch = createDispatchService({
    ...repos, providers, render, queue: getQueue, now, appUrl: config.publicAppUrl, logger: o.logger, concurrency: s.NOTIFICATION_WORKER_CONCURRENCY, metrics,
    leaseMs: s.NOTIFICATION_DELIVERY_LEASE_MS,
  });
  const retentionRepo = createRetentionRepo(db);
  const sweeper = createSweeper({
    deliveries: repos.deliveries, notifications: repos.notifications, dispatch, queue: getQueue, now,
    digests: createDigestService({ notifications: repos.notifications, digests: repos.digests, deliveries: repos.deliveries, templates: repos.templates, render, queue: getQueue, appUrl: config.publicAppUrl }),
    alert: createDeliveryAlert({ alerts: createAlertsRepo(db), notifications: repos.notifications, queue: getQueue }),
    erasure: createErasure({ retention: retentionRepo }),
    exclusive: (fn) => database.withAdvisoryLock('sicora:notification:sweeper', fn),
  });
  const retention = createRetention({ retention: retentionRepo });
  const jobs: JobDefinition[] = [
    // R59: once a day across every worker process; a process started after 03:15 runs a day nobody ran yet.
    { name: 'notification-retention', cron: RETENTION_CRON, timeZone: config.timezone, catchUp: 'same-day', run: ({ slot }) => retention.run(slot) },
    // The sink's files belong to the process that runs it (R41, R59).
    ...(sink ? [{ name: 'notification-mail-sink-prune', cron: RETENTION_CRON, timeZone: config.timezone, runOn: 'every-replica' as const, run: ({ slot }: { slot: Date }) => sink.prune(slot) }] : []),
  ];
  const scheduler = createScheduler({ database, schema: 'notification', now, logger: o.logger, timers: s.NOTIFICATION_SWEEP_INTERVAL_MS > 0 }, jobs);

  return {
    now, users, schedules, repos, sink, providers, providerInfo, breakers, inboxListeners, getQueue, openQueue, fanout, dispatch, sweeper, scheduler,
    workerId: `${hostname()}-${process.pid}`,
    async close() {
      await queue?.close();
      for (const p of Object.values(providers)) await p.close?.();
      breakers.shutdown();
      await usersClient?.close();
      await schedulesClient?.close();
      await sink?.close();
    },
  };
}

export type NotificationCore = Awaited<ReturnType<typeof composeNotification>>;

/** The queue workers of `core` in this process (embedded default, or the separate worker). */
function startWorkers(core: NotificationCore, config: NotificationConfig, logger: Logger) {
  return runWorker({
    openQueue: core.openQueue, fanout: core.fanout, dispatch: core.dispatch, sweeper: core.sweeper, jobs: core.scheduler, workers: core.repos.workers,
    workerId: core.workerId, breakerStates: core.breakers.states, breakerListeners: core.breakers.listeners, now: core.now,
    concurrency: config.settings.NOTIFICATION_WORKER_CONCURRENCY, sweepIntervalMs: config.settings.NOTIFICATION_SWEEP_INTERVAL_MS, logger,
  }, core);
}

export async function buildApp(config: NotificationConfig, overrides: NotificationOverrides = {}): Promise<App> {
  const { app, database, serviceToken } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'E-mail, SMS, push and in-app notifications.',
    tags: [
      { name: 'platform', description: 'Health, metrics and documentation' },
      { name: 'notifications', description: 'Send requests and their status' },
      { name: 'inbox', description: "The caller's in-app inbox" },
      { name: 'preferences', description: 'Channel preferences, quiet hours and digests' },
      { name: 'devices', description: 'Push devices' },
      { name: 'templates', description: 'Message templates and their versions' },
      { name: 'admin', description: 'Dead letters, redrive, deliveries, queue' },
      { name: 'providers', description: 'Provider callbacks' },
    ],
  });
  const logger = app.log as unknown as Logger;
  const core = await composeNotification(config, database, { logger, tokenProvider: serviceToken, registry: app.metrics.registry, overrides });
  const { repos, now } = core;
  await database.withAdvisoryLock('sicora:notification:seed-templates', () => repos.templates.seedSystemTemplates(now()));

  const registers = [app.metrics.registry];
  const requests = new Counter({ name: 'notification_requests_total', help: 'Accepted send requests', labelNames: ['source', 'priority'] as const, registers });
  const uncatalogued = new Counter({ name: 'notification_uncatalogued_total', help: 'Requests of uncatalogued types', labelNames: ['type'] as const, registers });
  const reads = new Counter({ name: 'notification_inbox_read_total', help: 'Inbox items marked read', registers });

  const send = createSendService({
    notifications: repos.notifications, schedules: core.schedules, queue: core.getQueue, now, timezone: config.timezone, beforeCommit: overrides.beforeCommit,
    onAccepted: (row, unknown) => {
      requests.inc({ source: row.source, priority: row.priority });
      if (unknown) uncatalogued.inc({ type: row.type });
    },
  });
  const inbox = createInboxService({ inbox: repos.inbox, now, onRead: (n) => reads.inc(n) });
  const admin = createAdminService({
    providers: core.providerInfo, send, admin: createAdminRepo(database), workers: repos.workers, deliveries: repos.deliveries, templates: repos.templates,
    users: core.users, queue: core.getQueue, now,
  });

  await app.register(inboxStreamRoutes, { inbox, listeners: core.inboxListeners, now });
  await app.register(notificationRoutes, { send });
  await app.register(inboxRoutes, { inbox });
  await app.register(statusRoutes, {
    status: createStatusService({ status: createStatusRepo(database.db), notifications: repos.notifications, templates: repos.templates, now }),
    bulk: createBulkService({ send, check: checkSendRequest }),
  });
  await app.register(templatesRoutes, {
    templates: createTemplatesService({ repo: createTemplateAdminRepo(database.db), engine: createTemplateEngine(config.timezone), now, appUrl: config.publicAppUrl }),
  });
  await app.register(adminRoutes, {
    admin,
    metrics: createMetricsService({ metrics: createMetricsRepo(database), now, zone: config.timezone, queue: () => admin.queue(), providers: () => admin.providers() }),
    exporter: createExportService({ exports: createExportRepo(database), now, zone: config.timezone, batchSize: overrides.exportBatchSize }),
  });
  await app.register(mailSinkRoutes, { sink: core.sink });
  await app.register(dashboardRoutes);
  await app.register(twilioStatusRoutes, {
    receipts: createReceiptsService({ deliveries: repos.deliveries, now }),
    authToken: config.settings.TWILIO_AUTH_TOKEN, callbackUrl: config.settings.TWILIO_STATUS_CALLBACK_URL,
  });
  await app.register(preferencesRoutes, { preferences: createPreferencesService({ preferences: repos.preferences, now, timezone: config.timezone }) });
  await app.register(devicesRoutes, { devices: createDevicesService({ devices: repos.devices, now }) });

  if (runsWorker(config)) {
    app.decorate('notificationWorker', await startWorkers(core, config, logger));
  } else {
    // The API still produces jobs; a separate worker process consumes them.
    await core.openQueue();
  }
  app.addHook('onClose', async () => {
    await app.notificationWorker?.stop();
    await core.close();
  });
  return app;
}

export interface StartedWorker extends NotificationWorker<NotificationCore> {
  /** Base URL of the worker's /health, /health/ready and /metrics server, when it serves them. */
  url: string | null;
}

/**
 * The separate worker process (`sicora worker notification`, R61): the same composition on `database`
 * (migrated here if needed), its own service token, and /health, /health/ready and /metrics on
 * NOTIFICATION_WORKER_PORT.
 */
export async function startNotificationWorker(
  config: NotificationConfig, database: Database, overrides: NotificationOverrides = {}, opts: { serveHealth?: boolean } = {},
): Promise<StartedWorker> {
  await runMigrations(database, { schema: 'notification', migrationsFolder: MIGRATIONS_FOLDER });
  const server = opts.serveHealth === false ? undefined : await createServer({ name: 'notification-worker', config, description: 'Notification queue worker' });
  const logger = (server?.log as unknown as Logger | undefined) ?? createLogger({ level: config.logLevel, name: 'notification-worker' });
  const tokenProvider = createServiceTokenProvider({ usersUrl: config.serviceUrls.users, clientId: 'notification', clientSecret: config.serviceClientSecret ?? '' });
  const core = await composeNotification(config, database, { logger, tokenProvider, registry: server?.metrics.registry, overrides });
  server?.health.add('database', databaseCheck(database));
  const worker = await startWorkers(core, config, logger);
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
      await core.close();
      await server?.close();
    },
  };
}
