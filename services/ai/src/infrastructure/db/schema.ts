/**
 * The `ai` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const aiSchema = pgSchema('ai');

export const outbox = outboxTable(aiSchema);
export const seedRuns = seedRunsTable(aiSchema);
