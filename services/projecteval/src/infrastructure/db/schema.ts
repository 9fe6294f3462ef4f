/**
 * The `projecteval` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const projectevalSchema = pgSchema('projecteval');

export const outbox = outboxTable(projectevalSchema);
export const seedRuns = seedRunsTable(projectevalSchema);
