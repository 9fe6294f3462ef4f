/** Ficha queries, including the R21/R22 instructor links used for scope and G9: plain rows out. */
import { and, eq, gte, inArray, like, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import type { SortSpec } from '@sicora/platform/pagination';
import { likePattern } from '../domain/text.ts';
import { campuses, groupAssignments, groups, programs, scheduleEntries, sessionExceptions } from './db/schema.ts';
import { chunks, countStar, effectiveEnd, order } from './db/helpers.ts';
import { rowsOf } from './db/raw.ts';
import type { CampusRef } from './venues.repo.ts';

export type GroupRow = typeof groups.$inferSelect;
export type GroupInsert = typeof groups.$inferInsert;
export interface ProgramRef extends CampusRef {
  level: (typeof programs.$inferSelect)['level'];
}
/** A ficha with the program and campus every reader shows beside it. */
export interface GroupWithRefs {
  row: GroupRow;
  program: ProgramRef;
  campus: CampusRef;
}

export interface GroupFilter {
  program_id?: string;
  campus_id?: string;
  shift?: string;
  is_active?: boolean;
  number?: string;
  numbers?: string[];
  active_on?: string;
  search?: string;
  /** Restrict to these ids (scope or instructor filter). */
  ids?: string[];
}

const programRef = { id: programs.id, code: programs.code, name: programs.name, level: programs.level };
const campusRef = { id: campuses.id, code: campuses.code, name: campuses.name };

/** SQL of every ficha linked to an instructor (R22), or linked on one date (R21). */
function linkedGroupsSql(instructorId: string, onDate?: string): SQL {
  if (onDate === undefined) {
    return sql`SELECT group_id FROM ${groupAssignments} WHERE instructor_id = ${instructorId}
      UNION SELECT group_id FROM ${scheduleEntries} WHERE instructor_id = ${instructorId}
      UNION SELECT e.group_id FROM ${sessionExceptions} x JOIN ${scheduleEntries} e ON e.id = x.schedule_id WHERE x.instructor_id = ${instructorId}`;
  }
  return sql`SELECT a.group_id FROM ${groupAssignments} a JOIN ${groups} g ON g.id = a.group_id
      WHERE a.instructor_id = ${instructorId} AND a.start_date <= ${onDate}::date AND ${onDate}::date <= COALESCE(a.end_date, g.end_date)
    UNION SELECT ${scheduleEntries.groupId} FROM ${scheduleEntries} WHERE ${scheduleEntries.instructorId} = ${instructorId} AND ${scheduleEntries.startDate} <= ${onDate}::date
      AND ${effectiveEnd} >= ${onDate}::date
    UNION SELECT e.group_id FROM ${sessionExceptions} x JOIN ${scheduleEntries} e ON e.id = x.schedule_id
      WHERE x.kind = 'CHANGED' AND x.instructor_id = ${instructorId} AND x.date = ${onDate}::date`;
}

export function createGroupsRepo(db: Db) {
  const where = (f: GroupFilter) => {
    const c: SQL[] = [];
    if (f.program_id) c.push(eq(groups.programId, f.program_id));
    if (f.campus_id) c.push(eq(groups.campusId, f.campus_id));
    if (f.shift) c.push(eq(groups.shift, f.shift as GroupRow['shift']));
    if (f.is_active !== undefined) c.push(eq(groups.isActive, f.is_active));
    if (f.number) c.push(eq(groups.number, f.number));
    if (f.numbers) c.push(f.numbers.length ? inArray(groups.number, f.numbers) : sql`false`);
    if (f.active_on) c.push(and(lte(groups.startDate, f.active_on), gte(groups.endDate, f.active_on))!);
    if (f.search) c.push(like(groups.searchText, likePattern(f.search)));
    if (f.ids) c.push(f.ids.length ? inArray(groups.id, f.ids) : sql`false`);
    return and(...c);
  };
  const refs = { row: groups, program: programRef, campus: campusRef };
  const withRefs = () =>
    db.select(refs).from(groups).innerJoin(programs, eq(programs.id, groups.programId)).innerJoin(campuses, eq(campuses.id, groups.campusId));
  return {
    async list(f: GroupFilter, sort: SortSpec<'number' | 'start_date' | 'created_at'>, limit: number, offset: number): Promise<{ rows: GroupWithRefs[]; total: number }> {
      // Fichas grow year on year: the count as a subquery keeps the page's plan (a window reads every match).
      const counted = db.select({ total: countStar }).from(groups).where(where(f));
      const page = db
        .select(withTotal(refs, countTotal(counted)))
        .from(groups)
        .innerJoin(programs, eq(programs.id, groups.programId))
        .innerJoin(campuses, eq(campuses.id, groups.campusId))
        .where(where(f))
        .orderBy(...order(sort, { number: groups.number, start_date: groups.startDate, created_at: groups.createdAt }, sql`${groups.number}`))
        .limit(limit)
        .offset(offset);
      return listPage(page, offset, async () => (await counted)[0].total);
    },
    async get(id: string): Promise<GroupWithRefs | undefined> {
      const [r] = await withRefs().where(eq(groups.id, id));
      return r;
    },
    async byNumbers(numbers: string[]): Promise<GroupRow[]> {
      if (numbers.length === 0) return [];
      return db.select().from(groups).where(inArray(groups.number, numbers));
    },
    /** Which of `numbers` are taken. */
    async existingNumbers(numbers: string[]): Promise<string[]> {
      return (await this.byNumbers(numbers)).map((g) => g.number);
    },
    async linkedGroupIds(instructorId: string, onDate?: string): Promise<string[]> {
      const rows = await rowsOf<{ group_id: string }>(db, linkedGroupsSql(instructorId, onDate));
      return rows.map((r) => r.group_id);
    },
    async usage(id: string) {
      const [e] = await db.select({ total: countStar }).from(scheduleEntries).where(eq(scheduleEntries.groupId, id));
      const [a] = await db.select({ total: countStar }).from(groupAssignments).where(eq(groupAssignments.groupId, id));
      return { entries: e.total, assignments: a.total };
    },
    /** Date bounds of everything that must stay inside the ficha's period (R5). */
    async usedPeriod(id: string): Promise<{ min: string | null; max: string | null }> {
      const [r] = await rowsOf<{ min: string | null; max: string | null }>(
        db,
        sql`SELECT MIN(d0)::text AS min, MAX(d1)::text AS max FROM (
              SELECT start_date AS d0, end_date AS d1 FROM ${scheduleEntries} WHERE group_id = ${id}
              UNION ALL SELECT start_date, end_date FROM ${groupAssignments} WHERE group_id = ${id}) t`,
      );
      return r;
    },
    /** ACTIVE entries of the ficha still running on or after `today`. */
    async runningEntries(id: string, today: string) {
      return db
        .select()
        .from(scheduleEntries)
        .where(and(eq(scheduleEntries.groupId, id), eq(scheduleEntries.status, 'ACTIVE'), gte(scheduleEntries.endDate, today)));
    },
    async insert(values: GroupInsert): Promise<GroupRow> {
      const [row] = await db.insert(groups).values(values).returning();
      return row;
    },
    async insertMany(values: GroupInsert[]) {
      for (const chunk of chunks(values)) await db.insert(groups).values(chunk);
    },
    async update(id: string, values: Partial<GroupInsert>) {
      await db.update(groups).set(values).where(eq(groups.id, id));
    },
    async remove(id: string) {
      await db.delete(groups).where(eq(groups.id, id));
    },
  };
}

export type GroupsRepo = ReturnType<typeof createGroupsRepo>;
