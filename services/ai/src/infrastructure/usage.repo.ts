/**
 * Usage events (§3.1) and the idempotency keys of questions (R19). Usage events hold no user content
 * except the no-answer excerpts of R11; analytics read aggregates only (O1).
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { idempotencyKeys, usageEvents } from './db/schema.ts';

export type UsageInsert = typeof usageEvents.$inferInsert;
export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export function createUsageRepo(db: Db) {
  return {
    async record(values: UsageInsert): Promise<void> {
      await db.insert(usageEvents).values(values);
    },

    /** Questions (message + ask) of the user since `from` (R18's daily count survives restarts through memory only; this is `/status`'s used_today). */
    async questionsSince(userId: string, from: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(usageEvents)
        .where(and(eq(usageEvents.userId, userId), sql`${usageEvents.kind} in ('message', 'ask')`, sql`${usageEvents.createdAt} >= ${from.toISOString()}::timestamptz`));
      return row.n;
    },

    async purgeBefore(before: Date): Promise<number> {
      const rows = await db.delete(usageEvents).where(lt(usageEvents.createdAt, before)).returning({ id: usageEvents.id });
      return rows.length;
    },

    /** Every event of a period (analytics aggregate in memory: a year of questions of one centre fits). */
    async between(from: Date, to: Date) {
      return db
        .select()
        .from(usageEvents)
        .where(and(sql`${usageEvents.createdAt} >= ${from.toISOString()}::timestamptz`, lt(usageEvents.createdAt, to)));
    },

    /** R19: the live row of a key, if any (expired rows do not count). */
    async findKey(userId: string, key: string, now: Date): Promise<IdempotencyRow | undefined> {
      const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key), sql`${idempotencyKeys.expiresAt} > ${now.toISOString()}::timestamptz`));
      return row;
    },

    /** R19: claims the key; an existing live row is returned instead. */
    async claimKey(userId: string, key: string, hash: string, now: Date, expiresAt: Date): Promise<{ claimed: true } | { claimed: false; row: IdempotencyRow }> {
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key), lt(idempotencyKeys.expiresAt, now)));
      const inserted = await db
        .insert(idempotencyKeys)
        .values({ userId, key, requestHash: hash, state: 'in_progress', createdAt: now, expiresAt })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (inserted.length > 0) return { claimed: true };
      const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
      return { claimed: false, row };
    },

    async completeKey(userId: string, key: string, status: number, body: unknown): Promise<void> {
      await db.update(idempotencyKeys).set({ state: 'completed', responseStatus: status, responseBody: body }).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
    },

    /** A request that failed before answering frees its key (a retry may run again). */
    async releaseKey(userId: string, key: string): Promise<void> {
      await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'in_progress')));
    },

    async purgeKeys(now: Date): Promise<void> {
      await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now));
    },
  };
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;
