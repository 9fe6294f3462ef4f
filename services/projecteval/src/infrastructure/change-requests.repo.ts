/** Change requests (§3 ChangeRequest). */
import { and, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { changeRequests, projects } from './db/schema.ts';

export type ChangeRequestRow = typeof changeRequests.$inferSelect;
export type ChangeRequestInsert = typeof changeRequests.$inferInsert;

export function createChangeRequestsRepo(db: Db) {
  return {
    async insert(values: ChangeRequestInsert): Promise<ChangeRequestRow> {
      const [row] = await db.insert(changeRequests).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<ChangeRequestRow | undefined> {
      const [row] = await db.select().from(changeRequests).where(eq(changeRequests.id, id));
      return row;
    },
    async lock(id: string): Promise<ChangeRequestRow | undefined> {
      const [row] = await db.select().from(changeRequests).where(eq(changeRequests.id, id)).for('update');
      return row;
    },
    async update(id: string, patch: Partial<ChangeRequestInsert>): Promise<ChangeRequestRow> {
      const [row] = await db.update(changeRequests).set(patch).where(eq(changeRequests.id, id)).returning();
      return row;
    },
    /** R38: non-withdrawn stakeholder requests of the project in the quarter. */
    async stakeholderCount(projectId: string, quarter: string): Promise<number> {
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(changeRequests).where(and(eq(changeRequests.projectId, projectId), eq(changeRequests.origin, 'stakeholder'), eq(changeRequests.quarter, quarter), ne(changeRequests.status, 'withdrawn')));
      return n;
    },
    async countsByStatus(projectId: string) {
      return db.select({ status: changeRequests.status, n: sql<number>`count(*)::int` }).from(changeRequests).where(eq(changeRequests.projectId, projectId)).groupBy(changeRequests.status);
    },
    async list(f: { projectId?: string; status?: ChangeRequestRow['status']; origin?: ChangeRequestRow['origin']; stakeholderId?: string; changeType?: ChangeRequestRow['changeType']; teamIds?: string[] }, limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.projectId) c.push(eq(changeRequests.projectId, f.projectId));
      if (f.status) c.push(eq(changeRequests.status, f.status));
      if (f.origin) c.push(eq(changeRequests.origin, f.origin));
      if (f.stakeholderId) c.push(eq(changeRequests.stakeholderId, f.stakeholderId));
      if (f.changeType) c.push(eq(changeRequests.changeType, f.changeType));
      if (f.teamIds) c.push(f.teamIds.length ? sql`${changeRequests.projectId} IN (SELECT id FROM ${projects} WHERE ${inArray(projects.teamId, f.teamIds)})` : sql`false`);
      const w = c.length ? and(...c) : undefined;
      const rows = await db.select().from(changeRequests).where(w).orderBy(desc(changeRequests.createdAt), desc(changeRequests.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(changeRequests).where(w);
      return { rows, total: n };
    },
  };
}
