/**
 * Notifications table: the idempotent insert of R1–R2, look-ups, leases of the fan-out (R10, R11).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { notifications, type NotificationRow } from './db/schema.ts';

export type NewNotification = typeof notifications.$inferInsert;

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
        .set({ status: 'expanding', leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), fanoutAttempts: sql`${notifications.fanoutAttempts} + 1`, updatedAt: nowIso })
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
      const rows = await db.update(notifications).set({ leaseUntil: new Date(now.getTime() + leaseMs).toISOString() })
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
  };
}

export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
