/** Roll queries (§3.1): plain rows out. */
import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { records, rolls } from './db/schema.ts';

export type RollRow = typeof rolls.$inferSelect;
export type RollInsert = typeof rolls.$inferInsert;

export interface RollFilter {
  from: string;
  to: string;
  group_id?: string;
  instructor_id?: string;
  status?: 'OPEN' | 'CLOSED';
  /** O2: an instructor's reach — rolls of these fichas or taught/opened by this person. */
  reach?: { instructorId: string; groupIds: string[] };
}

export type RollSortField = 'session_date' | 'start_time';

export interface StatusCounts {
  present: number;
  late: number;
  absent: number;
  justified: number;
  excused: number;
  total: number;
}

const EMPTY: StatusCounts = { present: 0, late: 0, absent: 0, justified: 0, excused: 0, total: 0 };

export function createRollsRepo(db: Db) {
  const where = (f: RollFilter) => {
    const c: SQL[] = [gte(rolls.sessionDate, f.from), lte(rolls.sessionDate, f.to)];
    if (f.group_id) c.push(eq(rolls.groupId, f.group_id));
    if (f.instructor_id) c.push(eq(rolls.instructorId, f.instructor_id));
    if (f.status) c.push(eq(rolls.status, f.status));
    if (f.reach) {
      const mine = sql`(${rolls.instructorId} = ${f.reach.instructorId} OR ${rolls.openedBy} = ${f.reach.instructorId})`;
      c.push(f.reach.groupIds.length > 0 ? sql`(${mine} OR ${inArray(rolls.groupId, f.reach.groupIds)})` : mine);
    }
    return and(...c);
  };
  return {
    async get(id: string): Promise<RollRow | undefined> {
      const [row] = await db.select().from(rolls).where(eq(rolls.id, id));
      return row;
    },
    /** The row locked for the rest of the transaction: concurrent marks and closes of one roll queue up. */
    async getForUpdate(id: string): Promise<RollRow | undefined> {
      const [row] = await db.select().from(rolls).where(eq(rolls.id, id)).for('update');
      return row;
    },
    async bySession(scheduleId: string, sessionDate: string): Promise<RollRow | undefined> {
      const [row] = await db.select().from(rolls).where(and(eq(rolls.scheduleId, scheduleId), eq(rolls.sessionDate, sessionDate)));
      return row;
    },
    async bySessions(keys: Array<{ scheduleId: string; sessionDate: string }>): Promise<RollRow[]> {
      if (keys.length === 0) return [];
      const dates = [...new Set(keys.map((k) => k.sessionDate))];
      const ids = [...new Set(keys.map((k) => k.scheduleId))];
      return db.select().from(rolls).where(and(inArray(rolls.scheduleId, ids), inArray(rolls.sessionDate, dates)));
    },
    async insert(values: RollInsert): Promise<RollRow> {
      const [row] = await db.insert(rolls).values(values).returning();
      return row;
    },
    /**
     * The session's roll, opened when there is none: ON CONFLICT waits for a concurrent opener and keeps
     * its row, so two first scans of one class both write into one roll (a unique violation would abort
     * the scan's transaction on PostgreSQL).
     */
    async openOrGet(values: RollInsert): Promise<RollRow> {
      const [row] = await db.insert(rolls).values(values).onConflictDoNothing({ target: [rolls.scheduleId, rolls.sessionDate] }).returning();
      if (row) return row;
      const [existing] = await db.select().from(rolls).where(and(eq(rolls.scheduleId, values.scheduleId), eq(rolls.sessionDate, values.sessionDate)));
      return existing;
    },
    async update(id: string, values: Partial<RollInsert>): Promise<RollRow> {
      const [row] = await db.update(rolls).set(values).where(eq(rolls.id, id)).returning();
      return row;
    },
    async list(f: RollFilter, sort: { field: RollSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const col = sort.field === 'session_date' ? rolls.sessionDate : rolls.startTime;
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(rolls).where(where(f));
      const page = db
        .select(withTotal({ row: rolls }, countTotal(counted)))
        .from(rolls)
        .where(where(f))
        .orderBy(sort.direction === 'desc' ? desc(col) : asc(col), sort.field === 'session_date' ? asc(rolls.startTime) : desc(rolls.sessionDate), asc(rolls.id))
        .limit(limit)
        .offset(offset);
      const { rows, total } = await listPage(page, offset, async () => (await counted)[0].n);
      return { rows: rows.map((r) => r.row), total };
    },
    /** Live record counts by status for each roll. */
    async counts(rollIds: string[]): Promise<Map<string, StatusCounts>> {
      const out = new Map<string, StatusCounts>();
      if (rollIds.length === 0) return out;
      const rows = await db
        .select({ rollId: records.rollId, status: records.status, n: sql<number>`count(*)::int` })
        .from(records)
        .where(and(inArray(records.rollId, rollIds), sql`${records.deletedAt} IS NULL`))
        .groupBy(records.rollId, records.status);
      for (const r of rows) {
        const c = out.get(r.rollId) ?? { ...EMPTY };
        c[r.status.toLowerCase() as keyof Omit<StatusCounts, 'total'>] += r.n;
        c.total += r.n;
        out.set(r.rollId, c);
      }
      return out;
    },
    /** R8: open rolls never closed before, with at least one live record, whose end + delay has passed. */
    async dueForAutoClose(cutoff: Date): Promise<RollRow[]> {
      return db
        .select()
        .from(rolls)
        .where(
          and(
            eq(rolls.status, 'OPEN'),
            eq(rolls.wasClosed, false),
            lte(rolls.endAt, cutoff),
            sql`EXISTS (SELECT 1 FROM ${records} WHERE ${records.rollId} = ${rolls.id} AND ${records.deletedAt} IS NULL)`,
          ),
        )
        .orderBy(asc(rolls.endAt));
    },
  };
}

export type RollsRepo = ReturnType<typeof createRollsRepo>;
