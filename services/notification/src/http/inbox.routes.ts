/**
 * The caller's inbox I1, I2, I4–I9 (§4.3). Every person; a `service` token is refused.
 */
import { Type } from 'typebox';
import { requireAuth, currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { PERSON_ROLES } from '@sicora/platform/roles';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { InboxService } from '../application/inbox.service.ts';
import { CATEGORIES, PRIORITIES } from '../domain/enums.ts';

const BASE = '/api/v1/notifications/inbox';
const tags = ['inbox'];
const Iso = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
export const InboxItemSchema = Type.Object({
  id: Type.String(), notification_id: Type.String(), type: Type.String(), category: Type.String(), priority: Type.String(), title: Type.String(), body: Type.String(),
  action_url: Nullable(Type.String()), entity_type: Nullable(Type.String()), entity_id: Nullable(Type.String()), created_at: Iso,
  read_at: Nullable(Iso), is_read: Type.Boolean(), archived_at: Nullable(Iso),
});
const ItemParams = Type.Object({ item_id: Type.String({ format: 'uuid' }) });
const guard = requireAuth({ roles: PERSON_ROLES });
const security = [{ bearer: [] }];

export function inboxRoutes(app: App, d: { inbox: InboxService }): void {
  app.get(BASE, {
    preHandler: guard,
    schema: {
      summary: 'Mi bandeja (I1)', description: 'Elementos de la bandeja del usuario, más recientes primero; los archivados solo con `include_archived`.', tags, security,
      querystring: Type.Object({
        ...PageQuery, is_read: Type.Optional(Type.Boolean()), category: Type.Optional(Type.Union(CATEGORIES.map((c) => Type.Literal(c)))),
        priority: Type.Optional(Type.Union(PRIORITIES.map((p) => Type.Literal(p)))), from: Type.Optional(Iso), to: Type.Optional(Iso),
        include_archived: Type.Optional(Type.Boolean()), sort: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
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
      response: { 200: Envelope(Type.Object({ unread: Type.Integer(), by_category: Type.Record(Type.String(), Type.Integer()), latest_at: Nullable(Iso) })), ...errorResponses(401, 403) },
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
      body: Type.Object({ ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Object({ updated: Type.Integer(), not_found: Type.Integer() })), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.inbox.readMany(currentUser(request).sub, request.body.ids)));

  app.post(`${BASE}/read-all`, {
    preHandler: guard,
    schema: {
      summary: 'Marcar todo leído (I8)', description: 'Opcionalmente solo una categoría o lo creado antes de `before`.', tags, security,
      body: Type.Optional(Type.Object({ category: Type.Optional(Type.Union(CATEGORIES.map((c) => Type.Literal(c)))), before: Type.Optional(Iso) }, { additionalProperties: false })),
      response: { 200: Envelope(Type.Object({ updated: Type.Integer() })), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.inbox.readAll(currentUser(request).sub, request.body?.category, request.body?.before)));

  app.delete(`${BASE}/:item_id`, {
    preHandler: guard,
    schema: { summary: 'Archivar (I9)', description: 'Sale de listas y conteos; sigue legible por id.', tags, security, params: ItemParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } },
  }, async (request, reply) => {
    await d.inbox.archive(currentUser(request).sub, request.params.item_id);
    return reply.code(204).send(null);
  });
}
