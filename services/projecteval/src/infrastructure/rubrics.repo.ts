/** Rubrics with their criteria and grade bands (§3 Rubric, RubricCriterion, GradeBand). */
import { and, asc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliverables, rubricBands, rubricCriteria, rubrics } from './db/schema.ts';

export type RubricRow = typeof rubrics.$inferSelect;
export type RubricInsert = typeof rubrics.$inferInsert;
export type CriterionRow = typeof rubricCriteria.$inferSelect;
export type CriterionInsert = typeof rubricCriteria.$inferInsert;
export interface BandRow {
  code: string;
  label: string;
  min_score: number;
  is_passing: boolean;
}

export function createRubricsRepo(db: Db) {
  return {
    async insert(values: RubricInsert): Promise<RubricRow> {
      const [row] = await db.insert(rubrics).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<RubricRow | undefined> {
      const [row] = await db.select().from(rubrics).where(eq(rubrics.id, id));
      return row;
    },
    async nameTaken(name: string, exceptId?: string): Promise<boolean> {
      const rows = await db.select({ id: rubrics.id }).from(rubrics).where(sql`lower(${rubrics.name}) = lower(${name})`);
      return rows.some((r) => r.id !== exceptId);
    },
    async update(id: string, patch: Partial<RubricInsert>): Promise<RubricRow> {
      const [row] = await db.update(rubrics).set(patch).where(eq(rubrics.id, id)).returning();
      return row;
    },
    async criteria(rubricId: string): Promise<CriterionRow[]> {
      return db.select().from(rubricCriteria).where(eq(rubricCriteria.rubricId, rubricId)).orderBy(asc(rubricCriteria.position));
    },
    async bands(rubricId: string): Promise<BandRow[]> {
      const rows = await db.select().from(rubricBands).where(eq(rubricBands.rubricId, rubricId)).orderBy(sql`${rubricBands.minScore} DESC`);
      return rows.map((b) => ({ code: b.code, label: b.label, min_score: Number(b.minScore), is_passing: b.isPassing }));
    },
    /** P28/P30: criteria and bands replaced whole. */
    async replaceContent(rubricId: string, criteria: Array<Omit<CriterionInsert, 'rubricId'>>, bands: BandRow[]): Promise<void> {
      await db.delete(rubricCriteria).where(eq(rubricCriteria.rubricId, rubricId));
      await db.delete(rubricBands).where(eq(rubricBands.rubricId, rubricId));
      if (criteria.length) await db.insert(rubricCriteria).values(criteria.map((c) => ({ ...c, rubricId })));
      if (bands.length) await db.insert(rubricBands).values(bands.map((b) => ({ rubricId, code: b.code, label: b.label, minScore: b.min_score.toFixed(1), isPassing: b.is_passing })));
    },
    async usage(ids: string[]): Promise<Map<string, number>> {
      if (!ids.length) return new Map();
      const rows = await db.select({ id: deliverables.rubricId, n: sql<number>`count(*)::int` }).from(deliverables).where(inArray(deliverables.rubricId, ids)).groupBy(deliverables.rubricId);
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async weightTotals(ids: string[]): Promise<Map<string, number>> {
      if (!ids.length) return new Map();
      const rows = await db.select({ id: rubricCriteria.rubricId, n: sql<number>`coalesce(sum(${rubricCriteria.weight}), 0)::int` }).from(rubricCriteria).where(inArray(rubricCriteria.rubricId, ids)).groupBy(rubricCriteria.rubricId);
      return new Map(rows.map((r) => [r.id, r.n]));
    },
    async list(f: { status?: RubricRow['status']; programCode?: string; trimester?: number; search?: string; ids?: string[] }, limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.status) c.push(eq(rubrics.status, f.status));
      if (f.programCode) c.push(eq(rubrics.programCode, f.programCode));
      if (f.trimester) c.push(eq(rubrics.trimester, f.trimester));
      if (f.search) c.push(ilike(rubrics.name, `%${f.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
      if (f.ids) c.push(f.ids.length ? inArray(rubrics.id, f.ids) : sql`false`);
      const w = c.length ? and(...c) : undefined;
      const rows = await db.select().from(rubrics).where(w).orderBy(asc(rubrics.name), asc(rubrics.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(rubrics).where(w);
      return { rows, total: n };
    },
    /** R36: the rubrics used by deliverables of these projects. */
    async idsUsedByProjects(projectIds: string[]): Promise<string[]> {
      if (!projectIds.length) return [];
      const rows = await db.selectDistinct({ id: deliverables.rubricId }).from(deliverables).where(and(inArray(deliverables.projectId, projectIds)));
      return rows.map((r) => r.id);
    },
  };
}
