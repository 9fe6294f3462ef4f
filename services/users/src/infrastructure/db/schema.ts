/**
 * The `users` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const usersSchema = pgSchema('users');

export const outbox = outboxTable(usersSchema);
export const seedRuns = seedRunsTable(usersSchema);
