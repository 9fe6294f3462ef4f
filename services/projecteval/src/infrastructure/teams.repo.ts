/** Teams and their memberships (§3 Team, TeamMember): explicit queries, plain rows out. */
import { and, asc, desc, eq, ilike, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { ideas, projects, teamMembers, teams } from './db/schema.ts';

export type TeamRow = typeof teams.$inferSelect;
export type TeamInsert = typeof teams.$inferInsert;
export type MemberRow = typeof teamMembers.$inferSelect;

export interface TeamFilter {
  groupId?: string;
  status?: TeamRow['status'];
  advisorId?: string;
  studentId?: string;
  search?: string;
  /** O1: only these teams. */
  ids?: string[];
}

export function createTeamsRepo(db: Db) {
  const where = (f: TeamFilter): SQL | undefined => {
    const c: SQL[] = [];
    if (f.groupId) c.push(eq(teams.groupId, f.groupId));
    if (f.status) c.push(eq(teams.status, f.status));
    if (f.advisorId) c.push(eq(teams.advisorId, f.advisorId));
    if (f.search) c.push(ilike(teams.name, `%${f.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`));
    if (f.studentId) c.push(sql`${teams.id} IN (SELECT team_id FROM projecteval.team_members WHERE student_id = ${f.studentId})`);
    if (f.ids) c.push(f.ids.length ? inArray(teams.id, f.ids) : sql`false`);
    return c.length ? and(...c) : undefined;
  };
  return {
    async insert(values: TeamInsert): Promise<TeamRow> {
      const [row] = await db.insert(teams).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<TeamRow | undefined> {
      const [row] = await db.select().from(teams).where(eq(teams.id, id));
      return row;
    },
    async byIds(ids: string[]): Promise<TeamRow[]> {
      return ids.length ? db.select().from(teams).where(inArray(teams.id, ids)) : [];
    },
    async lock(id: string): Promise<TeamRow | undefined> {
      const [row] = await db.select().from(teams).where(eq(teams.id, id)).for('update');
      return row;
    },
    async nameTaken(groupId: string, name: string, exceptId?: string): Promise<boolean> {
      const rows = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.groupId, groupId), sql`lower(${teams.name}) = lower(${name})`));
      return rows.some((r) => r.id !== exceptId);
    },
    async update(id: string, patch: Partial<TeamInsert>): Promise<TeamRow> {
      const [row] = await db.update(teams).set(patch).where(eq(teams.id, id)).returning();
      return row;
    },
    async delete(id: string): Promise<void> {
      await db.delete(teams).where(eq(teams.id, id));
    },
    async list(f: TeamFilter, sort: 'name' | 'created_at', dir: 'asc' | 'desc', limit: number, offset: number) {
      const w = where(f);
      const col = sort === 'name' ? teams.name : teams.createdAt;
      const rows = await db.select().from(teams).where(w).orderBy(dir === 'asc' ? asc(col) : desc(col), asc(teams.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(teams).where(w);
      return { rows, total: n };
    },
    async members(teamIds: string[]): Promise<MemberRow[]> {
      return teamIds.length ? db.select().from(teamMembers).where(inArray(teamMembers.teamId, teamIds)).orderBy(asc(teamMembers.joinedAt)) : [];
    },
    async openMembers(teamId: string): Promise<MemberRow[]> {
      return db.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), isNull(teamMembers.leftAt))).orderBy(asc(teamMembers.joinedAt));
    },
    /** The open memberships of these students anywhere (R2). */
    async openMembershipsOf(studentIds: string[]): Promise<MemberRow[]> {
      return studentIds.length ? db.select().from(teamMembers).where(and(inArray(teamMembers.studentId, studentIds), isNull(teamMembers.leftAt))) : [];
    },
    async addMembers(rows: Array<typeof teamMembers.$inferInsert>): Promise<void> {
      if (rows.length) await db.insert(teamMembers).values(rows);
    },
    async leave(teamId: string, studentId: string | undefined, at: Date): Promise<void> {
      const c = [eq(teamMembers.teamId, teamId), isNull(teamMembers.leftAt)];
      if (studentId) c.push(eq(teamMembers.studentId, studentId));
      await db.update(teamMembers).set({ leftAt: at }).where(and(...c));
    },
    /** O1: every team the student is or was a member of. */
    async teamIdsOf(studentId: string): Promise<string[]> {
      const rows = await db.selectDistinct({ id: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.studentId, studentId));
      return rows.map((r) => r.id);
    },
    async ideaCounts(teamIds: string[]): Promise<Array<{ teamId: string; status: string; n: number }>> {
      if (!teamIds.length) return [];
      return db.select({ teamId: ideas.teamId, status: ideas.status, n: sql<number>`count(*)::int` }).from(ideas).where(inArray(ideas.teamId, teamIds)).groupBy(ideas.teamId, ideas.status);
    },
    async projectsOf(teamIds: string[]) {
      if (!teamIds.length) return [];
      return db.select({ id: projects.id, teamId: projects.teamId, title: projects.title, status: projects.status }).from(projects).where(inArray(projects.teamId, teamIds));
    },
  };
}
