/**
 * The `kb` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const kbSchema = pgSchema('kb');

export const outbox = outboxTable(kbSchema);
export const seedRuns = seedRunsTable(kbSchema);
