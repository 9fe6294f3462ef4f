/**
 * buildApp: the only place that wires the notification service together. In the embedded default
 * (R61) the queue workers run inside this process; `overrides` lets tests fake users and schedules at
 * the port, swap providers, fix the clock, and reach the worker to drive the sweeper.
 */
import { Counter } from 'prom-client';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { runsWorker, type NotificationConfig } from './config.ts';
import { MIGRATIONS_FOLDER } from './migrations.ts';
import { createRuntime, type RuntimeOverrides } from './runtime.ts';
import { runWorker, type NotificationWorker } from './worker.ts';
import { createSendService } from './application/send.service.ts';
import { createInboxService } from './application/inbox.service.ts';
import { createInboxRepo } from './infrastructure/inbox.repo.ts';
import { notificationRoutes } from './http/notifications.routes.ts';
import { inboxRoutes } from './http/inbox.routes.ts';
import { inboxStreamRoutes } from './http/inbox-stream.routes.ts';
import { statusRoutes } from './http/status.routes.ts';
import { preferencesRoutes } from './http/preferences.routes.ts';
import { templatesRoutes } from './http/templates.routes.ts';
import { adminRoutes } from './http/admin.routes.ts';
import { twilioStatusRoutes } from './http/twilio-status.routes.ts';
import { mailSinkRoutes } from './http/mail-sink.routes.ts';
import { dashboardRoutes } from './http/dashboard.routes.ts';
import { createAdminService } from './application/admin.service.ts';
import { createAdminRepo } from './infrastructure/admin.repo.ts';
import { createMetricsService } from './application/metrics.service.ts';
import { createExportService } from './application/export.service.ts';
import { createTemplatesService } from './application/templates.service.ts';
import { createTemplateAdminRepo } from './infrastructure/template-admin.repo.ts';
import { createTemplateEngine } from './infrastructure/template-engine.ts';
import { createPreferencesService } from './application/preferences.service.ts';
import { createDevicesService } from './application/devices.service.ts';
import { createStatusService } from './application/status.service.ts';
import { createBulkService } from './application/bulk.service.ts';
import { createStatusRepo } from './infrastructure/status.repo.ts';

export { MIGRATIONS_FOLDER };

export interface NotificationOverrides extends ServiceOverrides, RuntimeOverrides {
  /** Test hook of US-NOT-01: runs before the accepting transaction; throwing fails the request. */
  beforeCommit?: () => Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    notificationWorker?: NotificationWorker;
  }
}

export async function buildApp(config: NotificationConfig, overrides: NotificationOverrides = {}): Promise<App> {
  const { app, database } = await createServiceApp({
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
  const runtime = await createRuntime(config, database, app.log as never, overrides, app.metrics.registry);
  await database.withAdvisoryLock('sicora:notification:seed-templates', () => runtime.repos.templates.seedSystemTemplates(runtime.now()));

  const requests = new Counter({ name: 'notification_requests_total', help: 'Accepted send requests', labelNames: ['source', 'priority'] as const, registers: [app.metrics.registry] });
  const uncatalogued = new Counter({ name: 'notification_uncatalogued_total', help: 'Requests of uncatalogued types', labelNames: ['type'] as const, registers: [app.metrics.registry] });
  const reads = new Counter({ name: 'notification_inbox_read_total', help: 'Inbox items marked read', registers: [app.metrics.registry] });

  const send = createSendService({
    notifications: runtime.repos.notifications, schedules: runtime.schedules, queue: runtime.getQueue, now: runtime.now, timezone: config.timezone,
    beforeCommit: overrides.beforeCommit,
    onAccepted: (row, unknown) => {
      requests.inc({ source: row.source, priority: row.priority });
      if (unknown) uncatalogued.inc({ type: row.type });
    },
  });
  const inboxRepo = createInboxRepo(database.db);
  const inbox = createInboxService({ inbox: inboxRepo, now: runtime.now, onRead: (n) => reads.inc(n) });
  inboxStreamRoutes(app, { inbox: inboxRepo, listeners: runtime.inboxListeners, now: runtime.now });
  notificationRoutes(app, { send });
  inboxRoutes(app, { inbox });
  const status = createStatusService({ status: createStatusRepo(database.db), notifications: runtime.repos.notifications, templates: runtime.repos.templates, now: runtime.now });
  statusRoutes(app, { status, bulk: createBulkService({ send }) });
  templatesRoutes(app, { templates: createTemplatesService({ repo: createTemplateAdminRepo(database.db), engine: createTemplateEngine(config.timezone), now: runtime.now, appUrl: config.publicAppUrl }) });
  const adminService = createAdminService({ providers: runtime.providerInfo(), send, admin: createAdminRepo(database), deliveries: runtime.repos.deliveries, templates: runtime.repos.templates, users: runtime.users, queue: runtime.getQueue, now: runtime.now });
  const metricsService = createMetricsService({ database, now: runtime.now, zone: config.timezone, queue: () => adminService.queue(), providers: () => adminService.providers() });
  adminRoutes(app, { admin: adminService, metrics: metricsService, exporter: createExportService({ database, now: runtime.now, zone: config.timezone }) });
  mailSinkRoutes(app, { sink: runtime.sink });
  dashboardRoutes(app);
  twilioStatusRoutes(app, { deliveries: runtime.repos.deliveries, authToken: config.settings.TWILIO_AUTH_TOKEN, callbackUrl: config.settings.TWILIO_STATUS_CALLBACK_URL, now: runtime.now });
  preferencesRoutes(app, {
    preferences: createPreferencesService({ preferences: runtime.repos.preferences, now: runtime.now, timezone: config.timezone }),
    devices: createDevicesService({ devices: runtime.repos.devices, now: runtime.now }),
  });

  if (runsWorker(config)) {
    app.decorate('notificationWorker', await runWorker(runtime, config, database, app.log as never));
  } else {
    // The API still produces jobs; a separate worker process consumes them.
    await runtime.openQueue();
  }
  app.addHook('onClose', async () => {
    await app.notificationWorker?.stop();
    await runtime.close();
  });
  return app;
}
