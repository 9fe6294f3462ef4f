/**
 * What the use cases need from the outside world, as interfaces: the repositories (and clients of other
 * services) are built in app.ts and handed in, so use cases hold no Drizzle and tests can swap them.
 */
import type { Note } from '../domain/note.ts';

export interface NewNote {
  title: string;
  body: string;
  authorId: string;
  createdAt: Date;
}

export interface NotesRepo {
  insert(note: NewNote): Promise<Note>;
  get(id: string): Promise<Note | undefined>;
  /** Newest first, one page, with the total for the pagination meta. */
  list(page: { limit: number; offset: number }): Promise<{ rows: Note[]; total: number }>;
}
