/**
 * Risk settings, runs, assessments, alerts and their events (§3.2). Plain rows out; level order by
 * severity is a CASE, since levels are stored as the spec's text values.
 */
import { getTableColumns, and, asc, desc, eq, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { riskAlertEvents, riskAlerts, riskAssessments, riskRuns, riskSettings } from './db/schema.ts';

export type SettingsRow = typeof riskSettings.$inferSelect;
export type RunRow = typeof riskRuns.$inferSelect;
export type AssessmentRow = typeof riskAssessments.$inferSelect;
export type AssessmentInsert = typeof riskAssessments.$inferInsert;
export type AlertRow = typeof riskAlerts.$inferSelect;
export type AlertEventRow = typeof riskAlertEvents.$inferSelect;

export const levelRankSql = (col: SQL | typeof riskAlerts.level) => sql`CASE ${col} WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

export interface AlertFilter {
  statuses: string[];
  levels?: string[];
  group_id?: string;
  apprentice_id?: string;
  /** true: active and opened at or before `overdueBefore` (R33). */
  overdue?: boolean;
  overdueBefore: Date;
  /** O2: only these fichas. */
  groupIds?: string[];
}

export function createRiskRepo(db: Db) {
  return {
    async currentSettings(): Promise<SettingsRow | undefined> {
      const [row] = await db.select().from(riskSettings).orderBy(desc(riskSettings.version)).limit(1);
      return row;
    },
    async insertSettings(values: typeof riskSettings.$inferInsert): Promise<SettingsRow | undefined> {
      const [row] = await db.insert(riskSettings).values(values).onConflictDoNothing().returning();
      return row;
    },

    /** R30's advisory lock: concurrent starters of runs serialize on it inside their transaction. */
    async lockRuns(): Promise<void> {
      await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext('ai.risk_runs'))`);
    },
    async openRuns(): Promise<RunRow[]> {
      return db.select().from(riskRuns).where(inArray(riskRuns.status, ['queued', 'running']));
    },
    async lastFinishedGroupRun(groupId: string): Promise<RunRow | undefined> {
      const [row] = await db
        .select()
        .from(riskRuns)
        .where(and(eq(riskRuns.groupId, groupId), eq(riskRuns.scope, 'group'), inArray(riskRuns.status, ['completed', 'failed'])))
        .orderBy(desc(riskRuns.finishedAt))
        .limit(1);
      return row;
    },
    async insertRun(values: typeof riskRuns.$inferInsert): Promise<RunRow> {
      const [row] = await db.insert(riskRuns).values(values).returning();
      return row;
    },
    async updateRun(id: string, patch: Partial<typeof riskRuns.$inferInsert>): Promise<RunRow> {
      const [row] = await db.update(riskRuns).set(patch).where(eq(riskRuns.id, id)).returning();
      return row;
    },
    async run(id: string): Promise<RunRow | undefined> {
      const [row] = await db.select().from(riskRuns).where(eq(riskRuns.id, id));
      return row;
    },
    async queuedRuns(): Promise<RunRow[]> {
      return db.select().from(riskRuns).where(eq(riskRuns.status, 'queued')).orderBy(asc(riskRuns.createdAt));
    },
    async listRuns(f: { status?: string; scope?: string; group_id?: string; groupIds?: string[] }, limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.status) c.push(eq(riskRuns.status, f.status));
      if (f.scope) c.push(eq(riskRuns.scope, f.scope));
      if (f.group_id) c.push(eq(riskRuns.groupId, f.group_id));
      if (f.groupIds) c.push(f.groupIds.length ? and(eq(riskRuns.scope, 'group'), inArray(riskRuns.groupId, f.groupIds)) as SQL : sql`false`);
      const where = c.length ? and(...c) : undefined;
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(riskRuns).where(where);
      const page = db.select(withTotal(getTableColumns(riskRuns), countTotal(counted))).from(riskRuns).where(where).orderBy(desc(riskRuns.createdAt), desc(riskRuns.id)).limit(limit).offset(offset);
      return listPage(page, offset, async () => (await counted)[0].n);
    },
    async latestFinishedRun(groupId: string): Promise<RunRow | undefined> {
      const [row] = await db
        .select()
        .from(riskRuns)
        .where(and(eq(riskRuns.status, 'completed'), sql`(${riskRuns.scope} = 'all' OR ${riskRuns.groupId} = ${groupId})`))
        .orderBy(desc(riskRuns.finishedAt))
        .limit(1);
      return row;
    },
    async purgeRuns(before: Date): Promise<void> {
      await db.delete(riskRuns).where(and(lt(riskRuns.createdAt, before), ne(riskRuns.status, 'running'), ne(riskRuns.status, 'queued')));
    },

    async insertAssessment(values: AssessmentInsert): Promise<AssessmentRow> {
      const [row] = await db.insert(riskAssessments).values(values).returning();
      return row;
    },
    async anyAssessment(): Promise<boolean> {
      const rows = await db.select({ id: riskAssessments.id }).from(riskAssessments).limit(1);
      return rows.length > 0;
    },
    /** The latest two assessments of each apprentice of the list (report: latest + previous_score). */
    async latestTwo(apprenticeIds: string[]): Promise<AssessmentRow[]> {
      if (apprenticeIds.length === 0) return [];
      const ranked = db
        .select({ id: riskAssessments.id, rn: sql<number>`row_number() over (partition by ${riskAssessments.apprenticeId} order by ${riskAssessments.computedAt} desc, ${riskAssessments.id} desc)`.as('rn') })
        .from(riskAssessments)
        .where(inArray(riskAssessments.apprenticeId, apprenticeIds))
        .as('ranked');
      const ids = await db.select({ id: ranked.id }).from(ranked).where(sql`${ranked.rn} <= 2`);
      if (ids.length === 0) return [];
      return db.select().from(riskAssessments).where(inArray(riskAssessments.id, ids.map((r) => r.id)));
    },
    async groupApprenticeIds(groupId: string): Promise<Array<{ id: string; name: string | null }>> {
      return db.selectDistinctOn([riskAssessments.apprenticeId], { id: riskAssessments.apprenticeId, name: riskAssessments.apprenticeName }).from(riskAssessments).where(eq(riskAssessments.groupId, groupId)).orderBy(riskAssessments.apprenticeId, desc(riskAssessments.computedAt));
    },
    async history(apprenticeId: string, n: number): Promise<AssessmentRow[]> {
      return db.select().from(riskAssessments).where(eq(riskAssessments.apprenticeId, apprenticeId)).orderBy(desc(riskAssessments.computedAt), desc(riskAssessments.id)).limit(n);
    },
    async assessment(id: string): Promise<AssessmentRow | undefined> {
      const [row] = await db.select().from(riskAssessments).where(eq(riskAssessments.id, id));
      return row;
    },
    async assessmentsBetween(from: Date, to: Date): Promise<AssessmentRow[]> {
      return db.select().from(riskAssessments).where(and(sql`${riskAssessments.computedAt} >= ${from.toISOString()}::timestamptz`, lt(riskAssessments.computedAt, to)));
    },
    async purgeAssessments(before: Date): Promise<void> {
      await db.delete(riskAssessments).where(lt(riskAssessments.computedAt, before));
    },

    async openAlert(apprenticeId: string): Promise<AlertRow | undefined> {
      const [row] = await db.select().from(riskAlerts).where(and(eq(riskAlerts.apprenticeId, apprenticeId), inArray(riskAlerts.status, ['active', 'acknowledged']))).for('update');
      return row;
    },
    async lastClosedAlert(apprenticeId: string): Promise<AlertRow | undefined> {
      const [row] = await db
        .select()
        .from(riskAlerts)
        .where(and(eq(riskAlerts.apprenticeId, apprenticeId), inArray(riskAlerts.status, ['resolved', 'dismissed'])))
        .orderBy(desc(riskAlerts.updatedAt))
        .limit(1);
      return row;
    },
    async openAlerts(apprenticeIds: string[]): Promise<AlertRow[]> {
      if (apprenticeIds.length === 0) return [];
      return db.select().from(riskAlerts).where(and(inArray(riskAlerts.apprenticeId, apprenticeIds), inArray(riskAlerts.status, ['active', 'acknowledged'])));
    },
    async insertAlert(values: typeof riskAlerts.$inferInsert): Promise<AlertRow> {
      const [row] = await db.insert(riskAlerts).values(values).returning();
      return row;
    },
    async updateAlert(id: string, patch: Partial<typeof riskAlerts.$inferInsert>): Promise<AlertRow> {
      const [row] = await db.update(riskAlerts).set(patch).where(eq(riskAlerts.id, id)).returning();
      return row;
    },
    async alert(id: string, forUpdate = false): Promise<AlertRow | undefined> {
      const q = db.select().from(riskAlerts).where(eq(riskAlerts.id, id));
      const [row] = forUpdate ? await q.for('update') : await q;
      return row;
    },
    async insertEvent(values: typeof riskAlertEvents.$inferInsert): Promise<AlertEventRow> {
      const [row] = await db.insert(riskAlertEvents).values(values).returning();
      return row;
    },
    async events(alertId: string): Promise<AlertEventRow[]> {
      return db.select().from(riskAlertEvents).where(eq(riskAlertEvents.alertId, alertId)).orderBy(asc(riskAlertEvents.createdAt), asc(riskAlertEvents.id));
    },
    async eventsBetween(from: Date, to: Date): Promise<AlertEventRow[]> {
      return db.select().from(riskAlertEvents).where(and(sql`${riskAlertEvents.createdAt} >= ${from.toISOString()}::timestamptz`, lt(riskAlertEvents.createdAt, to)));
    },
    async alertsOpenedBetween(from: Date, to: Date): Promise<AlertRow[]> {
      return db.select().from(riskAlerts).where(and(sql`${riskAlerts.openedAt} >= ${from.toISOString()}::timestamptz`, lt(riskAlerts.openedAt, to)));
    },
    async countOpen(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(riskAlerts).where(inArray(riskAlerts.status, ['active', 'acknowledged']));
      return row.n;
    },
    async overdueUnnotified(before: Date): Promise<AlertRow[]> {
      return db.select().from(riskAlerts).where(and(eq(riskAlerts.status, 'active'), sql`${riskAlerts.overdueNotifiedAt} IS NULL`, sql`${riskAlerts.openedAt} <= ${before.toISOString()}::timestamptz`));
    },
    async listAlerts(f: AlertFilter, sort: 'level' | 'opened_at' | 'score', limit: number, offset: number) {
      const c: SQL[] = [inArray(riskAlerts.status, f.statuses)];
      if (f.levels?.length) c.push(inArray(riskAlerts.level, f.levels));
      if (f.group_id) c.push(eq(riskAlerts.groupId, f.group_id));
      if (f.apprentice_id) c.push(eq(riskAlerts.apprenticeId, f.apprentice_id));
      const overdue = sql`(${riskAlerts.status} = 'active' AND ${riskAlerts.openedAt} <= ${f.overdueBefore.toISOString()}::timestamptz)`;
      if (f.overdue !== undefined) c.push(f.overdue ? overdue : sql`NOT ${overdue}`);
      if (f.groupIds) c.push(f.groupIds.length ? inArray(riskAlerts.groupId, f.groupIds) : sql`false`);
      const where = and(...c);
      const order =
        sort === 'score'
          ? [desc(riskAlerts.score), desc(riskAlerts.openedAt)]
          : sort === 'opened_at'
            ? [desc(riskAlerts.openedAt)]
            : [desc(levelRankSql(riskAlerts.level)), desc(riskAlerts.openedAt)];
      const counted = db.select({ n: sql<number>`count(*)::int` }).from(riskAlerts).where(where);
      const page = db.select(withTotal(getTableColumns(riskAlerts), countTotal(counted))).from(riskAlerts).where(where).orderBy(...order, desc(riskAlerts.id)).limit(limit).offset(offset);
      return listPage(page, offset, async () => (await counted)[0].n);
    },
  };
}

export type RiskRepo = ReturnType<typeof createRiskRepo>;
