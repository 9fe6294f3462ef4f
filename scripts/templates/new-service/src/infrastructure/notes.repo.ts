/**
 * Every query on `__name__.notes`: explicit Drizzle, plain domain objects out (no Drizzle types leave).
 */
import { count, desc, eq } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import type { Note } from '../domain/note.ts';
import { notes } from './db/schema.ts';

type NoteRow = typeof notes.$inferSelect;

function toNote(row: NoteRow): Note {
  return { id: row.id, title: row.title, body: row.body, authorId: row.authorId, createdAt: row.createdAt };
}

export function createNotesRepo(db: Db) {
  return {
    async insert(note: { title: string; body: string; authorId: string; createdAt: Date }): Promise<Note> {
      const [row] = await db.insert(notes).values(note).returning();
      return toNote(row);
    },

    async get(id: string): Promise<Note | undefined> {
      const [row] = await db.select().from(notes).where(eq(notes.id, id));
      return row ? toNote(row) : undefined;
    },

    async list(page: { limit: number; offset: number }): Promise<{ rows: Note[]; total: number }> {
      // The id breaks ties between notes written in the same instant, so pages never overlap.
      const rows = await db.select().from(notes).orderBy(desc(notes.createdAt), desc(notes.id)).limit(page.limit).offset(page.offset);
      const [{ total }] = await db.select({ total: count() }).from(notes);
      return { rows: rows.map(toNote), total };
    },
  };
}
