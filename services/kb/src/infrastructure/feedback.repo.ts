/** Feedback (R19) and views (R20): one row per (item, user), counters adjusted in the same transaction. */
import { and, desc, eq, gte, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { feedback, items, itemViews } from './db/schema.ts';

export type FeedbackRow = typeof feedback.$inferSelect;

export function createFeedbackRepo(db: Db) {
  return {
    async find(itemId: string, userId: string): Promise<FeedbackRow | undefined> {
      const [row] = await db.select().from(feedback).where(and(eq(feedback.itemId, itemId), eq(feedback.userId, userId)));
      return row;
    },
    async upsert(values: typeof feedback.$inferInsert): Promise<FeedbackRow> {
      const [row] = await db
        .insert(feedback)
        .values(values)
        .onConflictDoUpdate({ target: [feedback.itemId, feedback.userId], set: { helpful: values.helpful, rating: values.rating ?? null, comment: values.comment ?? null, role: values.role, updatedAt: values.updatedAt } })
        .returning();
      return row!;
    },
    async remove(itemId: string, userId: string): Promise<void> {
      await db.delete(feedback).where(and(eq(feedback.itemId, itemId), eq(feedback.userId, userId)));
    },
    /** Adds `sign` × the row's contribution to the item's counters. */
    async adjustCounters(itemId: string, row: { helpful: boolean; rating: number | null }, sign: 1 | -1): Promise<void> {
      await db
        .update(items)
        .set({
          helpfulCount: sql`${items.helpfulCount} + ${row.helpful ? sign : 0}`,
          notHelpfulCount: sql`${items.notHelpfulCount} + ${row.helpful ? 0 : sign}`,
          ratingCount: sql`${items.ratingCount} + ${row.rating === null ? 0 : sign}`,
          ratingSum: sql`${items.ratingSum} + ${row.rating === null ? 0 : sign * row.rating}`,
        })
        .where(eq(items.id, itemId));
    },
    async list(itemId: string, f: { helpful?: boolean; hasComment?: boolean }, page: { limit: number; offset: number }): Promise<{ rows: FeedbackRow[]; total: number }> {
      const where: SQL[] = [eq(feedback.itemId, itemId)];
      if (f.helpful !== undefined) where.push(eq(feedback.helpful, f.helpful));
      if (f.hasComment === true) where.push(isNotNull(feedback.comment));
      if (f.hasComment === false) where.push(sql`${feedback.comment} IS NULL`);
      const rows = await db.select().from(feedback).where(and(...where)).orderBy(desc(feedback.createdAt), desc(feedback.id)).limit(page.limit).offset(page.offset);
      const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(feedback).where(and(...where));
      return { rows, total: Number(count?.n ?? 0) };
    },
    /** R20: a counted view of this item by this user since `since`. */
    async viewedSince(itemId: string, userId: string, since: Date): Promise<boolean> {
      const rows = await db.select({ id: itemViews.id }).from(itemViews).where(and(eq(itemViews.itemId, itemId), eq(itemViews.userId, userId), gte(itemViews.viewedAt, since))).limit(1);
      return rows.length > 0;
    },
    async recordView(itemId: string, userId: string, role: string, at: Date): Promise<void> {
      await db.insert(itemViews).values({ itemId, userId, role, viewedAt: at });
      await db.update(items).set({ viewCount: sql`${items.viewCount} + 1` }).where(eq(items.id, itemId));
    },
  };
}

export type FeedbackRepo = ReturnType<typeof createFeedbackRepo>;
