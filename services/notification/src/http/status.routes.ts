/**
 * N2–N7: bulk send, the caller's notifications, their deliveries, cancellation and the type catalogue.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION, roleGroup } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { BulkService } from '../application/bulk.service.ts';
import type { StatusService } from '../application/status.service.ts';
import { notificationErrors } from '../domain/notification.errors.ts';
import {
  BulkBodySchema, BulkResultSchema, DeliveryListQuery, DeliveryViewSchema, NotificationListQuery, NotificationViewSchema, TypeInfoSchema, TypesQuery,
} from './status.schemas.ts';

const BASE = '/api/v1/notifications';
const tags = ['notifications'];
const security = [{ bearer: [] }];
const readers = requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'service') });

export interface StatusRoutesOptions { status: StatusService; bulk: BulkService }

export const statusRoutes: FastifyPluginAsyncTypebox<StatusRoutesOptions> = async (app, d) => {
  app.post(`${BASE}/bulk`, {
    preHandler: requireAuth({ roles: roleGroup('service', ADMINS) }),
    schema: {
      summary: 'Envío en lote (N2)', description: 'Cada elemento se valida y guarda por separado (R7); 422 si todos se rechazan.', tags, security,
      body: BulkBodySchema,
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
      querystring: NotificationListQuery,
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
      querystring: TypesQuery,
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
      querystring: DeliveryListQuery,
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
};
