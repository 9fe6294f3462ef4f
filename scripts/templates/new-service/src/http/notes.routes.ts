/**
 * The notes routes, a Fastify plugin registered by app.ts with the use cases in its options. Handlers
 * are thin: check the role, call the use case, wrap its view in the envelope. Errors are thrown, never
 * caught here.
 */
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { PEOPLE, PERSONNEL } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { NotesService } from '../application/notes.service.ts';
import { archiveNoteSchema, createNoteSchema, getNoteSchema, listNotesSchema } from './notes.schemas.ts';

export interface NotesRoutesOptions {
  notes: NotesService;
}

const BASE = '/api/v1/__name__/notes';

const selfLink = (id: string) => ({ self: { href: `${BASE}/${id}`, method: 'GET' } });

export const notesRoutes: RoutesPlugin<NotesRoutesOptions> = async (app, { notes }) => {
  app.post(BASE, { preHandler: requireAuth({ roles: PERSONNEL }), schema: createNoteSchema }, async (request, reply) => {
    const note = await notes.create(request.body, currentUser(request));
    return reply.code(201).send(ok(request, note, { message: 'Nota creada', links: selfLink(note.id) }));
  });

  app.get(BASE, { preHandler: requireAuth({ roles: PEOPLE }), schema: listNotesSchema }, async (request) => {
    const page = pageRequest(request.query);
    const { items, total } = await notes.list(page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(BASE, request.query, pagination) });
  });

  app.get(`${BASE}/:id`, { preHandler: requireAuth({ roles: PEOPLE }), schema: getNoteSchema }, async (request) => {
    const note = await notes.get(request.params.id);
    return ok(request, note, { links: selfLink(note.id) });
  });

  app.post(`${BASE}/:id/archive`, { preHandler: requireAuth({ roles: PERSONNEL }), schema: archiveNoteSchema }, async (request) => {
    const note = await notes.archive(request.params.id);
    return ok(request, note, { message: 'Nota archivada', links: selfLink(note.id) });
  });
};
