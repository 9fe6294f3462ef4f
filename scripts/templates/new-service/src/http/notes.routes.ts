/**
 * The notes routes, a Fastify plugin registered by app.ts with the use cases in its options. Handlers
 * are thin: check the role, call the use case, shape the answer. Errors are thrown, never caught here.
 */
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { PEOPLE, PERSONNEL } from '@sicora/platform/roles';
import { toIso } from '@sicora/platform/schemas';
import type { App } from '@sicora/platform/server';
import type { NotesService } from '../application/notes.service.ts';
import type { Note } from '../domain/note.ts';
import { createNoteSchema, getNoteSchema, listNotesSchema } from './notes.schemas.ts';

const BASE = '/api/v1/__name__/notes';

/** The HTTP form of a note: snake_case fields, instants as ISO-8601 UTC strings. */
function noteView(note: Note) {
  return { id: note.id, title: note.title, body: note.body, author_id: note.authorId, created_at: toIso(note.createdAt) };
}

const selfLink = (id: string) => ({ self: { href: `${BASE}/${id}`, method: 'GET' } });

export async function notesRoutes(app: App, opts: { notes: NotesService }): Promise<void> {
  const { notes } = opts;

  app.post(BASE, { preHandler: requireAuth({ roles: PERSONNEL }), schema: createNoteSchema }, async (request, reply) => {
    const note = await notes.create(request.body, currentUser(request).sub);
    return reply.code(201).send(ok(request, noteView(note), { message: 'Nota creada', links: selfLink(note.id) }));
  });

  app.get(BASE, { preHandler: requireAuth({ roles: PEOPLE }), schema: listNotesSchema }, async (request) => {
    const page = pageRequest(request.query);
    const { rows, total } = await notes.list(page);
    const pagination = paginationMeta(page, total);
    return ok(request, rows.map(noteView), { pagination, links: paginationLinks(BASE, request.query, pagination) });
  });

  app.get(`${BASE}/:id`, { preHandler: requireAuth({ roles: PEOPLE }), schema: getNoteSchema }, async (request) => {
    const note = await notes.get(request.params.id);
    return ok(request, noteView(note), { links: selfLink(note.id) });
  });
}
