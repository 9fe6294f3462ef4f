/**
 * The `schedules` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const schedulesSchema = pgSchema('schedules');

export const outbox = outboxTable(schedulesSchema);
export const seedRuns = seedRunsTable(schedulesSchema);
