/** Deliverables (§3 Deliverable). */
import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliverables, evaluations, projects, submissions } from './db/schema.ts';

export type DeliverableRow = typeof deliverables.$inferSelect;
export type DeliverableInsert = typeof deliverables.$inferInsert;

export function createDeliverablesRepo(db: Db) {
  return {
    async insert(values: DeliverableInsert): Promise<DeliverableRow> {
      const [row] = await db.insert(deliverables).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<DeliverableRow | undefined> {
      const [row] = await db.select().from(deliverables).where(eq(deliverables.id, id));
      return row;
    },
    async byIds(ids: string[]): Promise<DeliverableRow[]> {
      return ids.length ? db.select().from(deliverables).where(inArray(deliverables.id, ids)) : [];
    },
    async titleTaken(projectId: string, title: string, exceptId?: string): Promise<boolean> {
      const rows = await db.select({ id: deliverables.id }).from(deliverables).where(and(eq(deliverables.projectId, projectId), sql`lower(${deliverables.title}) = lower(${title})`));
      return rows.some((r) => r.id !== exceptId);
    },
    async update(id: string, patch: Partial<DeliverableInsert>): Promise<DeliverableRow> {
      const [row] = await db.update(deliverables).set(patch).where(eq(deliverables.id, id)).returning();
      return row;
    },
    async delete(id: string): Promise<void> {
      await db.delete(deliverables).where(eq(deliverables.id, id));
    },
    async ofProjects(projectIds: string[]): Promise<DeliverableRow[]> {
      return projectIds.length ? db.select().from(deliverables).where(inArray(deliverables.projectId, projectIds)).orderBy(asc(deliverables.dueAt), asc(deliverables.title)) : [];
    },
    async hasSubmissions(id: string): Promise<boolean> {
      const rows = await db.select({ id: submissions.id }).from(submissions).where(eq(submissions.deliverableId, id)).limit(1);
      return rows.length > 0;
    },
    async hasEvaluations(id: string): Promise<boolean> {
      const rows = await db.select({ id: evaluations.id }).from(evaluations).innerJoin(submissions, eq(submissions.id, evaluations.submissionId)).where(eq(submissions.deliverableId, id)).limit(1);
      return rows.length > 0;
    },
    /** R48: deliverables of active projects due in (now, until]. */
    async dueBetween(now: Date, until: Date) {
      return db.select({ d: deliverables, teamId: projects.teamId }).from(deliverables).innerJoin(projects, eq(projects.id, deliverables.projectId)).where(and(eq(projects.status, 'active'), gt(deliverables.dueAt, now), lte(deliverables.dueAt, until)));
    },
  };
}
