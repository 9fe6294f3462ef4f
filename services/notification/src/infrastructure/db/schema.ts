/**
 * The `notification` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const notificationSchema = pgSchema('notification');

export const outbox = outboxTable(notificationSchema);
export const seedRuns = seedRunsTable(notificationSchema);
