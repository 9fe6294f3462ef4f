/**
 * The caller's inbox I1, I2, I4–I9 (§4.3). Every person; a `service` token is refused.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAuth, currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { PEOPLE } from '@sicora/platform/roles';
import { ok } from '@sicora/platform/reply';
import type { InboxService } from '../application/inbox.service.ts';
import { InboxItemSchema, InboxListQuery, ItemParams, ReadAllBody, ReadAllResult, ReadManyBody, ReadManyResult, UnreadSchema } from './inbox.schemas.ts';

const BASE = '/api/v1/notifications/inbox';
const tags = ['inbox'];
const guard = requireAuth({ roles: PEOPLE });
const security = [{ bearer: [] }];

export interface InboxRoutesOptions { inbox: InboxService }

export const inboxRoutes: FastifyPluginAsyncTypebox<InboxRoutesOptions> = async (app, d) => {
  app.get(BASE, {
    preHandler: guard,
    schema: {
      summary: 'Mi bandeja (I1)', description: 'Elementos de la bandeja del usuario, más recientes primero; los archivados solo con `include_archived`.', tags, security,
      querystring: InboxListQuery,
      response: { 200: Envelope(Type.Array(InboxItemSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    const sort = parseSort(q.sort, ['created_at', 'priority'] as const, { field: 'created_at', direction: 'desc' });
    const page = pageRequest(q);
    const { items, total } = await d.inbox.list(currentUser(request).sub, q, sort, page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(BASE, q, pagination) });
  });

  app.get(`${BASE}/unread-count`, {
    preHandler: guard,
    schema: {
      summary: 'No leídos (I2)', description: 'Cuántos elementos sin leer hay, por categoría.', tags, security,
      response: { 200: Envelope(UnreadSchema), ...errorResponses(401, 403) },
    },
  }, async (request) => ok(request, await d.inbox.unread(currentUser(request).sub)));

  app.get(`${BASE}/:item_id`, {
    preHandler: guard,
    schema: { summary: 'Un elemento (I4)', description: 'También los archivados.', tags, security, params: ItemParams, response: { 200: Envelope(InboxItemSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.inbox.get(currentUser(request).sub, request.params.item_id)));

  app.post(`${BASE}/:item_id/read`, {
    preHandler: guard,
    schema: { summary: 'Marcar leído (I5)', description: 'Idempotente: conserva la primera fecha de lectura.', tags, security, params: ItemParams, response: { 200: Envelope(InboxItemSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.inbox.read(currentUser(request).sub, request.params.item_id), { message: 'Marcado como leído' }));

  app.post(`${BASE}/:item_id/unread`, {
    preHandler: guard,
    schema: { summary: 'Marcar no leído (I6)', description: 'Borra la fecha de lectura.', tags, security, params: ItemParams, response: { 200: Envelope(InboxItemSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.inbox.unreadOne(currentUser(request).sub, request.params.item_id), { message: 'Marcado como no leído' }));

  app.post(`${BASE}/read`, {
    preHandler: guard,
    schema: {
      summary: 'Marcar varios leídos (I7)', description: 'Los ids que no son del usuario se cuentan en `not_found`.', tags, security,
      body: ReadManyBody,
      response: { 200: Envelope(ReadManyResult), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.inbox.readMany(currentUser(request).sub, request.body.ids)));

  app.post(`${BASE}/read-all`, {
    preHandler: guard,
    schema: {
      summary: 'Marcar todo leído (I8)', description: 'Opcionalmente solo una categoría o lo creado antes de `before`.', tags, security,
      body: ReadAllBody,
      response: { 200: Envelope(ReadAllResult), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.inbox.readAll(currentUser(request).sub, request.body?.category, request.body?.before)));

  app.delete(`${BASE}/:item_id`, {
    preHandler: guard,
    schema: { summary: 'Archivar (I9)', description: 'Sale de listas y conteos; sigue legible por id.', tags, security, params: ItemParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } },
  }, async (request, reply) => {
    await d.inbox.archive(currentUser(request).sub, request.params.item_id);
    return reply.code(204).send(null);
  });
};
