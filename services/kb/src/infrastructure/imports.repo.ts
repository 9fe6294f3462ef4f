/** PDF imports (§3.3 pdf_imports, pdf_import_files). */
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { pdfImportFiles, pdfImports } from './db/schema.ts';
import { pgArray, rowsOf } from './rows.ts';

export type ImportRow = typeof pdfImports.$inferSelect;

export function createImportsRepo(db: Db) {
  return {
    async insert(values: typeof pdfImports.$inferInsert, bytes: Buffer): Promise<ImportRow> {
      const [row] = await db.insert(pdfImports).values(values).returning();
      await db.insert(pdfImportFiles).values({ importId: row!.id, bytes });
      return row!;
    },
    async findById(id: string): Promise<ImportRow | undefined> {
      const [row] = await db.select().from(pdfImports).where(eq(pdfImports.id, id));
      return row;
    },
    /** R26: a completed import of the same file whose items are not all deleted. */
    async duplicateOf(sha256: string): Promise<string | undefined> {
      const rows = rowsOf<{ id: string }>(
        await db.execute(sql`SELECT p.id FROM kb.pdf_imports p WHERE p.sha256 = ${sha256} AND p.status = 'completed'
          AND EXISTS (SELECT 1 FROM kb.items i WHERE i.id = ANY(p.created_item_ids) AND i.deleted_at IS NULL) ORDER BY p.created_at DESC LIMIT 1`),
      );
      return rows[0]?.id;
    },
    async list(f: { uploadedBy?: string; status?: string }, page: { limit: number; offset: number }): Promise<{ rows: ImportRow[]; total: number }> {
      const where: SQL[] = [];
      if (f.uploadedBy) where.push(eq(pdfImports.uploadedBy, f.uploadedBy));
      if (f.status) where.push(eq(pdfImports.status, f.status as ImportRow['status']));
      const cond = where.length ? and(...where) : undefined;
      const rows = await db.select().from(pdfImports).where(cond).orderBy(desc(pdfImports.createdAt), desc(pdfImports.id)).limit(page.limit).offset(page.offset);
      const [c] = await db.select({ n: sql<number>`count(*)::int` }).from(pdfImports).where(cond);
      return { rows, total: Number(c?.n ?? 0) };
    },
    /** The oldest queued import whose retry time (R27) has come. */
    async nextQueued(now: Date): Promise<ImportRow | undefined> {
      const [row] = await db
        .select()
        .from(pdfImports)
        .where(and(eq(pdfImports.status, 'queued'), sql`coalesce((${pdfImports.options}->>'retry_at')::timestamptz, '-infinity') <= ${now.toISOString()}::timestamptz`))
        .orderBy(asc(pdfImports.createdAt))
        .limit(1);
      return row;
    },
    /** R27: an internal failure puts the import back in the queue until `retry_at`. */
    async requeue(id: string, options: Record<string, unknown>): Promise<void> {
      await db.update(pdfImports).set({ status: 'queued', startedAt: null, options }).where(eq(pdfImports.id, id));
    },
    /** Claims a queued import (one replica wins). */
    async claim(id: string, at: Date): Promise<boolean> {
      const rows = await db.update(pdfImports).set({ status: 'processing', startedAt: at }).where(and(eq(pdfImports.id, id), eq(pdfImports.status, 'queued'))).returning({ id: pdfImports.id });
      return rows.length > 0;
    },
    async file(id: string): Promise<Buffer | undefined> {
      const [row] = await db.select({ bytes: pdfImportFiles.bytes }).from(pdfImportFiles).where(eq(pdfImportFiles.importId, id));
      return row?.bytes;
    },
    async finish(id: string, patch: Partial<typeof pdfImports.$inferInsert>): Promise<ImportRow> {
      const [row] = await db.update(pdfImports).set(patch).where(eq(pdfImports.id, id)).returning();
      await db.delete(pdfImportFiles).where(eq(pdfImportFiles.importId, id));
      return row!;
    },
    async itemTitles(ids: string[]): Promise<Array<{ id: string; title: string; status: string }>> {
      if (ids.length === 0) return [];
      return rowsOf<{ id: string; title: string; status: string }>(await db.execute(sql`SELECT id, title, status FROM kb.items WHERE id = ANY(${pgArray(ids)}::uuid[]) ORDER BY created_at, title`));
    },
  };
}

export type ImportsRepo = ReturnType<typeof createImportsRepo>;
