/**
 * Notifications table: the idempotent insert of R1–R2, look-ups, leases of the fan-out (R10, R11).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliveries, notifications, type NotificationRow } from './db/schema.ts';

export type { NotificationRow };
export type NewNotification = typeof notifications.$inferInsert;
type NewDeliveryRow = typeof deliveries.$inferInsert;

const KEY_DAYS = 7;

export function createNotificationsRepo(db: Db) {
  return {
    /**
     * One transaction: clear a stale key (older than 7 days) of the same requester, then insert; a live
     * key makes the insert a no-op and the existing row is returned with `created: false`.
     */
    async insertIdempotent(row: NewNotification, now: Date): Promise<{ row: NotificationRow; created: boolean }> {
      return db.transaction(async (tx) => {
        if (row.idempotencyKey) {
          const staleBefore = new Date(now.getTime() - KEY_DAYS * 86_400_000).toISOString();
          await tx.update(notifications).set({ idempotencyKey: null })
            .where(and(eq(notifications.requestedBy, row.requestedBy), eq(notifications.idempotencyKey, row.idempotencyKey), sql`${notifications.createdAt} < ${staleBefore}`));
        }
        const inserted = await tx.insert(notifications).values(row).onConflictDoNothing().returning();
        if (inserted[0]) return { row: inserted[0], created: true };
        const [existing] = await tx.select().from(notifications)
          .where(and(eq(notifications.requestedBy, row.requestedBy), eq(notifications.idempotencyKey, row.idempotencyKey!)));
        return { row: existing, created: false };
      });
    },

    async findById(id: string): Promise<NotificationRow | undefined> {
      const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
      return row;
    },

    async countAnnouncementsSince(requestedBy: string, since: Date): Promise<number> {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(notifications)
        .where(and(eq(notifications.requestedBy, requestedBy), eq(notifications.type, 'manual.announcement'), sql`${notifications.createdAt} >= ${since.toISOString()}`));
      return r.n;
    },

    /** R10: takes the fan-out lease when no live one exists. */
    async claimFanout(id: string, now: Date, leaseMs: number): Promise<NotificationRow | undefined> {
      const nowIso = now.toISOString();
      const [row] = await db.update(notifications)
        .set({ status: 'expanding', leaseUntil: new Date(now.getTime() + leaseMs), fanoutAttempts: sql`${notifications.fanoutAttempts} + 1`, updatedAt: now })
        .where(and(eq(notifications.id, id), sql`${notifications.status} IN ('accepted','expanding')`,
          sql`(${notifications.leaseUntil} IS NULL OR ${notifications.leaseUntil} < ${nowIso})`))
        .returning();
      return row;
    },

    /**
     * R10 heartbeat: extends the fan-out lease while this attempt still holds it (`expanding` with the
     * same `fanout_attempts`); false once the notification was cancelled or another worker took it over.
     */
    async heartbeat(id: string, attempt: number, now: Date, leaseMs: number): Promise<boolean> {
      const rows = await db.update(notifications).set({ leaseUntil: new Date(now.getTime() + leaseMs) })
        .where(and(eq(notifications.id, id), eq(notifications.status, 'expanding'), eq(notifications.fanoutAttempts, attempt)))
        .returning({ id: notifications.id });
      return rows.length > 0;
    },

    /** Ends a fan-out attempt only while it still holds the lease (see heartbeat). */
    async finishFanout(id: string, attempt: number, values: Partial<NewNotification>): Promise<boolean> {
      const rows = await db.update(notifications).set(values)
        .where(and(eq(notifications.id, id), eq(notifications.status, 'expanding'), eq(notifications.fanoutAttempts, attempt)))
        .returning({ id: notifications.id });
      return rows.length > 0;
    },

    async update(id: string, values: Partial<NewNotification>): Promise<void> {
      await db.update(notifications).set(values).where(eq(notifications.id, id));
    },

    /** A notification the service requests from itself with its one delivery (R23's digest), in one transaction. */
    async insertWithDelivery(notification: NewNotification, delivery: NewDeliveryRow): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.insert(notifications).values(notification);
        await tx.insert(deliveries).values(delivery);
      });
    },

    /** R30: scheduled notifications whose time has come go back to `accepted`; returns their ids. */
    async releaseScheduled(now: Date): Promise<string[]> {
      const rows = await db.update(notifications).set({ status: 'accepted', updatedAt: now })
        .where(and(eq(notifications.status, 'scheduled'), sql`${notifications.scheduledAt} <= ${now.toISOString()}`)).returning({ id: notifications.id });
      return rows.map((r) => r.id);
    },

    /** R30: fan-outs without a live lease, untouched for `quietMs` (a crashed or lost fan-out). */
    async stalledFanouts(now: Date, quietMs: number, limit = 500): Promise<string[]> {
      const rows = await db.select({ id: notifications.id }).from(notifications)
        .where(sql`${notifications.status} IN ('accepted','expanding') AND (${notifications.leaseUntil} IS NULL OR ${notifications.leaseUntil} < ${now.toISOString()}) AND ${notifications.updatedAt} < ${new Date(now.getTime() - quietMs).toISOString()}`)
        .limit(limit);
      return rows.map((r) => r.id);
    },
  };
}

export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
