/** Projects and their scope history (§3 Project, ScopeChange). */
import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { changeRequests, deliverables, projects, scopeChanges, teams } from './db/schema.ts';

export type ProjectRow = typeof projects.$inferSelect;
export type ProjectInsert = typeof projects.$inferInsert;
export type ScopeChangeRow = typeof scopeChanges.$inferSelect;

export interface ProjectFilter {
  groupId?: string;
  teamId?: string;
  status?: ProjectRow['status'];
  projectType?: ProjectRow['projectType'];
  advisorId?: string;
  stakeholderId?: string;
  search?: string;
  teamIds?: string[];
}

export function createProjectsRepo(db: Db) {
  return {
    async insert(values: ProjectInsert): Promise<ProjectRow> {
      const [row] = await db.insert(projects).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<ProjectRow | undefined> {
      const [row] = await db.select().from(projects).where(eq(projects.id, id));
      return row;
    },
    async lock(id: string): Promise<ProjectRow | undefined> {
      const [row] = await db.select().from(projects).where(eq(projects.id, id)).for('update');
      return row;
    },
    async byTeam(teamId: string): Promise<ProjectRow | undefined> {
      const [row] = await db.select().from(projects).where(eq(projects.teamId, teamId));
      return row;
    },
    async byStakeholder(stakeholderId: string) {
      return db.select({ id: projects.id, title: projects.title, status: projects.status }).from(projects).where(eq(projects.stakeholderId, stakeholderId)).orderBy(asc(projects.title));
    },
    async update(id: string, patch: Partial<ProjectInsert>): Promise<ProjectRow> {
      const [row] = await db.update(projects).set(patch).where(eq(projects.id, id)).returning();
      return row;
    },
    async addScopeChange(values: typeof scopeChanges.$inferInsert): Promise<void> {
      await db.insert(scopeChanges).values(values);
    },
    async scopeHistory(projectId: string, limit: number, offset: number) {
      const rows = await db.select().from(scopeChanges).where(eq(scopeChanges.projectId, projectId)).orderBy(desc(scopeChanges.scopeVersion)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(scopeChanges).where(eq(scopeChanges.projectId, projectId));
      return { rows, total: n };
    },
    async deliverableCounts(projectIds: string[]) {
      if (!projectIds.length) return [];
      return db.select({ projectId: deliverables.projectId, n: sql<number>`count(*)::int` }).from(deliverables).where(inArray(deliverables.projectId, projectIds)).groupBy(deliverables.projectId);
    },
    /** R14: open change requests become withdrawn. */
    async withdrawOpenRequests(projectId: string, at: Date): Promise<void> {
      await db.update(changeRequests).set({ status: 'withdrawn', updatedAt: at }).where(and(eq(changeRequests.projectId, projectId), inArray(changeRequests.status, ['submitted', 'under_review'])));
    },
    async list(f: ProjectFilter, sort: 'title' | 'created_at', dir: 'asc' | 'desc', limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.teamId) c.push(eq(projects.teamId, f.teamId));
      if (f.status) c.push(eq(projects.status, f.status));
      if (f.projectType) c.push(eq(projects.projectType, f.projectType));
      if (f.stakeholderId) c.push(eq(projects.stakeholderId, f.stakeholderId));
      if (f.search) c.push(ilike(projects.title, `%${f.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
      if (f.groupId) c.push(sql`${projects.teamId} IN (SELECT id FROM ${teams} WHERE ${teams.groupId} = ${f.groupId})`);
      if (f.advisorId) c.push(sql`${projects.teamId} IN (SELECT id FROM ${teams} WHERE ${teams.advisorId} = ${f.advisorId})`);
      if (f.teamIds) c.push(f.teamIds.length ? inArray(projects.teamId, f.teamIds) : sql`false`);
      const w = c.length ? and(...c) : undefined;
      const col = sort === 'title' ? projects.title : projects.createdAt;
      const rows = await db.select().from(projects).where(w).orderBy(dir === 'asc' ? asc(col) : desc(col), asc(projects.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(projects).where(w);
      return { rows, total: n };
    },
  };
}
