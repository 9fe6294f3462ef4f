/**
 * Read side of notifications and deliveries (N3–N6): filtered lists, counts by status and channel,
 * and the cancellation of R24.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliveries, notifications } from './db/schema.ts';

export interface NotificationFilter { requested_by?: string; status?: string; type?: string; source?: string; entity_type?: string; entity_id?: string; from?: string; to?: string }
export interface DeliveryFilter { status?: string; channel?: string; user_id?: string }

export function createStatusRepo(db: Db) {
  return {
    async listNotifications(f: NotificationFilter, direction: 'asc' | 'desc', page: { offset: number; limit: number }) {
      const c: SQL[] = [];
      if (f.requested_by) c.push(eq(notifications.requestedBy, f.requested_by));
      for (const [k, col] of [['status', notifications.status], ['type', notifications.type], ['source', notifications.source], ['entity_type', notifications.entityType], ['entity_id', notifications.entityId]] as const) {
        const v = f[k];
        if (v) c.push(eq(col, v));
      }
      if (f.from) c.push(sql`${notifications.createdAt} >= ${f.from}`);
      if (f.to) c.push(sql`${notifications.createdAt} < ${f.to}`);
      const where = c.length ? and(...c) : undefined;
      const rows = await db.select().from(notifications).where(where)
        .orderBy(direction === 'asc' ? asc(notifications.createdAt) : desc(notifications.createdAt), desc(notifications.id)).limit(page.limit).offset(page.offset);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(where);
      return { rows, total: t.n };
    },
    async counts(ids: string[]) {
      if (ids.length === 0) return [];
      return db.select({ notificationId: deliveries.notificationId, channel: deliveries.channel, status: deliveries.status, n: sql<number>`count(*)::int` })
        .from(deliveries).where(inArray(deliveries.notificationId, ids)).groupBy(deliveries.notificationId, deliveries.channel, deliveries.status);
    },
    async listDeliveries(notificationId: string, f: DeliveryFilter, sort: { field: 'user_id' | 'updated_at'; direction: 'asc' | 'desc' }, page: { offset: number; limit: number }) {
      const c: SQL[] = [eq(deliveries.notificationId, notificationId)];
      if (f.status) c.push(eq(deliveries.status, f.status));
      if (f.channel) c.push(eq(deliveries.channel, f.channel));
      if (f.user_id) c.push(eq(deliveries.userId, f.user_id));
      const col = sort.field === 'user_id' ? deliveries.userId : deliveries.updatedAt;
      const rows = await db.select().from(deliveries).where(and(...c)).orderBy(sort.direction === 'asc' ? asc(col) : desc(col), asc(deliveries.channel)).limit(page.limit).offset(page.offset);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(and(...c));
      return { rows, total: t.n };
    },
    /** R24: the notification and its not-yet-sent deliveries, in one transaction; false when not cancellable. */
    async cancel(id: string, at: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const rows = await tx.update(notifications).set({ status: 'cancelled', statusReason: 'cancelled', leaseUntil: null, completedAt: at, updatedAt: at })
          .where(and(eq(notifications.id, id), inArray(notifications.status, ['scheduled', 'accepted', 'expanding', 'dispatching']))).returning({ id: notifications.id });
        if (rows.length === 0) return false;
        await tx.update(deliveries).set({ status: 'cancelled', statusReason: 'cancelled', leaseUntil: null, updatedAt: at })
          .where(and(eq(deliveries.notificationId, id), inArray(deliveries.status, ['pending', 'queued', 'retrying'])));
        return true;
      });
    },
  };
}

export type StatusRepo = ReturnType<typeof createStatusRepo>;
