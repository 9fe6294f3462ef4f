/**
 * Tables every service keeps in its own schema: the outbox of requests to other services (00-conventions
 * §9) and the record of completed seeds (01-architecture §1: a seed re-runs until it has completed).
 */
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

export const OUTBOX_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      target: text('target').notNull(),
      method: text('method').notNull().default('POST'),
      path: text('path').notNull(),
      body: jsonb('body').notNull(),
      idempotencyKey: text('idempotency_key').notNull().unique(),
      status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
      attempts: integer('attempts').notNull().default(0),
      nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
      lastError: text('last_error'),
      lastStatus: integer('last_status'),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
      deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
    },
    (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;

export function seedRunsTable(schema: PgSchema) {
  return schema.table('seed_runs', {
    name: text('name').primaryKey(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  });
}

export type SeedRunsTable = ReturnType<typeof seedRunsTable>;
