/**
 * The caller's inbox (I1–I9, R50): lists, counts and read/archive marks, always scoped to one user (O4).
 */
import { randomUUID } from 'node:crypto';
import { and, desc, asc, eq, inArray, isNull, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliveries, inboxItems, type InboxItemRow } from './db/schema.ts';

export type { InboxItemRow };
export type NewInboxItem = Omit<typeof inboxItems.$inferInsert, 'id' | 'createdAt' | 'readAt' | 'archivedAt'>;

export interface InboxFilter { is_read?: boolean; category?: string; priority?: string; from?: string; to?: string; include_archived?: boolean }

const PRIORITY_ORDER = sql`CASE ${inboxItems.priority} WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END`;

export function createInboxRepo(db: Db) {
  const where = (userId: string, f: InboxFilter) => {
    const c: SQL[] = [eq(inboxItems.userId, userId)];
    if (!f.include_archived) c.push(isNull(inboxItems.archivedAt));
    if (f.is_read === true) c.push(isNotNull(inboxItems.readAt));
    if (f.is_read === false) c.push(isNull(inboxItems.readAt));
    if (f.category) c.push(eq(inboxItems.category, f.category));
    if (f.priority) c.push(eq(inboxItems.priority, f.priority));
    if (f.from) c.push(sql`${inboxItems.createdAt} >= ${f.from}`);
    if (f.to) c.push(sql`${inboxItems.createdAt} < ${f.to}`);
    return and(...c);
  };
  return {
    async list(userId: string, f: InboxFilter, sort: { field: string; direction: 'asc' | 'desc' }, page: { offset: number; limit: number }) {
      const order = sort.field === 'priority' ? [desc(PRIORITY_ORDER), desc(inboxItems.createdAt)] : [sort.direction === 'asc' ? asc(inboxItems.createdAt) : desc(inboxItems.createdAt)];
      const rows = await db.select().from(inboxItems).where(where(userId, f)).orderBy(...order, desc(inboxItems.id)).limit(page.limit).offset(page.offset);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(inboxItems).where(where(userId, f));
      return { rows, total: t.n };
    },
    async unread(userId: string) {
      const rows = await db.select({ category: inboxItems.category, n: sql<number>`count(*)::int`, latest: sql<string | null>`max(${inboxItems.createdAt})::text` }).from(inboxItems)
        .where(and(eq(inboxItems.userId, userId), isNull(inboxItems.archivedAt), isNull(inboxItems.readAt))).groupBy(inboxItems.category);
      const latest = rows.map((r) => r.latest).filter(Boolean).sort().at(-1) ?? null;
      return { unread: rows.reduce((s, r) => s + r.n, 0), by_category: Object.fromEntries(rows.map((r) => [r.category, r.n])), latest_at: latest ? new Date(latest).toISOString() : null };
    },
    /** Items created after `since`, oldest first (I3). */
    async since(userId: string, since: string): Promise<InboxItemRow[]> {
      return db.select().from(inboxItems).where(and(eq(inboxItems.userId, userId), sql`${inboxItems.createdAt} > ${since}`)).orderBy(asc(inboxItems.createdAt)).limit(100);
    },
    async get(userId: string, id: string): Promise<InboxItemRow | undefined> {
      const [row] = await db.select().from(inboxItems).where(and(eq(inboxItems.id, id), eq(inboxItems.userId, userId)));
      return row;
    },
    /** Keeps the first `read_at` (R50). */
    async markRead(userId: string, ids: string[], at: Date): Promise<number> {
      const rows = await db.update(inboxItems).set({ readAt: sql`coalesce(${inboxItems.readAt}, ${at.toISOString()}::timestamptz)` })
        .where(and(eq(inboxItems.userId, userId), inArray(inboxItems.id, ids))).returning({ id: inboxItems.id });
      return rows.length;
    },
    async markUnread(userId: string, id: string): Promise<void> {
      await db.update(inboxItems).set({ readAt: null }).where(and(eq(inboxItems.userId, userId), eq(inboxItems.id, id)));
    },
    async readAll(userId: string, at: Date, category?: string, before?: string): Promise<number> {
      const c: SQL[] = [eq(inboxItems.userId, userId), isNull(inboxItems.readAt), isNull(inboxItems.archivedAt)];
      if (category) c.push(eq(inboxItems.category, category));
      if (before) c.push(sql`${inboxItems.createdAt} < ${before}`);
      const rows = await db.update(inboxItems).set({ readAt: at }).where(and(...c)).returning({ id: inboxItems.id });
      return rows.length;
    },
    /**
     * The in-app channel's send (R28, R49): the inbox item and the delivery's `delivered` in one
     * transaction; the unique `delivery_id` makes a repeated send a no-op. Returns the item's id.
     */
    async deliver(item: NewInboxItem, at: Date): Promise<string> {
      return db.transaction(async (tx) => {
        await tx.insert(inboxItems).values({ id: randomUUID(), ...item, createdAt: at }).onConflictDoNothing();
        const [row] = await tx.select({ id: inboxItems.id }).from(inboxItems).where(eq(inboxItems.deliveryId, item.deliveryId));
        await tx.update(deliveries).set({ status: 'delivered', deliveredAt: at, inboxItemId: row.id, provider: 'in_app', leaseUntil: null, updatedAt: at })
          .where(and(eq(deliveries.id, item.deliveryId), eq(deliveries.status, 'sending')));
        return row.id;
      });
    },
    async archive(userId: string, id: string, at: Date): Promise<void> {
      await db.update(inboxItems).set({ archivedAt: sql`coalesce(${inboxItems.archivedAt}, ${at.toISOString()}::timestamptz)` }).where(and(eq(inboxItems.userId, userId), eq(inboxItems.id, id)));
    },
  };
}

export type InboxRepo = ReturnType<typeof createInboxRepo>;
