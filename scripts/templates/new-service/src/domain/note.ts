/**
 * A note, the skeleton's example resource. Pure rules only (no HTTP, no database): what a valid note is
 * and the errors its use cases throw, so they are unit-tested without a server (note.test.ts).
 */
import { errors } from '@sicora/platform/errors';

export interface Note {
  id: string;
  title: string;
  body: string;
  authorId: string;
  createdAt: Date;
}

export interface NoteDraft {
  title: string;
  body: string;
}

/** One factory per error code; the codes are listed in docs/errors.md (a test checks it). */
export const noteErrors = {
  notFound: () => errors.notFound('NOT_FOUND', 'Nota no encontrada'),
  blankTitle: () => errors.validation([{ field: 'title', reason: 'blank', message: 'El título no puede quedar en blanco' }]),
};

/** Surrounding spaces are dropped; a title of spaces only passes the schema's minLength but is no title. */
export function draftNote(input: { title: string; body?: string }): NoteDraft {
  const title = input.title.trim();
  if (title.length === 0) throw noteErrors.blankTitle();
  return { title, body: (input.body ?? '').trim() };
}
