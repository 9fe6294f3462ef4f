/** Evaluation sessions, their jurors and agenda (§3 Session, SessionJuror, AgendaItem). */
import { and, asc, desc, eq, gte, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { agendaItems, deliverables, sessionJurors, sessions, submissions, teams } from './db/schema.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type SessionInsert = typeof sessions.$inferInsert;
export type JurorRow = typeof sessionJurors.$inferSelect;
export type AgendaRow = typeof agendaItems.$inferSelect;

export interface SessionFilter {
  status?: SessionRow['status'];
  from?: Date;
  to?: Date;
  jurorId?: string;
  teamId?: string;
  groupId?: string;
  upcomingFrom?: Date;
  /** O1: sessions whose agenda holds one of these teams. */
  teamIds?: string[];
}

const agendaTeam = (teamIdsSql: SQL) =>
  sql`${sessions.id} IN (SELECT a.session_id FROM projecteval.agenda_items a JOIN projecteval.submissions s ON s.id = a.submission_id WHERE s.team_id IN (${teamIdsSql}))`;

export function createSessionsRepo(db: Db) {
  return {
    async insert(values: SessionInsert): Promise<SessionRow> {
      const [row] = await db.insert(sessions).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      return row;
    },
    async lock(id: string): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).for('update');
      return row;
    },
    async update(id: string, patch: Partial<SessionInsert>): Promise<SessionRow> {
      const [row] = await db.update(sessions).set(patch).where(eq(sessions.id, id)).returning();
      return row;
    },
    async jurors(sessionIds: string[]): Promise<JurorRow[]> {
      return sessionIds.length ? db.select().from(sessionJurors).where(inArray(sessionJurors.sessionId, sessionIds)) : [];
    },
    async addJurors(sessionId: string, ids: string[]): Promise<void> {
      if (ids.length) await db.insert(sessionJurors).values(ids.map((instructorId) => ({ sessionId, instructorId }))).onConflictDoUpdate({ target: [sessionJurors.sessionId, sessionJurors.instructorId], set: { status: 'invited', isPanel: false, respondedAt: null, declineReason: null } });
    },
    async updateJuror(sessionId: string, instructorId: string, patch: Partial<typeof sessionJurors.$inferInsert>): Promise<void> {
      await db.update(sessionJurors).set(patch).where(and(eq(sessionJurors.sessionId, sessionId), eq(sessionJurors.instructorId, instructorId)));
    },
    /** R28: confirmed jurors form the panel; invited ones did not answer. */
    async formPanel(sessionId: string, at: Date): Promise<void> {
      await db.update(sessionJurors).set({ isPanel: true }).where(and(eq(sessionJurors.sessionId, sessionId), eq(sessionJurors.status, 'confirmed')));
      await db.update(sessionJurors).set({ status: 'no_response', respondedAt: at }).where(and(eq(sessionJurors.sessionId, sessionId), eq(sessionJurors.status, 'invited')));
    },
    async agenda(sessionIds: string[]) {
      if (!sessionIds.length) return [];
      return db
        .select({ item: agendaItems, teamId: submissions.teamId, teamName: teams.name, deliverableTitle: deliverables.title, status: submissions.status })
        .from(agendaItems)
        .innerJoin(submissions, eq(submissions.id, agendaItems.submissionId))
        .innerJoin(teams, eq(teams.id, submissions.teamId))
        .innerJoin(deliverables, eq(deliverables.id, submissions.deliverableId))
        .where(inArray(agendaItems.sessionId, sessionIds))
        .orderBy(asc(agendaItems.position));
    },
    async replaceAgenda(sessionId: string, submissionIds: string[]): Promise<void> {
      await db.delete(agendaItems).where(eq(agendaItems.sessionId, sessionId));
      if (submissionIds.length) await db.insert(agendaItems).values(submissionIds.map((submissionId, i) => ({ sessionId, submissionId, position: i + 1 })));
    },
    /** R24: non-cancelled sessions other than `exceptId` where the instructor is invited or confirmed. */
    async jurorSessions(instructorIds: string[], exceptId?: string) {
      if (!instructorIds.length) return [];
      const c: SQL[] = [inArray(sessionJurors.instructorId, instructorIds), inArray(sessionJurors.status, ['invited', 'confirmed']), ne(sessions.status, 'cancelled')];
      if (exceptId) c.push(ne(sessions.id, exceptId));
      return db
        .select({ instructorId: sessionJurors.instructorId, session: sessions, agendaCount: sql<number>`(SELECT count(*)::int FROM projecteval.agenda_items a WHERE a.session_id = ${sessions.id})` })
        .from(sessionJurors)
        .innerJoin(sessions, eq(sessions.id, sessionJurors.sessionId))
        .where(and(...c));
    },
    /** R25: non-cancelled sessions (other than `exceptId`) whose agenda holds the team. */
    async teamSessions(teamId: string, exceptId?: string): Promise<SessionRow[]> {
      const c: SQL[] = [ne(sessions.status, 'cancelled'), agendaTeam(sql`${teamId}`)];
      if (exceptId) c.push(ne(sessions.id, exceptId));
      return db.select().from(sessions).where(and(...c));
    },
    async sessionsOfJuror(instructorId: string): Promise<SessionRow[]> {
      return db.select({ s: sessions }).from(sessions).innerJoin(sessionJurors, eq(sessionJurors.sessionId, sessions.id)).where(eq(sessionJurors.instructorId, instructorId)).then((r) => r.map((x) => x.s));
    },
    async list(f: SessionFilter, dir: 'asc' | 'desc', limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.status) c.push(eq(sessions.status, f.status));
      if (f.from) c.push(gte(sessions.startsAt, f.from));
      if (f.to) c.push(lt(sessions.startsAt, f.to));
      if (f.upcomingFrom) c.push(gte(sessions.startsAt, f.upcomingFrom));
      if (f.jurorId) c.push(sql`${sessions.id} IN (SELECT session_id FROM projecteval.session_jurors WHERE instructor_id = ${f.jurorId})`);
      if (f.teamId) c.push(agendaTeam(sql`${f.teamId}`));
      if (f.groupId) c.push(agendaTeam(sql`SELECT id FROM projecteval.teams WHERE group_id = ${f.groupId}`));
      if (f.teamIds) c.push(f.teamIds.length ? agendaTeam(sql.join(f.teamIds.map((id) => sql`${id}`), sql`, `)) : sql`false`);
      const w = c.length ? and(...c) : undefined;
      const rows = await db.select().from(sessions).where(w).orderBy(dir === 'asc' ? asc(sessions.startsAt) : desc(sessions.startsAt), asc(sessions.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(sessions).where(w);
      return { rows, total: n };
    },
    async scheduledBetween(from: Date, to: Date): Promise<SessionRow[]> {
      return db.select().from(sessions).where(and(eq(sessions.status, 'scheduled'), gte(sessions.startsAt, from), lt(sessions.startsAt, to)));
    },
  };
}
