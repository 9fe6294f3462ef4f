/** Ficha queries, including the R21/R22 instructor links used for scope and G9. */
import { and, eq, gte, inArray, like, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import type { SortSpec } from '@sicora/platform/pagination';
import { likePattern } from '../domain/text.ts';
import { campuses, groupAssignments, groups, programs, scheduleEntries } from './db/schema.ts';
import { audit, countStar, order } from './db/helpers.ts';
import { rowsOf } from './db/raw.ts';

export type GroupRow = typeof groups.$inferSelect;

const programRef = { id: programs.id, code: programs.code, name: programs.name, level: programs.level };
const campusRef = { id: campuses.id, code: campuses.code, name: campuses.name };

export function groupView(r: GroupRow, program: { id: string; code: string; name: string; level: string }, campus: { id: string; code: string; name: string }) {
  return {
    id: r.id,
    number: r.number,
    program_id: r.programId,
    program,
    campus_id: r.campusId,
    campus,
    shift: r.shift,
    start_date: r.startDate,
    end_date: r.endDate,
    current_quarter: r.currentQuarter,
    max_apprentices: r.maxApprentices,
    notes: r.notes,
    is_active: r.isActive,
    ...audit(r),
  };
}
export type GroupView = ReturnType<typeof groupView>;

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

/** SQL of every ficha linked to an instructor (R22), or linked on one date (R21). */
export function linkedGroupsSql(instructorId: string, onDate?: string): SQL {
  if (onDate === undefined) {
    return sql`SELECT group_id FROM schedules.group_assignments WHERE instructor_id = ${instructorId}
      UNION SELECT group_id FROM schedules.schedule_entries WHERE instructor_id = ${instructorId}
      UNION SELECT e.group_id FROM schedules.session_exceptions x JOIN schedules.schedule_entries e ON e.id = x.schedule_id WHERE x.instructor_id = ${instructorId}`;
  }
  return sql`SELECT a.group_id FROM schedules.group_assignments a JOIN schedules.groups g ON g.id = a.group_id
      WHERE a.instructor_id = ${instructorId} AND a.start_date <= ${onDate}::date AND ${onDate}::date <= COALESCE(a.end_date, g.end_date)
    UNION SELECT group_id FROM schedules.schedule_entries WHERE instructor_id = ${instructorId} AND start_date <= ${onDate}::date
      AND (CASE WHEN status = 'CANCELLED' THEN LEAST(end_date, cancelled_from - 1) ELSE end_date END) >= ${onDate}::date
    UNION SELECT e.group_id FROM schedules.session_exceptions x JOIN schedules.schedule_entries e ON e.id = x.schedule_id
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
  const base = () =>
    db.select({ g: groups, program: programRef, campus: campusRef }).from(groups).innerJoin(programs, eq(programs.id, groups.programId)).innerJoin(campuses, eq(campuses.id, groups.campusId));
  return {
    async list(f: GroupFilter, sort: SortSpec<'number' | 'start_date' | 'created_at'>, limit: number, offset: number) {
      const rows = await base()
        .where(where(f))
        .orderBy(...order(sort, { number: groups.number, start_date: groups.startDate, created_at: groups.createdAt }, sql`${groups.number}`))
        .limit(limit)
        .offset(offset);
      const [{ total }] = await db.select({ total: countStar }).from(groups).where(where(f));
      return { items: rows.map((r) => groupView(r.g, r.program, r.campus)), total };
    },
    async get(id: string) {
      const [r] = await base().where(eq(groups.id, id));
      return r ? { row: r.g, view: groupView(r.g, r.program, r.campus) } : undefined;
    },
    async byNumbers(numbers: string[]) {
      if (numbers.length === 0) return [];
      return db.select().from(groups).where(inArray(groups.number, numbers));
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
    async usedPeriod(id: string) {
      const [r] = await rowsOf<{ min: string | null; max: string | null }>(
        db,
        sql`SELECT MIN(d0)::text AS min, MAX(d1)::text AS max FROM (
              SELECT start_date AS d0, end_date AS d1 FROM schedules.schedule_entries WHERE group_id = ${id}
              UNION ALL SELECT start_date, end_date FROM schedules.group_assignments WHERE group_id = ${id}) t`,
      );
      return r;
    },
    async runningEntries(id: string, today: string) {
      return db
        .select()
        .from(scheduleEntries)
        .where(and(eq(scheduleEntries.groupId, id), eq(scheduleEntries.status, 'ACTIVE'), gte(scheduleEntries.endDate, today)));
    },
    async insert(values: typeof groups.$inferInsert) {
      const [row] = await db.insert(groups).values(values).returning();
      return row;
    },
  };
}
