/**
 * The `__name__` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * After a change here, `node scripts/db-generate.mjs __name__ --name <what_changed>` writes the migration.
 */
import { index, pgSchema, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';

export const __name__Schema = pgSchema('__name__');

// Platform tables every service keeps: requests to other services (notifications) and completed seeds.
export const outbox = outboxTable(__name__Schema);
export const seedRuns = seedRunsTable(__name__Schema);

export const notes = __name__Schema.table(
  'notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    authorId: uuid('author_id').notNull(),
    // Written from the use case's clock; the default only covers rows inserted by hand.
    createdAt: createdAt(),
    // Null while the note is listed; the daily purge deletes it some days after this instant.
    archivedAt: timestamptz('archived_at'),
  },
  (t) => [index('notes_created_at_idx').on(t.createdAt), index('notes_archived_at_idx').on(t.archivedAt)],
);
