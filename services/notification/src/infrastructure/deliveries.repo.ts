/**
 * Deliveries and attempts: batched inserts (R10), the lease claim (R27), outcomes (R28–R29), the
 * notification status derivation (R32) and the sweeper's queries (R30).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { derivedStatus } from '../domain/rules.ts';
import type { DeliveryStatus } from '../domain/enums.ts';
import { deliveries, deliveryAttempts, notifications, type DeliveryRow } from './db/schema.ts';

export type NewDelivery = typeof deliveries.$inferInsert;
export type NewAttempt = Omit<typeof deliveryAttempts.$inferInsert, 'id'>;

export function createDeliveriesRepo(db: Db) {
  return {
    /** Batches of 1 000 per transaction; the unique key makes a resumed fan-out add nothing twice. */
    async insertMany(rows: NewDelivery[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000);
        await db.transaction(async (tx) => { await tx.insert(deliveries).values(chunk).onConflictDoNothing(); });
      }
    },

    async idsByStatus(notificationId: string, status: DeliveryStatus): Promise<Array<{ id: string; attemptCount: number }>> {
      return db.select({ id: deliveries.id, attemptCount: deliveries.attemptCount }).from(deliveries)
        .where(and(eq(deliveries.notificationId, notificationId), eq(deliveries.status, status)));
    },

    /** R27: one conditional update for a batch; rows not claimable are simply not returned. */
    async claim(ids: string[], now: Date, leaseMs: number): Promise<DeliveryRow[]> {
      const nowIso = now.toISOString();
      return db.update(deliveries)
        .set({ status: 'sending', leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), attemptCount: sql`${deliveries.attemptCount} + 1`, updatedAt: nowIso })
        .where(and(inArray(deliveries.id, ids), sql`(${deliveries.status} = 'queued' OR (${deliveries.status} = 'retrying' AND ${deliveries.nextAttemptAt} <= ${nowIso}))`))
        .returning();
    },

    async findById(id: string): Promise<DeliveryRow | undefined> {
      const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
      return row;
    },

    /** Moves a delivery on only if it is still in `from` (a lease may have been lost meanwhile). */
    async transition(id: string, from: DeliveryStatus[], values: Partial<NewDelivery>): Promise<boolean> {
      const rows = await db.update(deliveries).set(values).where(and(eq(deliveries.id, id), inArray(deliveries.status, from))).returning({ id: deliveries.id });
      return rows.length > 0;
    },

    async addAttempt(a: NewAttempt): Promise<void> {
      await db.insert(deliveryAttempts).values({ id: randomUUID(), ...a });
    },

    async attemptsOf(deliveryId: string) {
      return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(deliveryAttempts.startedAt);
    },

    /**
     * R32 and R60: derives the notification's status once it is dispatching (or finished), and erases
     * its sensitive data when every delivery is terminal.
     */
    async recompute(notificationId: string, now: Date): Promise<void> {
      const counts = await db.select({ status: deliveries.status, n: sql<number>`count(*)::int` }).from(deliveries)
        .where(eq(deliveries.notificationId, notificationId)).groupBy(deliveries.status);
      const by = Object.fromEntries(counts.map((c) => [c.status, c.n])) as Partial<Record<DeliveryStatus, number>>;
      const status = derivedStatus(by);
      const nowIso = now.toISOString();
      if (!status) {
        await db.update(notifications).set({ status: 'dispatching', completedAt: null, updatedAt: nowIso })
          .where(and(eq(notifications.id, notificationId), sql`${notifications.status} IN ('completed','partially_failed','failed')`));
        return;
      }
      await db.update(notifications).set({
        status, completedAt: nowIso, updatedAt: nowIso,
        data: sql`CASE WHEN cardinality(${notifications.sensitiveKeys}) > 0 THEN ${notifications.data} - ${notifications.sensitiveKeys} ELSE ${notifications.data} END`,
        dataErasedAt: sql`CASE WHEN cardinality(${notifications.sensitiveKeys}) > 0 THEN coalesce(${notifications.dataErasedAt}, ${nowIso}::timestamptz) ELSE ${notifications.dataErasedAt} END`,
      }).where(and(eq(notifications.id, notificationId), sql`${notifications.status} IN ('dispatching','completed','partially_failed','failed')`,
        sql`NOT (${notifications.status} = 'failed' AND ${notifications.statusReason} = 'expansion_failed')`));
    },

    /** R21: send times of the last 24 h per `user|channel`, counting `sent` and `delivered`. */
    async recentSends(userIds: string[], channels: string[], now: Date): Promise<Map<string, number[]>> {
      const out = new Map<string, number[]>();
      const since = new Date(now.getTime() - 86_400_000).toISOString();
      for (let i = 0; i < userIds.length; i += 1000) {
        const rows = await db.select({ userId: deliveries.userId, channel: deliveries.channel, at: sql<string>`coalesce(${deliveries.sentAt}, ${deliveries.deliveredAt})` }).from(deliveries)
          .where(and(inArray(deliveries.userId, userIds.slice(i, i + 1000)), inArray(deliveries.channel, channels), inArray(deliveries.status, ['sent', 'delivered']),
            sql`coalesce(${deliveries.sentAt}, ${deliveries.deliveredAt}) > ${since}`));
        for (const r of rows) {
          const key = `${r.userId}|${r.channel}`;
          if (!out.has(key)) out.set(key, []);
          out.get(key)!.push(new Date(r.at).getTime());
        }
      }
      return out;
    },

    /** R42: a provider's receipt for a sent message; unknown ids are ignored. */
    async applyReceipt(providerMessageId: string, status: string, errorCode: string | null, now: Date): Promise<void> {
      const at = now.toISOString();
      let rows: Array<{ notificationId: string }> = [];
      if (status === 'delivered') {
        rows = await db.update(deliveries).set({ status: 'delivered', deliveredAt: at, updatedAt: at })
          .where(and(eq(deliveries.providerMessageId, providerMessageId), eq(deliveries.status, 'sent'))).returning({ notificationId: deliveries.notificationId });
      } else if (status === 'undelivered' || status === 'failed') {
        rows = await db.update(deliveries).set({ status: 'dead', statusReason: 'provider_reported_failure', deadAt: at, lastErrorCode: errorCode ? `TWILIO_${errorCode}` : 'TWILIO_UNDELIVERED', updatedAt: at })
          .where(and(eq(deliveries.providerMessageId, providerMessageId), inArray(deliveries.status, ['sent', 'delivered']))).returning({ notificationId: deliveries.notificationId });
      }
      for (const r of rows) await this.recompute(r.notificationId, now);
    },

    /** R30: `sending` rows whose lease ran out. */
    async expiredLeases(now: Date, limit = 500): Promise<DeliveryRow[]> {
      return db.select().from(deliveries).where(and(eq(deliveries.status, 'sending'), sql`${deliveries.leaseUntil} < ${now.toISOString()}`)).limit(limit);
    },

    /** R30: due `pending`/`retrying` → `queued`; returns what to enqueue. */
    async queueDue(now: Date, limit = 1000): Promise<Array<{ id: string; attemptCount: number }>> {
      const nowIso = now.toISOString();
      return db.update(deliveries).set({ status: 'queued', statusReason: null, queuedAt: nowIso, updatedAt: nowIso, nextAttemptAt: null, notBefore: null })
        .where(sql`${deliveries.id} IN (SELECT id FROM ${deliveries} WHERE (status = 'pending' AND not_before <= ${nowIso}) OR (status = 'retrying' AND next_attempt_at <= ${nowIso}) LIMIT ${limit})`)
        .returning({ id: deliveries.id, attemptCount: deliveries.attemptCount });
    },

    /** R30: `queued` for more than 120 s (a lost job). */
    async staleQueued(now: Date, limit = 1000): Promise<Array<{ id: string; attemptCount: number }>> {
      return db.select({ id: deliveries.id, attemptCount: deliveries.attemptCount }).from(deliveries)
        .where(and(eq(deliveries.status, 'queued'), sql`${deliveries.queuedAt} < ${new Date(now.getTime() - 120_000).toISOString()}`)).limit(limit);
    },

    /** R25: in-progress deliveries of notifications past `expires_at`. */
    async expire(now: Date): Promise<string[]> {
      const nowIso = now.toISOString();
      const rows = await db.update(deliveries).set({ status: 'expired', statusReason: 'expired', updatedAt: nowIso, leaseUntil: null })
        .where(sql`${deliveries.status} IN ('pending','queued','retrying') AND ${deliveries.notificationId} IN (SELECT id FROM ${notifications} WHERE expires_at IS NOT NULL AND expires_at <= ${nowIso})`)
        .returning({ notificationId: deliveries.notificationId });
      return [...new Set(rows.map((r) => r.notificationId))];
    },
  };
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;
