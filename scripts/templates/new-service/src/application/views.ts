/**
 * The API shapes of stored rows: snake_case fields, instants as ISO-8601 UTC strings. Repositories return
 * rows; the use cases answer with these (the response schemas in http/ describe the same fields).
 */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { NoteRow } from './ports.ts';

export function noteView(r: NoteRow) {
  return { id: r.id, title: r.title, body: r.body, author_id: r.authorId, created_at: toIso(r.createdAt), archived_at: toIsoOrNull(r.archivedAt) };
}

export type NoteView = ReturnType<typeof noteView>;
