/**
 * The `evalin` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const evalinSchema = pgSchema('evalin');

export const outbox = outboxTable(evalinSchema);
export const seedRuns = seedRunsTable(evalinSchema);
