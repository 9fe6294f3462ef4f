/** Periods, their target fichas, transition log and close-time snapshots (§3 Period, R13–R22). */
import { and, asc, desc, eq, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { periodEvents, periodGroups, periodGroupSnapshots, periods, questionnaires } from './db/schema.ts';

export type PeriodRow = typeof periods.$inferSelect;
export type PeriodInsert = typeof periods.$inferInsert;
export type PeriodGroupRow = typeof periodGroups.$inferSelect;
export type SnapshotRow = typeof periodGroupSnapshots.$inferSelect;
export type PeriodSortField = 'start_date' | 'end_date' | 'name' | 'created_at';

export interface PeriodFilter {
  statuses?: string[];
  timing?: 'future' | 'current' | 'past';
  groupId?: string;
  /** O1: only periods targeting one of these fichas. */
  groupIds?: string[];
  questionnaireId?: string;
  search?: string;
  now: Date;
}

const SORT = { start_date: periods.startDate, end_date: periods.endDate, name: periods.name, created_at: periods.createdAt };

export function createPeriodsRepo(db: Db) {
  const where = (f: PeriodFilter) => {
    const c: SQL[] = [];
    if (f.statuses?.length) c.push(inArray(periods.status, f.statuses as PeriodRow['status'][]));
    if (f.timing === 'future') c.push(sql`${f.now} < ${periods.startDate}`);
    if (f.timing === 'current') c.push(sql`${periods.startDate} <= ${f.now} and ${f.now} < ${periods.endDate}`);
    if (f.timing === 'past') c.push(sql`${periods.endDate} <= ${f.now}`);
    if (f.groupId) c.push(sql`exists (select 1 from ${periodGroups} g where g.period_id = ${periods.id} and g.group_id = ${f.groupId})`);
    if (f.groupIds) c.push(f.groupIds.length === 0 ? sql`false` : sql`exists (select 1 from ${periodGroups} g where g.period_id = ${periods.id} and ${inArray(sql`g.group_id`, f.groupIds)})`);
    if (f.questionnaireId) c.push(eq(periods.questionnaireId, f.questionnaireId));
    if (f.search) c.push(sql`position(lower(${f.search}) in lower(${periods.name})) > 0`);
    return c.length ? and(...c) : undefined;
  };
  return {
    async list(f: PeriodFilter, sort: { field: PeriodSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const w = where(f);
      const dir = sort.direction === 'desc' ? desc : asc;
      const rows = await db.select().from(periods).where(w).orderBy(dir(SORT[sort.field]), asc(periods.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(periods).where(w);
      return { rows, total: n };
    },
    async get(id: string): Promise<PeriodRow | undefined> {
      const [row] = await db.select().from(periods).where(eq(periods.id, id));
      return row;
    },
    async getForUpdate(id: string): Promise<PeriodRow | undefined> {
      const [row] = await db.select().from(periods).where(eq(periods.id, id)).for('update');
      return row;
    },
    async groups(periodIds: string[]): Promise<PeriodGroupRow[]> {
      if (periodIds.length === 0) return [];
      return db.select().from(periodGroups).where(inArray(periodGroups.periodId, periodIds)).orderBy(asc(periodGroups.groupNumber));
    },
    async questionnaires(ids: string[]) {
      if (ids.length === 0) return [];
      return db
        .select({ id: questionnaires.id, name: questionnaires.name, questionCount: sql<number>`(select count(*)::int from evalin.questionnaire_questions qq where qq.questionnaire_id = ${sql.raw('"questionnaires"."id"')})` })
        .from(questionnaires)
        .where(inArray(questionnaires.id, ids));
    },
    async insert(values: PeriodInsert, groups: Array<{ groupId: string; groupNumber: string }>): Promise<PeriodRow> {
      const [row] = await db.insert(periods).values(values).returning();
      await db.insert(periodGroups).values(groups.map((g) => ({ periodId: row.id, ...g })));
      return row;
    },
    async update(id: string, patch: Partial<PeriodInsert>): Promise<PeriodRow> {
      const [row] = await db.update(periods).set(patch).where(eq(periods.id, id)).returning();
      return row;
    },
    async setGroups(id: string, groups: Array<{ groupId: string; groupNumber: string }>) {
      await db.delete(periodGroups).where(eq(periodGroups.periodId, id));
      await db.insert(periodGroups).values(groups.map((g) => ({ periodId: id, ...g })));
    },
    async remove(id: string) {
      await db.delete(periods).where(eq(periods.id, id));
    },
    /** R15: live periods (other than `exceptId`) sharing a ficha and overlapping [start, end). */
    async overlapping(groupIds: string[], start: Date, end: Date, exceptId?: string) {
      const c: SQL[] = [sql`${periods.status}::text in ('scheduled','active','suspended')`, sql`${periods.startDate} < ${end}`, sql`${start} < ${periods.endDate}`, inArray(periodGroups.groupId, groupIds)];
      if (exceptId) c.push(ne(periods.id, exceptId));
      return db
        .select({ id: periods.id, name: periods.name, groupNumber: periodGroups.groupNumber })
        .from(periods)
        .innerJoin(periodGroups, eq(periodGroups.periodId, periods.id))
        .where(and(...c))
        .orderBy(asc(periods.startDate), asc(periodGroups.groupNumber));
    },
    async addEvent(e: typeof periodEvents.$inferInsert): Promise<string> {
      const [row] = await db.insert(periodEvents).values(e).returning({ id: periodEvents.id });
      return row.id;
    },
    async events(periodId: string) {
      return db.select().from(periodEvents).where(eq(periodEvents.periodId, periodId)).orderBy(asc(periodEvents.createdAt));
    },
    async writeSnapshots(rows: SnapshotRow[]) {
      if (rows.length === 0) return;
      await db.insert(periodGroupSnapshots).values(rows).onConflictDoNothing();
    },
    async snapshots(periodId: string): Promise<SnapshotRow[]> {
      return db.select().from(periodGroupSnapshots).where(eq(periodGroupSnapshots.periodId, periodId));
    },
    async cacheParticipation(id: string, expected: number, submitted: number, at: Date) {
      await db.update(periods).set({ participationExpected: expected, participationSubmitted: submitted, participationAsOf: at }).where(eq(periods.id, id));
    },
    /** The clock's work (R17, R21): what is due now. */
    async due(now: Date) {
      const toStart = await db.select().from(periods).where(and(eq(periods.status, 'scheduled'), lte(periods.startDate, now)));
      const toClose = await db.select().from(periods).where(and(sql`${periods.status}::text in ('active','suspended')`, lte(periods.endDate, now)));
      const pendingSnapshots = await db.select().from(periods).where(eq(periods.snapshotPending, true));
      return { toStart, toClose, pendingSnapshots };
    },
    async byStatus(statuses: string[]): Promise<PeriodRow[]> {
      return db.select().from(periods).where(inArray(periods.status, statuses as PeriodRow['status'][])).orderBy(asc(periods.endDate));
    },
    /** Periods targeting one ficha in some statuses, ordered by end date (E30). */
    async forGroup(groupId: string, statuses: string[]): Promise<PeriodRow[]> {
      return db
        .select({ p: periods })
        .from(periods)
        .innerJoin(periodGroups, eq(periodGroups.periodId, periods.id))
        .where(and(eq(periodGroups.groupId, groupId), inArray(periods.status, statuses as PeriodRow['status'][])))
        .orderBy(asc(periods.endDate), asc(periods.id))
        .then((rows) => rows.map((r) => r.p));
    },
  };
}
