/**
 * Digests (R22–R23): one open digest per user collecting `digested` e-mail deliveries until it is due.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliveries, digests, notifications } from './db/schema.ts';

export function createDigestsRepo(db: Db) {
  return {
    /** The open digest of each user, opened now when missing (the partial unique index keeps one). */
    async openFor(users: Array<{ userId: string; frequency: 'hourly' | 'daily'; scheduledFor: Date }>, now: Date): Promise<Map<string, string>> {
      if (users.length === 0) return new Map();
      await db.insert(digests).values(users.map((u) => ({ id: randomUUID(), userId: u.userId, frequency: u.frequency, windowStart: now, scheduledFor: u.scheduledFor, status: 'open', itemCount: 0, createdAt: now })))
        .onConflictDoNothing();
      const rows = await db.select({ id: digests.id, userId: digests.userId }).from(digests)
        .where(and(inArray(digests.userId, users.map((u) => u.userId)), eq(digests.status, 'open')));
      return new Map(rows.map((r) => [r.userId, r.id]));
    },

    async countItems(ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db.update(digests).set({ itemCount: sql`(SELECT count(*)::int FROM ${deliveries} WHERE ${deliveries.digestId} = ${digests.id})` }).where(inArray(digests.id, ids));
    },

    /** Due open digests move to `sending` (one sweeper at a time holds the lock). */
    async takeDue(now: Date) {
      return db.update(digests).set({ status: 'sending' }).where(and(eq(digests.status, 'open'), sql`${digests.scheduledFor} <= ${now.toISOString()}`)).returning();
    },

    async items(digestId: string) {
      return db.select({ delivery: deliveries, notification: notifications }).from(deliveries)
        .innerJoin(notifications, eq(notifications.id, deliveries.notificationId))
        .where(eq(deliveries.digestId, digestId)).orderBy(deliveries.createdAt);
    },

    async finish(id: string, status: 'sent' | 'failed', deliveryId: string | null): Promise<void> {
      await db.update(digests).set({ status, deliveryId }).where(eq(digests.id, id));
    },
  };
}

export type DigestsRepo = ReturnType<typeof createDigestsRepo>;
