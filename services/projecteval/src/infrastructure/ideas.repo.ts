/** Ideas (§3 Idea). */
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { ideas, teams } from './db/schema.ts';

export type IdeaRow = typeof ideas.$inferSelect;
export type IdeaInsert = typeof ideas.$inferInsert;

export interface IdeaFilter {
  teamId?: string;
  groupId?: string;
  status?: IdeaRow['status'];
  teamIds?: string[];
}

export function createIdeasRepo(db: Db) {
  return {
    async insert(values: IdeaInsert): Promise<IdeaRow> {
      const [row] = await db.insert(ideas).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<IdeaRow | undefined> {
      const [row] = await db.select().from(ideas).where(eq(ideas.id, id));
      return row;
    },
    async update(id: string, patch: Partial<IdeaInsert>): Promise<IdeaRow> {
      const [row] = await db.update(ideas).set(patch).where(eq(ideas.id, id)).returning();
      return row;
    },
    async ofTeam(teamId: string): Promise<IdeaRow[]> {
      return db.select().from(ideas).where(eq(ideas.teamId, teamId)).orderBy(asc(ideas.createdAt));
    },
    async countNonWithdrawn(teamId: string): Promise<number> {
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(ideas).where(and(eq(ideas.teamId, teamId), ne(ideas.status, 'withdrawn')));
      return n;
    },
    /** R9: the team's other open ideas become not_selected; returns them. */
    async markNotSelected(teamId: string, exceptId: string, at: Date, by: string): Promise<IdeaRow[]> {
      return db
        .update(ideas)
        .set({ status: 'not_selected', decidedAt: at, decidedBy: by, updatedAt: at })
        .where(and(eq(ideas.teamId, teamId), ne(ideas.id, exceptId), inArray(ideas.status, ['proposed', 'revision_requested'])))
        .returning();
    },
    async list(f: IdeaFilter, sort: 'created_at' | 'title', dir: 'asc' | 'desc', limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.teamId) c.push(eq(ideas.teamId, f.teamId));
      if (f.status) c.push(eq(ideas.status, f.status));
      if (f.groupId) c.push(sql`${ideas.teamId} IN (SELECT id FROM ${teams} WHERE ${teams.groupId} = ${f.groupId})`);
      if (f.teamIds) c.push(f.teamIds.length ? inArray(ideas.teamId, f.teamIds) : sql`false`);
      const w = c.length ? and(...c) : undefined;
      const col = sort === 'title' ? ideas.title : ideas.createdAt;
      const rows = await db.select().from(ideas).where(w).orderBy(dir === 'asc' ? asc(col) : desc(col), asc(ideas.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(ideas).where(w);
      return { rows, total: n };
    },
  };
}
