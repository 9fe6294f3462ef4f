/**
 * The notes use cases: domain rules applied to what the repositories store, time from the injected clock.
 */
import { draftNote, noteErrors, purgeCutoff } from '../domain/note.ts';
import type { Actor, Deps } from './context.ts';
import { noteView } from './views.ts';

export function createNotesService(deps: Pick<Deps, 'repos' | 'withTransaction' | 'now'>) {
  const repo = deps.repos.notes;

  return {
    async create(input: { title: string; body?: string }, actor: Actor) {
      const draft = draftNote(input);
      return noteView(await repo.insert({ ...draft, authorId: actor.sub, createdAt: deps.now() }));
    },

    async get(id: string) {
      const row = await repo.get(id);
      if (!row) throw noteErrors.notFound();
      return noteView(row);
    },

    async list(page: { limit: number; offset: number }) {
      const { rows, total } = await repo.list(page);
      return { items: rows.map(noteView), total };
    },

    /** Idempotent: archiving an archived note keeps its first instant, so the purge date does not move. */
    async archive(id: string) {
      // Read and write in one unit of work (the row locked), so two archivers agree on the instant. A
      // notification of the change would be enqueued here, through `tx`, to commit with it (app.ts, outbox).
      return deps.withTransaction(async (tx) => {
        const row = await tx.notes.getForUpdate(id);
        if (!row) throw noteErrors.notFound();
        return noteView(row.archivedAt ? row : await tx.notes.archive(id, deps.now()));
      });
    },
  };
}

export type NotesService = ReturnType<typeof createNotesService>;

/** The daily purge (notes.job.ts): notes archived more than `retentionDays` before the slot go. */
export function purgeArchivedNotes(deps: Pick<Deps, 'repos'>, slot: Date, retentionDays: number): Promise<number> {
  return deps.repos.notes.purgeArchived(purgeCutoff(slot, retentionDays));
}
