/** Project documents and their versions (§3 Document, DocumentVersion). */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { documents, documentVersions } from './db/schema.ts';

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentInsert = typeof documents.$inferInsert;
export type DocumentVersionRow = typeof documentVersions.$inferSelect;

export function createDocumentsRepo(db: Db) {
  return {
    async insert(values: DocumentInsert): Promise<DocumentRow> {
      const [row] = await db.insert(documents).values(values).returning();
      return row;
    },
    async byId(id: string): Promise<DocumentRow | undefined> {
      const [row] = await db.select().from(documents).where(eq(documents.id, id));
      return row;
    },
    async lock(id: string): Promise<DocumentRow | undefined> {
      const [row] = await db.select().from(documents).where(eq(documents.id, id)).for('update');
      return row;
    },
    async titleTaken(projectId: string, title: string): Promise<boolean> {
      const rows = await db.select({ id: documents.id }).from(documents).where(and(eq(documents.projectId, projectId), sql`lower(${documents.title}) = lower(${title})`));
      return rows.length > 0;
    },
    async count(projectId: string): Promise<number> {
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.projectId, projectId));
      return n;
    },
    async update(id: string, patch: Partial<DocumentInsert>): Promise<DocumentRow> {
      const [row] = await db.update(documents).set(patch).where(eq(documents.id, id)).returning();
      return row;
    },
    async delete(id: string): Promise<void> {
      await db.delete(documents).where(eq(documents.id, id));
    },
    async addVersion(values: typeof documentVersions.$inferInsert): Promise<void> {
      await db.insert(documentVersions).values(values);
    },
    async versions(documentId: string): Promise<DocumentVersionRow[]> {
      return db.select().from(documentVersions).where(eq(documentVersions.documentId, documentId)).orderBy(asc(documentVersions.version));
    },
    async countsByStatus(projectId: string) {
      return db.select({ status: documents.status, n: sql<number>`count(*)::int` }).from(documents).where(eq(documents.projectId, projectId)).groupBy(documents.status);
    },
    async list(projectId: string, f: { type?: DocumentRow['documentType']; status?: DocumentRow['status'] }, sort: 'title' | 'updated_at', limit: number, offset: number) {
      const c: SQL[] = [eq(documents.projectId, projectId)];
      if (f.type) c.push(eq(documents.documentType, f.type));
      if (f.status) c.push(eq(documents.status, f.status));
      const w = and(...c);
      const rows = await db.select().from(documents).where(w).orderBy(sort === 'title' ? asc(documents.title) : desc(documents.updatedAt), asc(documents.id)).limit(limit).offset(offset);
      const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(documents).where(w);
      return { rows, total: n };
    },
  };
}
