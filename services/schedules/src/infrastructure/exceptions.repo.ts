/** One-off session changes (session_exceptions): plain rows out. */
import { and, asc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { sessionExceptions } from './db/schema.ts';

export type ExceptionRow = typeof sessionExceptions.$inferSelect;
export type ExceptionInsert = typeof sessionExceptions.$inferInsert;

export function createExceptionsRepo(db: Db) {
  return {
    /** Exceptions of these entries, optionally within [from, to], by date. */
    async ofEntries(ids: string[], from?: string, to?: string): Promise<ExceptionRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(sessionExceptions)
        .where(and(inArray(sessionExceptions.scheduleId, ids), from ? gte(sessionExceptions.date, from) : undefined, to ? lte(sessionExceptions.date, to) : undefined))
        .orderBy(asc(sessionExceptions.date));
    },
    /** Entries that already have an exception on `date`. */
    async entryIdsOn(date: string): Promise<Set<string>> {
      const rows = await db.select({ scheduleId: sessionExceptions.scheduleId }).from(sessionExceptions).where(eq(sessionExceptions.date, date));
      return new Set(rows.map((r) => r.scheduleId));
    },
    async insert(values: ExceptionInsert): Promise<ExceptionRow> {
      const [row] = await db.insert(sessionExceptions).values(values).returning();
      return row;
    },
    async removeOn(scheduleId: string, date: string) {
      await db.delete(sessionExceptions).where(and(eq(sessionExceptions.scheduleId, scheduleId), eq(sessionExceptions.date, date)));
    },
    /** An entry's exceptions from `date` on (a cancellation or split makes them moot). */
    async removeFrom(scheduleId: string, date: string) {
      await db.delete(sessionExceptions).where(and(eq(sessionExceptions.scheduleId, scheduleId), gte(sessionExceptions.date, date)));
    },
  };
}

export type ExceptionsRepo = ReturnType<typeof createExceptionsRepo>;
