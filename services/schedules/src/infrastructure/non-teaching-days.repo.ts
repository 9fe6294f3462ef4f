/** Non-teaching day queries (holidays and manual closures). */
import { and, asc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { nonTeachingDays } from './db/schema.ts';
import { audit } from './db/helpers.ts';

export type NonTeachingDayRow = typeof nonTeachingDays.$inferSelect;

export function nonTeachingDayView(r: NonTeachingDayRow) {
  return { id: r.id, date: r.date, name: r.name, campus_id: r.campusId, source: r.source, ...audit(r) };
}

export function createNonTeachingDaysRepo(db: Pick<Db, 'select' | 'insert' | 'delete'>) {
  return {
    async between(from: string, to: string, campusId?: string) {
      return db
        .select()
        .from(nonTeachingDays)
        .where(and(gte(nonTeachingDays.date, from), lte(nonTeachingDays.date, to), campusId ? or(isNull(nonTeachingDays.campusId), eq(nonTeachingDays.campusId, campusId)) : undefined))
        .orderBy(asc(nonTeachingDays.date), asc(nonTeachingDays.name));
    },
    async get(id: string) {
      const [row] = await db.select().from(nonTeachingDays).where(eq(nonTeachingDays.id, id));
      return row;
    },
    async hasHolidayIn(year: number) {
      const rows = await db
        .select({ id: nonTeachingDays.id })
        .from(nonTeachingDays)
        .where(and(eq(nonTeachingDays.source, 'HOLIDAY'), gte(nonTeachingDays.date, `${year}-01-01`), lte(nonTeachingDays.date, `${year}-12-31`)))
        .limit(1);
      return rows.length > 0;
    },
    async insertMany(values: Array<typeof nonTeachingDays.$inferInsert>) {
      if (values.length === 0) return [];
      return db.insert(nonTeachingDays).values(values).onConflictDoNothing().returning();
    },
    async remove(id: string) {
      await db.delete(nonTeachingDays).where(eq(nonTeachingDays.id, id));
    },
  };
}
