/**
 * N2–N7: bulk send, the caller's notifications, their deliveries, cancellation and the type catalogue.
 */
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { BulkService } from '../application/bulk.service.ts';
import type { StatusService } from '../application/status.service.ts';
import { notificationErrors } from '../domain/notification.errors.ts';
import { CATEGORIES, CHANNELS, DELIVERY_STATUSES, NOTIFICATION_STATUSES } from '../domain/enums.ts';
import { BulkResultSchema, DeliveryViewSchema, NotificationViewSchema, TypeInfoSchema } from './status.schemas.ts';

const BASE = '/api/v1/notifications';
const tags = ['notifications'];
const security = [{ bearer: [] }];
const Iso = Type.String({ format: 'date-time' });
const lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const readers = requireAuth({ roles: ['admin', 'coordinador', 'instructor', 'service'] });

export function statusRoutes(app: App, d: { status: StatusService; bulk: BulkService }): void {
  app.post(`${BASE}/bulk`, {
    preHandler: requireAuth({ roles: ['service', 'admin'] }),
    schema: {
      summary: 'Envío en lote (N2)', description: 'Cada elemento se valida y guarda por separado (R7); 422 si todos se rechazan.', tags, security,
      body: Type.Object({ items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false }),
      response: { 202: Envelope(BulkResultSchema), ...errorResponses(401, 403, 413, 422, 503) },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    if (user.role === 'admin' && request.body.items.some((i) => (i as { type?: unknown })?.type !== 'manual.announcement')) {
      throw notificationErrors.typeNotAllowed();
    }
    return reply.code(202).send(ok(request, await d.bulk.send(request.body.items, user, request.id), { message: 'Lote recibido' }));
  });

  app.get(BASE, {
    preHandler: readers,
    schema: {
      summary: 'Notificaciones enviadas (N3)', description: 'El administrador ve todas; los demás, las que ellos solicitaron (O2).', tags, security,
      querystring: Type.Object({
        ...PageQuery, status: Type.Optional(lit(NOTIFICATION_STATUSES)), type: Type.Optional(Type.String({ maxLength: 100 })), source: Type.Optional(Type.String({ maxLength: 50 })),
        entity_type: Type.Optional(Type.String({ maxLength: 50 })), entity_id: Type.Optional(Type.String({ maxLength: 100 })), from: Type.Optional(Iso), to: Type.Optional(Iso), sort: Type.Optional(Type.String()),
      }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Array(NotificationViewSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    const sort = parseSort(q.sort, ['created_at'] as const, { field: 'created_at', direction: 'desc' });
    const page = pageRequest(q);
    const { items, total } = await d.status.list(currentUser(request), q, sort.direction, page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(BASE, q, pagination) });
  });

  app.get(`${BASE}/types`, {
    preHandler: readers,
    schema: {
      summary: 'Catálogo de tipos (N7)', description: 'Tipos aceptados con prioridad, canales, banderas, variables, datos de ejemplo y plantillas.', tags, security,
      querystring: Type.Object({ category: Type.Optional(lit(CATEGORIES)) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Array(TypeInfoSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.status.types(request.query.category)));

  app.get(`${BASE}/:id`, {
    preHandler: readers,
    schema: { summary: 'Una notificación (N4)', description: 'Estado, conteos por canal y estado; datos sensibles como "***".', tags, security, params: IdParams, response: { 200: Envelope(NotificationViewSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.status.get(currentUser(request), request.params.id)));

  app.get(`${BASE}/:id/deliveries`, {
    preHandler: readers,
    schema: {
      summary: 'Entregas de una notificación (N5)', description: 'Una por destinatario y canal, con el destino enmascarado (O5).', tags, security, params: IdParams,
      querystring: Type.Object({ ...PageQuery, status: Type.Optional(lit(DELIVERY_STATUSES)), channel: Type.Optional(lit(CHANNELS)), user_id: Type.Optional(Type.String({ format: 'uuid' })), sort: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Array(DeliveryViewSchema)), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => {
    const q = request.query;
    const sort = parseSort(q.sort, ['user_id', 'updated_at'] as const, { field: 'user_id', direction: 'asc' });
    const page = pageRequest(q);
    const { items, total } = await d.status.deliveries(currentUser(request), request.params.id, q, sort, page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(`${BASE}/${request.params.id}/deliveries`, q, pagination) });
  });

  app.post(`${BASE}/:id/cancel`, {
    preHandler: readers,
    schema: { summary: 'Cancelar (N6)', description: 'Las entregas aún no enviadas quedan canceladas (R24).', tags, security, params: IdParams, response: { 200: Envelope(NotificationViewSchema), ...errorResponses(401, 403, 404, 409, 422) } },
  }, async (request) => ok(request, await d.status.cancel(currentUser(request), request.params.id), { message: 'Notificación cancelada' }));
}
