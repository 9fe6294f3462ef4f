/**
 * Retention and privacy writes: the daily clean-up of R59 and the 24 h erasure of sensitive data (R60).
 * Deletes go in batches so that no statement holds PGlite (one transaction at a time) for long.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliveries, deliveryAttempts, deviceTokens, inboxItems, notifications } from './db/schema.ts';

const BATCH = 5_000;
const TERMINAL = sql`('sent','delivered','digested','skipped','cancelled','expired','dead')`;

export interface RetentionCutoffs {
  attempts: Date;
  records: Date;
  inboxRead: Date;
  inboxCreated: Date;
  idempotencyKeys: Date;
  destinations: Date;
  devices: Date;
}

export interface RetentionCounts {
  attempts: number; deliveries: number; notifications: number; inbox_items: number;
  idempotency_keys: number; destinations: number; device_tokens: number;
}

export function createRetentionRepo(db: Db) {
  /** Repeats `statement` (which must touch at most BATCH rows) until a run touches fewer. */
  async function batched(statement: () => SQL): Promise<number> {
    let total = 0;
    for (;;) {
      const n = ((await db.execute(statement())) as unknown as { rows: unknown[] }).rows.length;
      total += n;
      if (n < BATCH) return total;
    }
  }
  const iso = (d: Date) => d.toISOString();

  return {
    /** R59, every rule with its cutoff; inbox items are never removed with their notification. */
    async sweep(c: RetentionCutoffs): Promise<RetentionCounts> {
      const attempts = await batched(() => sql`DELETE FROM ${deliveryAttempts} WHERE id IN (SELECT id FROM ${deliveryAttempts} WHERE started_at < ${iso(c.attempts)} LIMIT ${BATCH}) RETURNING id`);
      const dels = await batched(() => sql`DELETE FROM ${deliveries} WHERE id IN (SELECT id FROM ${deliveries} WHERE created_at < ${iso(c.records)} LIMIT ${BATCH}) RETURNING id`);
      // A notification goes once its deliveries have: the FK cascade would otherwise take younger ones
      // (a notification scheduled weeks ahead has deliveries younger than itself).
      const notes = await batched(() => sql`DELETE FROM ${notifications} WHERE id IN (SELECT n.id FROM ${notifications} n WHERE n.created_at < ${iso(c.records)}
        AND NOT EXISTS (SELECT 1 FROM ${deliveries} d WHERE d.notification_id = n.id) LIMIT ${BATCH}) RETURNING id`);
      const inbox = await batched(() => sql`DELETE FROM ${inboxItems} WHERE id IN (SELECT id FROM ${inboxItems}
        WHERE read_at < ${iso(c.inboxRead)} OR created_at < ${iso(c.inboxCreated)} LIMIT ${BATCH}) RETURNING id`);
      const keys = await batched(() => sql`UPDATE ${notifications} SET idempotency_key = NULL WHERE id IN (SELECT id FROM ${notifications}
        WHERE idempotency_key IS NOT NULL AND created_at < ${iso(c.idempotencyKeys)} LIMIT ${BATCH}) RETURNING id`);
      // `updated_at` of a terminal delivery is when it reached that state (a later receipt moves it on).
      const destinations = await batched(() => sql`UPDATE ${deliveries} SET destination = NULL WHERE id IN (SELECT id FROM ${deliveries}
        WHERE destination IS NOT NULL AND status IN ${TERMINAL} AND updated_at < ${iso(c.destinations)} LIMIT ${BATCH}) RETURNING id`);
      const devices = await batched(() => sql`DELETE FROM ${deviceTokens} WHERE id IN (SELECT id FROM ${deviceTokens}
        WHERE disabled_at IS NOT NULL AND disabled_at < ${iso(c.devices)} LIMIT ${BATCH}) RETURNING id`);
      return { attempts, deliveries: dels, notifications: notes, inbox_items: inbox, idempotency_keys: keys, destinations, device_tokens: devices };
    },

    /**
     * R60, the time path: sensitive keys leave `data` of notifications accepted (or scheduled for) at or
     * before `cutoff`, when the all-terminal path (deliveries.repo recompute) has not erased them yet.
     */
    async eraseSensitive(cutoff: Date, now: Date): Promise<string[]> {
      const rows = await db.update(notifications).set({
        data: sql`${notifications.data} - ${notifications.sensitiveKeys}`,
        dataErasedAt: now,
      }).where(sql`${notifications.dataErasedAt} IS NULL AND cardinality(${notifications.sensitiveKeys}) > 0
        AND coalesce(${notifications.scheduledAt}, ${notifications.createdAt}) <= ${iso(cutoff)}`).returning({ id: notifications.id });
      return rows.map((r) => r.id);
    },
  };
}

export type RetentionRepo = ReturnType<typeof createRetentionRepo>;
