/**
 * The notes use cases: domain rules applied to what the repository stores, time from the injected clock.
 */
import { draftNote, noteErrors, type Note } from '../domain/note.ts';
import type { NotesRepo } from './ports.ts';

export interface NotesDeps {
  notes: NotesRepo;
  now: () => Date;
}

export function createNotesService(deps: NotesDeps) {
  return {
    async create(input: { title: string; body?: string }, authorId: string): Promise<Note> {
      const draft = draftNote(input);
      return deps.notes.insert({ ...draft, authorId, createdAt: deps.now() });
    },

    async get(id: string): Promise<Note> {
      const note = await deps.notes.get(id);
      if (!note) throw noteErrors.notFound();
      return note;
    },

    list(page: { limit: number; offset: number }): Promise<{ rows: Note[]; total: number }> {
      return deps.notes.list(page);
    },
  };
}

export type NotesService = ReturnType<typeof createNotesService>;
