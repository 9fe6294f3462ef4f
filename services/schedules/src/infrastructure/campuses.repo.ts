/** Campus queries: plain rows out. */
import { and, eq, getTableColumns, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { listPage, withTotal } from '@sicora/platform/list-page';
import type { SortSpec } from '@sicora/platform/pagination';
import { likePattern } from '../domain/text.ts';
import { campuses, groups, venues } from './db/schema.ts';
import { countStar, order } from './db/helpers.ts';

export type CampusRow = typeof campuses.$inferSelect;
export type CampusInsert = typeof campuses.$inferInsert;

export interface CampusFilter {
  is_active?: boolean;
  search?: string;
  city?: string;
}

export function createCampusesRepo(db: Db) {
  const where = (f: CampusFilter) => {
    const c: SQL[] = [];
    if (f.is_active !== undefined) c.push(eq(campuses.isActive, f.is_active));
    if (f.search) c.push(like(campuses.searchText, likePattern(f.search)));
    if (f.city) c.push(sql`lower(${campuses.city}) = lower(${f.city})`);
    return and(...c);
  };
  return {
    async list(f: CampusFilter, sort: SortSpec<'code' | 'name' | 'created_at'>, limit: number, offset: number) {
      // A handful of campuses: the window counts them in the page's own scan.
      const page = db
        .select(withTotal(getTableColumns(campuses)))
        .from(campuses)
        .where(where(f))
        .orderBy(...order(sort, { code: campuses.code, name: campuses.name, created_at: campuses.createdAt }, sql`${campuses.id}`))
        .limit(limit)
        .offset(offset);
      return listPage(page, offset, async () => (await db.select({ total: countStar }).from(campuses).where(where(f)))[0].total);
    },
    async all(): Promise<CampusRow[]> {
      return db.select().from(campuses);
    },
    async get(id: string): Promise<CampusRow | undefined> {
      const [row] = await db.select().from(campuses).where(eq(campuses.id, id));
      return row;
    },
    async byCode(code: string): Promise<CampusRow | undefined> {
      const [row] = await db.select().from(campuses).where(eq(campuses.code, code));
      return row;
    },
    async usage(id: string) {
      const [v] = await db
        .select({ total: countStar, active: sql<number>`count(*) filter (where ${venues.isActive})::int` })
        .from(venues)
        .where(eq(venues.campusId, id));
      const [g] = await db
        .select({ total: countStar, active: sql<number>`count(*) filter (where ${groups.isActive})::int` })
        .from(groups)
        .where(eq(groups.campusId, id));
      return { venues: v.total, active_venues: v.active, groups: g.total, active_groups: g.active };
    },
    async insert(values: CampusInsert): Promise<CampusRow> {
      const [row] = await db.insert(campuses).values(values).returning();
      return row;
    },
    async update(id: string, values: Partial<CampusInsert>): Promise<CampusRow> {
      const [row] = await db.update(campuses).set(values).where(eq(campuses.id, id)).returning();
      return row;
    },
    async remove(id: string) {
      await db.delete(campuses).where(eq(campuses.id, id));
    },
  };
}

export type CampusesRepo = ReturnType<typeof createCampusesRepo>;
