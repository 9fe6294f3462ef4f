/**
 * The `attendance` schema: every table of this service lives here and nowhere else (00-conventions §5).
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const attendanceSchema = pgSchema('attendance');

export const outbox = outboxTable(attendanceSchema);
export const seedRuns = seedRunsTable(attendanceSchema);
