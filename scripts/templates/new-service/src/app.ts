/**
 * buildApp: the only place that wires the __name__ service together — repositories over the database,
 * use cases over the repositories and the clock, route plugins over the use cases.
 */
import { fileURLToPath } from 'node:url';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { createNotesService } from './application/notes.service.ts';
import type { __Name__Config } from './config.ts';
import { notesRoutes } from './http/notes.routes.ts';
import { createNotesRepo } from './infrastructure/notes.repo.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

const TAGS = [
  { name: 'platform', description: 'Health, metrics and documentation' },
  { name: 'notes', description: 'Notas (recurso de ejemplo del esqueleto)' },
];

export async function buildApp(config: __Name__Config, overrides: ServiceOverrides = {}): Promise<App> {
  // The database, migrations, server, token verification and service token come from the platform; a
  // service that sends notifications also passes `outbox: { table: outbox }` here (docs/new-service.md).
  const { app, database } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: '__DESCRIPTION__',
    tags: TAGS,
  });
  // Tests fix "now" through the overrides; use cases never read Date.now() themselves.
  const now = overrides.now ?? (() => new Date());
  const notes = createNotesService({ notes: createNotesRepo(database.db), now });
  await app.register(notesRoutes, { notes });
  return app;
}
