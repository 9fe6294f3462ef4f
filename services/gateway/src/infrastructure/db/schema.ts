/**
 * The `gateway` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * The first gateway keeps its routing table in code; the registry, rules, policies and logs of
 * gateway.md §3 arrive with the full gateway issue.
 */
import { pgSchema } from 'drizzle-orm/pg-core';
import { outboxTable, seedRunsTable } from '@sicora/platform/tables';

export const gatewaySchema = pgSchema('gateway');

export const outbox = outboxTable(gatewaySchema);
export const seedRuns = seedRunsTable(gatewaySchema);
