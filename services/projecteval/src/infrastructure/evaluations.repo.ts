/** Juror evaluations and their criterion scores (§3 Evaluation, CriterionScore). */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { criterionScores, evaluations } from './db/schema.ts';

export type EvaluationRow = typeof evaluations.$inferSelect;
export type EvaluationInsert = typeof evaluations.$inferInsert;
export interface ScoreRow {
  criterionId: string;
  score: number;
  comment: string | null;
}

export interface EvaluationFilter {
  submissionId?: string;
  sessionId?: string;
  evaluatorId?: string;
  status?: EvaluationRow['status'];
  /** O4 and R36: what the caller may see. */
  visibility?: { kind: 'staff' | 'instructor' | 'apprentice'; id: string; teamIds: string[] };
}

export function createEvaluationsRepo(db: Db) {
  return {
    async insert(values: EvaluationInsert): Promise<EvaluationRow> {
      const [row] = await db.insert(evaluations).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id));
      return row;
    },
    async lock(id: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.select().from(evaluations).where(eq(evaluations.id, id)).for('update');
      return row;
    },
    async bySubmissionAndEvaluator(submissionId: string, evaluatorId: string): Promise<EvaluationRow | undefined> {
      const [row] = await db.select().from(evaluations).where(and(eq(evaluations.submissionId, submissionId), eq(evaluations.evaluatorId, evaluatorId)));
      return row;
    },
    async ofSubmissions(submissionIds: string[]): Promise<EvaluationRow[]> {
      return submissionIds.length ? db.select().from(evaluations).where(inArray(evaluations.submissionId, submissionIds)) : [];
    },
    async update(id: string, patch: Partial<EvaluationInsert>): Promise<EvaluationRow> {
      const [row] = await db.update(evaluations).set(patch).where(eq(evaluations.id, id)).returning();
      return row;
    },
    async publishOf(submissionId: string, at: Date): Promise<void> {
      await db.update(evaluations).set({ status: 'published', publishedAt: at, updatedAt: at }).where(eq(evaluations.submissionId, submissionId));
    },
    async deleteDrafts(sessionId: string, evaluatorId: string): Promise<string[]> {
      const rows = await db.delete(evaluations).where(and(eq(evaluations.sessionId, sessionId), eq(evaluations.evaluatorId, evaluatorId), eq(evaluations.status, 'draft'))).returning({ id: evaluations.submissionId });
      return rows.map((r) => r.id);
    },
    async scores(evaluationIds: string[]): Promise<Map<string, ScoreRow[]>> {
      const out = new Map<string, ScoreRow[]>();
      if (!evaluationIds.length) return out;
      const rows = await db.select().from(criterionScores).where(inArray(criterionScores.evaluationId, evaluationIds));
      for (const r of rows) {
        const list = out.get(r.evaluationId) ?? [];
        list.push({ criterionId: r.criterionId, score: Number(r.score), comment: r.comment });
        out.set(r.evaluationId, list);
      }
      return out;
    },
    async upsertScores(evaluationId: string, scores: Array<{ criterionId: string; score: number; comment: string | null }>): Promise<void> {
      for (const s of scores) {
        await db
          .insert(criterionScores)
          .values({ evaluationId, criterionId: s.criterionId, score: s.score.toFixed(1), comment: s.comment })
          .onConflictDoUpdate({ target: [criterionScores.evaluationId, criterionScores.criterionId], set: { score: s.score.toFixed(1), comment: s.comment } });
      }
    },
    async removeScores(evaluationId: string, criterionIds: string[]): Promise<void> {
      if (criterionIds.length) await db.delete(criterionScores).where(and(eq(criterionScores.evaluationId, evaluationId), inArray(criterionScores.criterionId, criterionIds)));
    },
    async list(f: EvaluationFilter, limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.submissionId) c.push(eq(evaluations.submissionId, f.submissionId));
      if (f.sessionId) c.push(eq(evaluations.sessionId, f.sessionId));
      if (f.evaluatorId) c.push(eq(evaluations.evaluatorId, f.evaluatorId));
      if (f.status) c.push(eq(evaluations.status, f.status));
      if (f.visibility) c.push(f.visibility.kind === 'staff' ? evaluationVisibility.staff() : f.visibility.kind === 'instructor' ? evaluationVisibility.instructor(f.visibility.id) : evaluationVisibility.apprentice(f.visibility.teamIds));
      const w = c.length ? and(...c) : undefined;
      const rows = await db.select().from(evaluations).where(w).orderBy(desc(evaluations.updatedAt), desc(evaluations.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(evaluations).where(w);
      return { rows, total: n };
    },
  };
}

/** O4/R36 visibility predicates, built here because they are SQL. */
export const evaluationVisibility = {
  staff: () => sql`${evaluations.status} <> 'draft'`,
  instructor: (id: string) => sql`(${evaluations.status} <> 'draft' OR ${evaluations.evaluatorId} = ${id})`,
  apprentice: (teamIds: string[]) =>
    teamIds.length
      ? sql`(${evaluations.status} = 'published' AND ${evaluations.submissionId} IN (SELECT id FROM projecteval.submissions WHERE team_id IN (${sql.join(teamIds.map((t) => sql`${t}`), sql`, `)})))`
      : sql`false`,
};
