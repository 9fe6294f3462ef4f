/**
 * Every query on `__name__.notes`: explicit Drizzle, plain rows out (no query builder leaves this file).
 */
import { count, desc, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { notes } from './db/schema.ts';

export type NoteRow = typeof notes.$inferSelect;
export type NoteInsert = typeof notes.$inferInsert;

export function createNotesRepo(db: Db) {
  return {
    async insert(values: NoteInsert): Promise<NoteRow> {
      const [row] = await db.insert(notes).values(values).returning();
      return row;
    },

    async get(id: string): Promise<NoteRow | undefined> {
      const [row] = await db.select().from(notes).where(eq(notes.id, id));
      return row;
    },

    /** The row locked until the transaction ends: call it on the unit of work's repositories. */
    async getForUpdate(id: string): Promise<NoteRow | undefined> {
      const [row] = await db.select().from(notes).where(eq(notes.id, id)).for('update');
      return row;
    },

    /** The notes not archived, newest first, one page, with the total for the pagination meta. */
    async list(page: { limit: number; offset: number }): Promise<{ rows: NoteRow[]; total: number }> {
      const listed = isNull(notes.archivedAt);
      // The id breaks ties between notes written in the same instant, so pages never overlap.
      const rows = await db.select().from(notes).where(listed).orderBy(desc(notes.createdAt), desc(notes.id)).limit(page.limit).offset(page.offset);
      const [{ total }] = await db.select({ total: count() }).from(notes).where(listed);
      return { rows, total };
    },

    async archive(id: string, at: Date): Promise<NoteRow> {
      const [row] = await db.update(notes).set({ archivedAt: at }).where(eq(notes.id, id)).returning();
      return row;
    },

    /** Deletes the notes archived before `before`; how many went. */
    async purgeArchived(before: Date): Promise<number> {
      const gone = await db.delete(notes).where(lt(notes.archivedAt, before)).returning({ id: notes.id });
      return gone.length;
    },
  };
}

export type NotesRepo = ReturnType<typeof createNotesRepo>;
