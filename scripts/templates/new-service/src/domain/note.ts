/**
 * A note, the skeleton's example resource. Pure rules only (no HTTP, no database): what a valid note is,
 * how long an archived one is kept, and the errors its use cases throw, so they are unit-tested without a
 * server (note.test.ts).
 */
import { errors } from '@sicora/platform/errors';

export interface NoteDraft {
  title: string;
  body: string;
}

const DAY_MS = 86_400_000;

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

/**
 * Notes archived before this instant are purged by the run for `slot`. Measured from the slot, not from
 * the moment the run happens, so a late or repeated run deletes the same notes.
 */
export function purgeCutoff(slot: Date, retentionDays: number): Date {
  return new Date(slot.getTime() - retentionDays * DAY_MS);
}
