/**
 * buildApp: the only place that wires the schedules service together.
 */
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import { createServiceClient } from '@sicora/platform/http-client';
import { createOutboxRelay } from '@sicora/platform/outbox';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import type { SchedulesConfig } from './config.ts';
import type { Deps } from './application/context.ts';
import type { UsersPort } from './application/ports.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createUsersClient } from './infrastructure/users.client.ts';
import { seedHolidays, startHolidayJob } from './application/calendar.service.ts';
import { registerRoutes } from './http/routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface SchedulesOverrides extends ServiceOverrides {
  /** The users service port (tests fake it here). */
  users?: UsersPort;
  /** false: do not relay the outbox to the notification service (tests). */
  outboxRelay?: boolean;
}

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'campuses', description: 'Sedes' },
  { name: 'venues', description: 'Ambientes' },
  { name: 'programs', description: 'Programas de formación' },
  { name: 'groups', description: 'Fichas, aprendices e instructores asignados' },
  { name: 'schedules', description: 'Horarios semanales, cambios y conflictos' },
  { name: 'sessions', description: 'Clases concretas y vistas de horario' },
  { name: 'calendar', description: 'Jornadas, bloques y días no hábiles' },
  { name: 'imports', description: 'Cargas CSV y plantillas' },
];


export async function buildApp(config: SchedulesConfig, overrides: SchedulesOverrides = {}): Promise<App> {
  const { app, database } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Campuses, venues, programs, fichas and weekly schedules.',
    tags: TAGS,
  });
  await app.register(multipart, { limits: { fileSize: config.settings.SCHEDULES_CSV_MAX_BYTES, files: 1, fields: 10 } });
  const tokenProvider = createServiceTokenProvider({ usersUrl: config.serviceUrls.users, clientId: 'schedules', clientSecret: config.serviceClientSecret ?? '' });
  const usersClient = overrides.users ? undefined : createServiceClient({ target: 'users', baseUrl: config.serviceUrls.users, tokenProvider, timeoutMs: 3000 });
  if (usersClient) app.addHook('onClose', async () => usersClient.close());
  const deps: Deps = {
    database,
    users: overrides.users ?? createUsersClient(usersClient!),
    now: overrides.now ?? (() => new Date()),
    timeZone: config.timezone,
  };
  registerRoutes(app, deps);
  // R25: holidays of this year and the next at every start (under a lock, so replicas seed once).
  await database.withAdvisoryLock('schedules:holidays', async () => seedHolidays(database, { now: deps.now, timeZone: deps.timeZone }));
  const stopJob = startHolidayJob(deps, (err) => app.log.error({ err }, 'holiday job failed'));
  app.addHook('onClose', async () => stopJob());
  if (config.settings.SCHEDULES_OUTBOX_RELAY && overrides.outboxRelay !== false) {
    // R28: notifications leave through the outbox, delivered with this service's own token.
    const notification = createServiceClient({ target: 'notification', baseUrl: config.serviceUrls.notification, timeoutMs: 5000, retries: 0, tokenProvider });
    const relay = createOutboxRelay({ database, table: outbox, now: deps.now, logger: app.log, clientFor: () => notification, tokenProvider });
    app.addHook('onReady', async () => relay.start());
    app.addHook('onClose', async () => {
      await relay.stop();
      await notification.close();
    });
  }
  return app;
}
