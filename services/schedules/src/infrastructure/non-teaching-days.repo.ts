/** Non-teaching day queries (holidays and manual closures): plain rows out. */
import { and, asc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { nonTeachingDays } from './db/schema.ts';

export type NonTeachingDayRow = typeof nonTeachingDays.$inferSelect;
export type NonTeachingDayInsert = typeof nonTeachingDays.$inferInsert;

export function createNonTeachingDaysRepo(db: Db) {
  return {
    /** Days in [from, to]: every campus's, or centre-wide plus `campusId`'s when given. */
    async between(from: string, to: string, campusId?: string): Promise<NonTeachingDayRow[]> {
      return db
        .select()
        .from(nonTeachingDays)
        .where(and(gte(nonTeachingDays.date, from), lte(nonTeachingDays.date, to), campusId ? or(isNull(nonTeachingDays.campusId), eq(nonTeachingDays.campusId, campusId)) : undefined))
        .orderBy(asc(nonTeachingDays.date), asc(nonTeachingDays.name));
    },
    async get(id: string): Promise<NonTeachingDayRow | undefined> {
      const [row] = await db.select().from(nonTeachingDays).where(eq(nonTeachingDays.id, id));
      return row;
    },
    async hasHolidayIn(year: number): Promise<boolean> {
      const rows = await db
        .select({ id: nonTeachingDays.id })
        .from(nonTeachingDays)
        .where(and(eq(nonTeachingDays.source, 'HOLIDAY'), gte(nonTeachingDays.date, `${year}-01-01`), lte(nonTeachingDays.date, `${year}-12-31`)))
        .limit(1);
      return rows.length > 0;
    },
    /** Inserts the days not registered yet (same date and campus); returns the rows inserted. */
    async insertMany(values: NonTeachingDayInsert[]): Promise<NonTeachingDayRow[]> {
      if (values.length === 0) return [];
      return db.insert(nonTeachingDays).values(values).onConflictDoNothing().returning();
    },
    async remove(id: string) {
      await db.delete(nonTeachingDays).where(eq(nonTeachingDays.id, id));
    },
  };
}

export type NonTeachingDaysRepo = ReturnType<typeof createNonTeachingDaysRepo>;
