/** Record and record-change queries (§3.2, §3.3): plain rows out; deleted records are invisible here. */
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { recordChanges, records, rolls } from './db/schema.ts';

export type RecordRow = typeof records.$inferSelect;
export type RecordInsert = typeof records.$inferInsert;
export type RecordChangeRow = typeof recordChanges.$inferSelect;
export type RecordChangeInsert = typeof recordChanges.$inferInsert;

export interface RecordFilter {
  student_id?: string;
  group_id?: string;
  schedule_id?: string;
  instructor_id?: string;
  status?: string[];
  method?: string;
  flagged?: boolean;
  from: string;
  to: string;
  /** O2: records of these fichas, or of sessions this instructor taught or rolls they opened. */
  reach?: { instructorId: string; groupIds: string[] };
}

export interface ExportKey {
  sessionDate: string;
  startTime: string;
  id: string;
}

export type RecordSortField = 'session_date' | 'start_time' | 'status' | 'updated_at';

const live = isNull(records.deletedAt);

export function createRecordsRepo(db: Db) {
  const where = (f: RecordFilter) => {
    const c: SQL[] = [live, gte(records.sessionDate, f.from), lte(records.sessionDate, f.to)];
    if (f.student_id) c.push(eq(records.studentId, f.student_id));
    if (f.group_id) c.push(eq(records.groupId, f.group_id));
    if (f.schedule_id) c.push(eq(records.scheduleId, f.schedule_id));
    if (f.instructor_id) c.push(eq(records.instructorId, f.instructor_id));
    if (f.status?.length) c.push(inArray(records.status, f.status as RecordRow['status'][]));
    if (f.method) c.push(eq(records.method, f.method as RecordRow['method']));
    if (f.flagged !== undefined) c.push(f.flagged ? sql`cardinality(${records.flags}) > 0` : sql`cardinality(${records.flags}) = 0`);
    if (f.reach) {
      const mine = sql`(${records.instructorId} = ${f.reach.instructorId} OR ${rolls.openedBy} = ${f.reach.instructorId})`;
      c.push(f.reach.groupIds.length > 0 ? sql`(${mine} OR ${inArray(records.groupId, f.reach.groupIds)})` : mine);
    }
    return and(...c);
  };
  const sortColumn = { session_date: records.sessionDate, start_time: rolls.startTime, status: records.status, updated_at: records.updatedAt };
  return {
    /** Of `scheduleIds`, those with at least one live record on `date`: the sessions whose roll was taken (R43). */
    async takenOn(date: string, scheduleIds: string[]): Promise<Set<string>> {
      if (scheduleIds.length === 0) return new Set();
      const rows = await db
        .selectDistinct({ scheduleId: records.scheduleId })
        .from(records)
        .where(and(live, eq(records.sessionDate, date), inArray(records.scheduleId, scheduleIds)));
      return new Set(rows.map((r) => r.scheduleId));
    },
    async get(id: string): Promise<RecordRow | undefined> {
      const [row] = await db.select().from(records).where(and(eq(records.id, id), live));
      return row;
    },
    async getForUpdate(id: string): Promise<RecordRow | undefined> {
      const [row] = await db.select().from(records).where(and(eq(records.id, id), live)).for('update');
      return row;
    },
    async byRoll(rollId: string): Promise<RecordRow[]> {
      return db.select().from(records).where(and(eq(records.rollId, rollId), live));
    },
    async forStudentSessions(studentId: string, keys: Array<{ scheduleId: string; sessionDate: string }>): Promise<RecordRow[]> {
      if (keys.length === 0) return [];
      return db
        .select()
        .from(records)
        .where(and(eq(records.studentId, studentId), live, inArray(records.scheduleId, [...new Set(keys.map((k) => k.scheduleId))]), inArray(records.sessionDate, [...new Set(keys.map((k) => k.sessionDate))])));
    },
    /** Whether the instructor has taught or opened any roll with records of this student or ficha. */
    async taughtBy(instructorId: string, target: { studentId?: string; groupId?: string }): Promise<boolean> {
      const c: SQL[] = [live, sql`(${records.instructorId} = ${instructorId} OR ${rolls.openedBy} = ${instructorId})`];
      if (target.studentId) c.push(eq(records.studentId, target.studentId));
      if (target.groupId) c.push(eq(records.groupId, target.groupId));
      const [row] = await db.select({ id: records.id }).from(records).innerJoin(rolls, eq(rolls.id, records.rollId)).where(and(...c)).limit(1);
      return row !== undefined;
    },
    async insert(values: RecordInsert): Promise<RecordRow> {
      const [row] = await db.insert(records).values(values).returning();
      return row;
    },
    async update(id: string, values: Partial<RecordInsert>): Promise<RecordRow> {
      const [row] = await db.update(records).set(values).where(eq(records.id, id)).returning();
      return row;
    },
    async list(f: RecordFilter, sort: Array<{ field: RecordSortField; direction: 'asc' | 'desc' }>, limit: number, offset: number) {
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(records).innerJoin(rolls, eq(rolls.id, records.rollId)).where(where(f));
      const page = db
        .select(withTotal({ row: records, roll: { subject: rolls.subject, startTime: rolls.startTime, endTime: rolls.endTime, groupNumber: rolls.groupNumber, status: rolls.status } }, countTotal(counted)))
        .from(records)
        .innerJoin(rolls, eq(rolls.id, records.rollId))
        .where(where(f))
        .orderBy(...sort.map((s) => (s.direction === 'desc' ? desc(sortColumn[s.field]) : asc(sortColumn[s.field]))), asc(records.id))
        .limit(limit)
        .offset(offset);
      return listPage(page, offset, async () => (await counted)[0].n);
    },
    /** S1/R40: the fields the figures need, for every live record in scope and period (no paging). */
    async figures(f: RecordFilter) {
      return db
        .select({ studentId: records.studentId, status: records.status, sessionDate: records.sessionDate, startTime: rolls.startTime, lateMinutes: records.lateMinutes })
        .from(records)
        .innerJoin(rolls, eq(rolls.id, records.rollId))
        .where(where(f));
    },
    async count(f: RecordFilter): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(records).innerJoin(rolls, eq(rolls.id, records.rollId)).where(where(f));
      return row.n;
    },
    /** RC6: the next `limit` rows after the keyset (session_date, start_time, id), never OFFSET. */
    async exportBatch(f: RecordFilter, after: ExportKey | undefined, limit: number) {
      const key = after ? sql`(${records.sessionDate}, ${rolls.startTime}, ${records.id}) > (${after.sessionDate}::date, ${after.startTime}, ${after.id}::uuid)` : undefined;
      return db
        .select({ row: records, roll: { subject: rolls.subject, startTime: rolls.startTime, endTime: rolls.endTime, groupNumber: rolls.groupNumber } })
        .from(records)
        .innerJoin(rolls, eq(rolls.id, records.rollId))
        .where(and(where(f), key))
        .orderBy(asc(records.sessionDate), asc(rolls.startTime), asc(records.id))
        .limit(limit);
    },
    async insertChange(values: RecordChangeInsert): Promise<RecordChangeRow> {
      const [row] = await db.insert(recordChanges).values(values).returning();
      return row;
    },
    async changesOf(recordId: string): Promise<RecordChangeRow[]> {
      return db.select().from(recordChanges).where(eq(recordChanges.recordId, recordId)).orderBy(asc(recordChanges.at), asc(recordChanges.id));
    },
    /** R12's key: for each record, the latest change row that set ABSENT. */
    async lastAbsentChanges(recordIds: string[]): Promise<Map<string, RecordChangeRow>> {
      const out = new Map<string, RecordChangeRow>();
      if (recordIds.length === 0) return out;
      const rows = await db
        .select()
        .from(recordChanges)
        .where(and(inArray(recordChanges.recordId, recordIds), eq(recordChanges.toStatus, 'ABSENT')))
        .orderBy(asc(recordChanges.at), asc(recordChanges.id));
      for (const r of rows) out.set(r.recordId, r);
      return out;
    },
  };
}

export type RecordsRepo = ReturnType<typeof createRecordsRepo>;
