/** Submissions, their files and the stored-file records (§3 Submission, SubmissionFile, StoredFile; §6). */
import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { agendaItems, documentVersions, sessions, storedFiles, submissionFiles, submissions, teams } from './db/schema.ts';

export type SubmissionRow = typeof submissions.$inferSelect;
export type SubmissionInsert = typeof submissions.$inferInsert;
export type StoredFileRow = typeof storedFiles.$inferSelect;
export type StoredFileInsert = typeof storedFiles.$inferInsert;
export type SubmissionFileRow = typeof submissionFiles.$inferSelect;

export interface SubmissionFilter {
  deliverableId?: string;
  projectId?: string;
  teamId?: string;
  groupId?: string;
  studentId?: string;
  status?: SubmissionRow['status'];
  includeSuperseded?: boolean;
  teamIds?: string[];
}

export function createSubmissionsRepo(db: Db) {
  return {
    async insert(values: SubmissionInsert): Promise<SubmissionRow> {
      const [row] = await db.insert(submissions).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<SubmissionRow | undefined> {
      const [row] = await db.select().from(submissions).where(eq(submissions.id, id));
      return row;
    },
    async byIds(ids: string[]): Promise<SubmissionRow[]> {
      return ids.length ? db.select().from(submissions).where(inArray(submissions.id, ids)) : [];
    },
    async lock(id: string): Promise<SubmissionRow | undefined> {
      const [row] = await db.select().from(submissions).where(eq(submissions.id, id)).for('update');
      return row;
    },
    async current(deliverableId: string, teamId: string): Promise<SubmissionRow | undefined> {
      const [row] = await db.select().from(submissions).where(and(eq(submissions.deliverableId, deliverableId), eq(submissions.teamId, teamId), ne(submissions.status, 'superseded')));
      return row;
    },
    async currentOf(deliverableIds: string[]): Promise<SubmissionRow[]> {
      return deliverableIds.length ? db.select().from(submissions).where(and(inArray(submissions.deliverableId, deliverableIds), ne(submissions.status, 'superseded'))) : [];
    },
    async lastVersion(deliverableId: string, teamId: string): Promise<number> {
      const [{ v }] = await db.select({ v: sql<number>`coalesce(max(${submissions.version}), 0)::int` }).from(submissions).where(and(eq(submissions.deliverableId, deliverableId), eq(submissions.teamId, teamId)));
      return v;
    },
    async update(id: string, patch: Partial<SubmissionInsert>): Promise<SubmissionRow> {
      const [row] = await db.update(submissions).set(patch).where(eq(submissions.id, id)).returning();
      return row;
    },
    async setStatus(ids: string[], status: SubmissionRow['status'], at: Date): Promise<void> {
      if (ids.length) await db.update(submissions).set({ status, updatedAt: at }).where(inArray(submissions.id, ids));
    },
    /** The non-cancelled sessions whose agenda holds this submission. */
    async activeAgendaSessions(submissionId: string): Promise<string[]> {
      const rows = await db.select({ id: agendaItems.sessionId }).from(agendaItems).innerJoin(sessions, eq(sessions.id, agendaItems.sessionId)).where(and(eq(agendaItems.submissionId, submissionId), ne(sessions.status, 'cancelled')));
      return rows.map((r) => r.id);
    },
    async insertFile(values: StoredFileInsert): Promise<void> {
      await db.insert(storedFiles).values(values);
    },
    async attach(rows: Array<typeof submissionFiles.$inferInsert>): Promise<void> {
      if (rows.length) await db.insert(submissionFiles).values(rows);
    },
    async files(submissionIds: string[]) {
      if (!submissionIds.length) return [];
      return db.select({ link: submissionFiles, file: storedFiles }).from(submissionFiles).innerJoin(storedFiles, eq(storedFiles.id, submissionFiles.storedFileId)).where(inArray(submissionFiles.submissionId, submissionIds)).orderBy(asc(storedFiles.createdAt));
    },
    async storedFile(id: string): Promise<StoredFileRow | undefined> {
      const [row] = await db.select().from(storedFiles).where(eq(storedFiles.id, id));
      return row;
    },
    async deleteStoredFiles(ids: string[]): Promise<void> {
      if (ids.length) await db.delete(storedFiles).where(inArray(storedFiles.id, ids));
    },
    async documentVersionFile(documentId: string, version: number): Promise<StoredFileRow | undefined> {
      const [row] = await db.select({ f: storedFiles }).from(documentVersions).innerJoin(storedFiles, eq(storedFiles.id, documentVersions.storedFileId)).where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.version, version)));
      return row?.f;
    },
    async list(f: SubmissionFilter, sort: 'submitted_at' | 'published_at', limit: number, offset: number) {
      const c: SQL[] = [];
      if (f.deliverableId) c.push(eq(submissions.deliverableId, f.deliverableId));
      if (f.projectId) c.push(eq(submissions.projectId, f.projectId));
      if (f.teamId) c.push(eq(submissions.teamId, f.teamId));
      if (f.status) c.push(eq(submissions.status, f.status));
      if (!f.includeSuperseded && f.status !== 'superseded') c.push(ne(submissions.status, 'superseded'));
      if (f.groupId) c.push(sql`${submissions.teamId} IN (SELECT id FROM ${teams} WHERE ${teams.groupId} = ${f.groupId})`);
      if (f.studentId) c.push(sql`${submissions.teamId} IN (SELECT team_id FROM projecteval.team_members WHERE student_id = ${f.studentId})`);
      if (f.teamIds) c.push(f.teamIds.length ? inArray(submissions.teamId, f.teamIds) : sql`false`);
      const w = c.length ? and(...c) : undefined;
      const col = sort === 'published_at' ? submissions.publishedAt : submissions.submittedAt;
      const rows = await db.select().from(submissions).where(w).orderBy(sql`${desc(col)} NULLS LAST`, asc(submissions.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(submissions).where(w);
      return { rows, total: n };
    },
  };
}
