/**
 * Tables every service keeps in its own schema: the outbox of requests to other services (00-conventions
 * §9) and the record of completed seeds (01-architecture §1: a seed re-runs until it has completed); and
 * the column convention for instants every service's schema follows.
 */
import { index, integer, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * An instant (00-conventions §5): `timestamptz`, read and written as a JS Date in repositories and use
 * cases, turned into an ISO-8601 UTC string only at the HTTP edge (`toIso` in schemas.ts). Never `mode:
 * 'string'`: Postgres would hand back its own text form (`2026-03-02 14:05:00+00`), not ISO, and comparisons
 * in code would compare text. Local dates and times of day are `date`/`time` with `mode: 'string'` instead.
 */
export function timestamptz(name: string) {
  return timestamp(name, { withTimezone: true, mode: 'date' });
}

/** `created_at timestamptz NOT NULL DEFAULT now()`. */
export function createdAt(name = 'created_at') {
  return timestamptz(name).notNull().defaultNow();
}

/**
 * `created_at` and `updated_at`, both `NOT NULL DEFAULT now()`. The database sets neither on update:
 * repositories write `updatedAt` from the injected clock, so tests that fix "now" see it.
 */
export function auditTimestamps() {
  return { createdAt: createdAt(), updatedAt: timestamptz('updated_at').notNull().defaultNow() };
}

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
      nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
      lastError: text('last_error'),
      lastStatus: integer('last_status'),
      createdAt: createdAt(),
      deliveredAt: timestamptz('delivered_at'),
    },
    (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;

export function seedRunsTable(schema: PgSchema) {
  return schema.table('seed_runs', {
    name: text('name').primaryKey(),
    completedAt: timestamptz('completed_at').notNull().defaultNow(),
  });
}

export type SeedRunsTable = ReturnType<typeof seedRunsTable>;
