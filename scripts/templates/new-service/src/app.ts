/**
 * buildApp: the only place that wires the __name__ service together — repositories and the unit of work,
 * use cases over them and the clock, route plugins over the use cases, and the daily job on the platform
 * scheduler.
 */
import { fileURLToPath } from 'node:url';
import { createScheduler } from '@sicora/platform/jobs';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { __Name__Config } from './config.ts';
import type { Deps } from './application/context.ts';
import { purgeArchivedNotesJob } from './application/notes.job.ts';
import { createNotesService } from './application/notes.service.ts';
import { createRepositories, createUnitOfWork } from './infrastructure/repositories.ts';
import { notesRoutes } from './http/notes.routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'notes', description: 'Notas (recurso de ejemplo del esqueleto)' },
];

export async function buildApp(config: __Name__Config, overrides: ServiceOverrides = {}): Promise<App> {
  // The database, migrations, server, token verification and service token come from the platform.
  const { app, database } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: '__DESCRIPTION__',
    tags: TAGS,
    // To send notifications (docs/platform.md § Notification producer), declare the outbox here and the
    // platform relays its rows to the notification service with this service's token:
    //   outbox: { table: outbox, enabled: config.settings.__NAME___OUTBOX_RELAY },   // outbox from ./infrastructure/db/schema.ts
    // then add an outbox repository over the platform's producer to createRepositories and enqueue through
    // `tx` inside the use case's unit of work, so the request commits with the change (schedules' events.ts).
  });
  const deps: Deps = {
    repos: createRepositories(database.db),
    withTransaction: createUnitOfWork(database.db),
    now: overrides.now ?? (() => new Date()),
    timeZone: config.timezone,
  };

  await app.register(notesRoutes, { notes: createNotesService(deps) });

  // Cron in SICORA_TIMEZONE, each slot run once across replicas, time from the injected clock.
  const jobs = createScheduler({ database, schema: config.service, now: deps.now, logger: app.log }, [
    purgeArchivedNotesJob(deps, config.settings.__NAME___ARCHIVE_RETENTION_DAYS),
  ]);
  await jobs.start();
  app.addHook('onClose', async () => jobs.stop());
  return app;
}
