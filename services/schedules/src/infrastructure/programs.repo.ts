/** Program queries: plain rows out. */
import { and, eq, getTableColumns, inArray, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { listPage, withTotal } from '@sicora/platform/list-page';
import type { SortSpec } from '@sicora/platform/pagination';
import { likePattern } from '../domain/text.ts';
import { groups, programs } from './db/schema.ts';
import { chunks, countStar, order } from './db/helpers.ts';

export type ProgramRow = typeof programs.$inferSelect;
export type ProgramInsert = typeof programs.$inferInsert;

export interface ProgramFilter {
  level?: string;
  is_active?: boolean;
  search?: string;
}

export function createProgramsRepo(db: Db) {
  const where = (f: ProgramFilter) => {
    const c: SQL[] = [];
    if (f.level) c.push(eq(programs.level, f.level as ProgramRow['level']));
    if (f.is_active !== undefined) c.push(eq(programs.isActive, f.is_active));
    if (f.search) c.push(like(programs.searchText, likePattern(f.search)));
    return and(...c);
  };
  return {
    async list(f: ProgramFilter, sort: SortSpec<'code' | 'name'>, limit: number, offset: number) {
      // The centre's catalogue (hundreds of programs): the window counts them in the page's own scan.
      const page = db
        .select(withTotal(getTableColumns(programs)))
        .from(programs)
        .where(where(f))
        .orderBy(...order(sort, { code: programs.code, name: programs.name }, sql`${programs.code}`))
        .limit(limit)
        .offset(offset);
      return listPage(page, offset, async () => (await db.select({ total: countStar }).from(programs).where(where(f)))[0].total);
    },
    async all(): Promise<ProgramRow[]> {
      return db.select().from(programs);
    },
    async get(id: string): Promise<ProgramRow | undefined> {
      const [row] = await db.select().from(programs).where(eq(programs.id, id));
      return row;
    },
    async byCode(code: string): Promise<ProgramRow | undefined> {
      const [row] = await db.select().from(programs).where(eq(programs.code, code));
      return row;
    },
    /** Which of `codes` are taken. */
    async existingCodes(codes: string[]): Promise<string[]> {
      if (codes.length === 0) return [];
      return (await db.select({ code: programs.code }).from(programs).where(inArray(programs.code, codes))).map((r) => r.code);
    },
    async groupCounts(id: string) {
      const [r] = await db
        .select({ total: countStar, active: sql<number>`count(*) filter (where ${groups.isActive})::int` })
        .from(groups)
        .where(eq(groups.programId, id));
      return r;
    },
    async insert(values: ProgramInsert): Promise<ProgramRow> {
      const [row] = await db.insert(programs).values(values).returning();
      return row;
    },
    async insertMany(values: ProgramInsert[]) {
      for (const chunk of chunks(values)) await db.insert(programs).values(chunk);
    },
    async update(id: string, values: Partial<ProgramInsert>): Promise<ProgramRow> {
      const [row] = await db.update(programs).set(values).where(eq(programs.id, id)).returning();
      return row;
    },
    async remove(id: string) {
      await db.delete(programs).where(eq(programs.id, id));
    },
  };
}

export type ProgramsRepo = ReturnType<typeof createProgramsRepo>;
