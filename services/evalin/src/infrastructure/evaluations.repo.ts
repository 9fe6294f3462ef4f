/** Participation records (§3 Evaluation): who evaluated whom, never what once submitted. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { evaluations, periodGroups, periods } from './db/schema.ts';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type EvaluationSortField = 'submitted_at' | 'created_at';

export interface EvaluationFilter {
  periodId: string;
  groupId?: string;
  instructorId?: string;
  studentId?: string;
  status?: 'draft' | 'submitted';
}

export function createEvaluationsRepo(db: Db) {
  const where = (f: EvaluationFilter) => {
    const c: SQL[] = [eq(evaluations.periodId, f.periodId)];
    if (f.groupId) c.push(eq(evaluations.groupId, f.groupId));
    if (f.instructorId) c.push(eq(evaluations.instructorId, f.instructorId));
    if (f.studentId) c.push(eq(evaluations.studentId, f.studentId));
    if (f.status) c.push(eq(evaluations.status, f.status));
    return and(...c);
  };
  return {
    async get(id: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id));
      return row;
    },
    async getForUpdate(id: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id)).for('update');
      return row;
    },
    /**
     * E32's reads in one round trip: the period, whether it targets the apprentice's ficha, the apprentice's
     * evaluation of this instructor in it (R26) and how many of theirs in it are submitted (R29's event
     * count, read before the write). Undefined when the period does not exist.
     */
    async submissionContext(periodId: string, groupId: string, studentId: string, instructorId: string) {
      // The period id is bound as a parameter inside the subqueries: Drizzle renders a column of the only
      // table in FROM unqualified ("id"), which inside `evaluations e` would mean e.id.
      const q = db
        .select({
          p: periods,
          targets: sql<boolean>`exists (select 1 from ${periodGroups} g where g.period_id = ${periodId} and g.group_id = ${groupId})`,
          existingId: sql<string | null>`(select e.id::text from ${evaluations} e where e.student_id = ${studentId} and e.instructor_id = ${instructorId} and e.period_id = ${periodId})`,
          existingStatus: sql<'draft' | 'submitted' | null>`(select e.status::text from ${evaluations} e where e.student_id = ${studentId} and e.instructor_id = ${instructorId} and e.period_id = ${periodId})`,
          submitted: sql<number>`(select count(*)::int from ${evaluations} e where e.student_id = ${studentId} and e.period_id = ${periodId} and e.status = 'submitted')`,
        })
        .from(periods)
        .where(eq(periods.id, periodId));
      const [row] = await q;
      return row ? { ...row, targets: row.targets === true || (row.targets as unknown) === 't', submitted: Number(row.submitted) } : undefined;
    },
    async find(studentId: string, instructorId: string, periodId: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.select().from(evaluations).where(and(eq(evaluations.studentId, studentId), eq(evaluations.instructorId, instructorId), eq(evaluations.periodId, periodId)));
      return row;
    },
    async ofStudent(studentId: string, periodIds?: string[]): Promise<EvaluationRow[]> {
      const c: SQL[] = [eq(evaluations.studentId, studentId)];
      if (periodIds) {
        if (periodIds.length === 0) return [];
        c.push(inArray(evaluations.periodId, periodIds));
      }
      return db.select().from(evaluations).where(and(...c)).orderBy(asc(evaluations.createdAt));
    },
    async list(f: EvaluationFilter, sort: { field: EvaluationSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const w = where(f);
      const col = sort.field === 'submitted_at' ? evaluations.submittedAt : evaluations.createdAt;
      const order = sort.direction === 'desc' ? sql`${col} desc nulls last` : sql`${col} asc nulls last`;
      const rows = await db.select().from(evaluations).where(w).orderBy(order, asc(evaluations.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(evaluations).where(w);
      return { rows, total: n };
    },
    /** Every record of a period (participation, R36): small rows, no answers. */
    async ofPeriod(periodId: string) {
      return db
        .select({ studentId: evaluations.studentId, instructorId: evaluations.instructorId, groupId: evaluations.groupId, status: evaluations.status, submittedAt: evaluations.submittedAt })
        .from(evaluations)
        .where(eq(evaluations.periodId, periodId));
    },
    async countSubmitted(periodId: string): Promise<number> {
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(evaluations).where(and(eq(evaluations.periodId, periodId), eq(evaluations.status, 'submitted')));
      return n;
    },
    async insert(values: typeof evaluations.$inferInsert): Promise<EvaluationRow> {
      const [row] = await db.insert(evaluations).values(values).returning();
      return row;
    },
    async update(id: string, patch: Partial<typeof evaluations.$inferInsert>): Promise<EvaluationRow> {
      const [row] = await db.update(evaluations).set(patch).where(eq(evaluations.id, id)).returning();
      return row;
    },
    async remove(id: string) {
      await db.delete(evaluations).where(eq(evaluations.id, id));
    },
    /** R21: drafts vanish when the period closes. */
    async deleteDrafts(periodId: string) {
      await db.delete(evaluations).where(and(eq(evaluations.periodId, periodId), eq(evaluations.status, 'draft')));
    },
  };
}
