/**
 * Administration A1–A5, A8 (§4.6): dead letters and redrive, deliveries, the queue. Admin only.
 */
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { AdminService } from '../application/admin.service.ts';
import type { createMetricsService } from '../application/metrics.service.ts';
import type { createExportService } from '../application/export.service.ts';
import { CHANNELS, DELIVERY_STATUSES } from '../domain/enums.ts';
import { DeliveryViewSchema } from './status.schemas.ts';

const BASE = '/api/v1/notifications/admin';
const tags = ['admin'];
const security = [{ bearer: [] }];
const admin = requireAuth({ roles: ['admin'] });
const Iso = Type.String({ format: 'date-time' });
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const lit = (v: readonly string[]) => Type.Union(v.map((x) => Type.Literal(x)));
const DeadFilters = {
  kind: Type.Optional(lit(['delivery', 'fanout'])), channel: Type.Optional(lit(CHANNELS)), type: Type.Optional(Type.String({ maxLength: 100 })),
  reason: Type.Optional(Type.String({ maxLength: 50 })), from: Type.Optional(Iso), to: Type.Optional(Iso),
};
const DeadLetterSchema = Type.Object({
  id: Type.String(), kind: Type.String(), notification_id: Type.String(), type: Type.String(), channel: N(Type.String()), user_id: N(Type.String()), destination: N(Type.String()),
  reason: N(Type.String()), last_error_code: N(Type.String()), last_error_message: N(Type.String()), attempt_count: Type.Integer(), redrive_count: Type.Integer(), dead_at: Iso,
});
const AttemptSchema = Type.Object({
  attempt_no: Type.Integer(), provider: N(Type.String()), started_at: Iso, finished_at: N(Iso), duration_ms: N(Type.Integer()), outcome: Type.String(), error_code: N(Type.String()),
  error_message: N(Type.String()), http_status: N(Type.Integer()), provider_message_id: N(Type.String()), failover_from: N(Type.String()), warnings: Type.Array(Type.String()),
});
const QueueSchema = Type.Object({
  backend: Type.String(), workers_seen: Type.Integer(),
  queues: Type.Array(Type.Object({ name: Type.String(), waiting: Type.Integer(), active: Type.Integer(), delayed: Type.Integer(), failed: Type.Integer(), oldest_waiting_seconds: N(Type.Integer()) })),
});

export function adminRoutes(app: App, d: { admin: AdminService; metrics: ReturnType<typeof createMetricsService>; exporter: ReturnType<typeof createExportService> }): void {
  app.get(`${BASE}/dead-letters`, {
    preHandler: admin,
    schema: {
      summary: 'Entregas fallidas (A1)', description: 'Entregas en `dead` y notificaciones cuya expansión falló (kind `fanout`), más recientes primero (R52).', tags, security,
      querystring: Type.Object({ ...PageQuery, ...DeadFilters, sort: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Array(DeadLetterSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    parseSort(q.sort, ['dead_at'] as const, { field: 'dead_at', direction: 'desc' });
    const page = pageRequest(q);
    const { items, total } = await d.admin.deadLetters(q, page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(`${BASE}/dead-letters`, q, pagination) });
  });

  app.post(`${BASE}/dead-letters/redrive`, {
    preHandler: admin,
    schema: {
      summary: 'Reintentar varias (A3)', description: 'Por `ids` (máx. 500) o por los filtros de A1; más de 10 000 coincidencias → 422 (R54).', tags, security,
      body: Type.Object({ ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 })), ...DeadFilters }, { additionalProperties: false }),
      response: { 202: Envelope(Type.Object({ redriven: Type.Integer() })), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => reply.code(202).send(ok(request, await d.admin.redriveMany(request.body), { message: 'Reintento programado' })));

  app.post(`${BASE}/dead-letters/:id/redrive`, {
    preHandler: admin,
    schema: {
      summary: 'Reintentar una (A2)', description: 'La entrega vuelve a `queued` con destino y plantilla actuales (R53).', tags, security,
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 202: Envelope(Type.Object({ id: Type.String(), kind: Type.String(), status: Type.String() })), ...errorResponses(401, 403, 404, 409, 422, 503) },
    },
  }, async (request, reply) => reply.code(202).send(ok(request, await d.admin.redrive(request.params.id), { message: 'Reintento programado' })));

  app.get(`${BASE}/deliveries`, {
    preHandler: admin,
    schema: {
      summary: 'Entregas (A4)', description: 'Todas las entregas con filtros, más recientes primero.', tags, security,
      querystring: Type.Object({ ...PageQuery, user_id: Type.Optional(Type.String({ format: 'uuid' })), notification_id: Type.Optional(Type.String({ format: 'uuid' })), type: Type.Optional(Type.String({ maxLength: 100 })), channel: Type.Optional(lit(CHANNELS)), status: Type.Optional(lit(DELIVERY_STATUSES)), from: Type.Optional(Iso), to: Type.Optional(Iso), sort: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Array(DeliveryViewSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    parseSort(q.sort, ['created_at'] as const, { field: 'created_at', direction: 'desc' });
    const page = pageRequest(q);
    const { items, total } = await d.admin.deliveries(q, page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(`${BASE}/deliveries`, q, pagination) });
  });

  app.get(`${BASE}/deliveries/export`, {
    preHandler: admin,
    schema: {
      summary: 'Exportar entregas (A6)', description: 'CSV (UTF-8 con BOM, CRLF) con los filtros de A4; rango de 92 días como máximo, 100 000 filas.', tags, security,
      querystring: Type.Object({ user_id: Type.Optional(Type.String({ format: 'uuid' })), notification_id: Type.Optional(Type.String({ format: 'uuid' })), type: Type.Optional(Type.String({ maxLength: 100 })), channel: Type.Optional(lit(CHANNELS)), status: Type.Optional(lit(DELIVERY_STATUSES)), from: Type.Optional(Iso), to: Type.Optional(Iso) }, { additionalProperties: false }),
      response: { 200: Type.Unknown({ description: 'text/csv' }), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    const { filename, stream } = await d.exporter.deliveries(request.query);
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(stream);
  });

  app.get(`${BASE}/deliveries/:id`, {
    preHandler: admin,
    schema: {
      summary: 'Una entrega (A5)', description: 'Con el destino completo y cada intento.', tags, security, params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 200: Envelope(Type.Intersect([Type.Omit(DeliveryViewSchema, ['destination']), Type.Object({ notification_id: Type.String(), destination: N(Type.String()), redrive_count: Type.Integer(), dead_at: N(Iso), attempts: Type.Array(AttemptSchema) })])), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => ok(request, await d.admin.delivery(request.params.id)));

  app.get(`${BASE}/metrics`, {
    preHandler: admin,
    schema: {
      summary: 'Métricas de entrega (A7)', description: 'Entregas por franja (hora, o día en Bogotá) y estado; totales, tasa de éxito, latencias, cola y proveedores (R57).', tags, security,
      querystring: Type.Object({ from: Type.Optional(Iso), to: Type.Optional(Iso), bucket: Type.Optional(lit(['hour', 'day'])), channel: Type.Optional(lit(CHANNELS)), type: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Record(Type.String(), Type.Unknown())), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.metrics.get(request.query)));

  app.get(`${BASE}/providers`, {
    preHandler: admin,
    schema: {
      summary: 'Proveedores (A9)', description: 'Proveedores por canal: configuración, orden, estado del cortacircuitos (el más abierto entre los workers vivos, con su hora de apertura), último error y envíos de las últimas 24 h.', tags, security,
      response: { 200: Envelope(Type.Array(Type.Object({ name: Type.String(), channel: Type.String(), configured: Type.Boolean(), order: Type.Integer(), circuit: Type.String(), circuit_opened_at: N(Iso), last_error_code: N(Type.String()), last_error_at: N(Iso), sent_24h: Type.Integer(), failed_24h: Type.Integer() }))), ...errorResponses(401, 403) },
    },
  }, async (request) => ok(request, await d.admin.providers()));

  app.post(`${BASE}/test`, {
    preHandler: admin,
    schema: {
      summary: 'Envío de prueba (A10)', description: 'Un `system.test` al propio administrador por un canal; `to` reemplaza su correo o teléfono.', tags, security,
      body: Type.Object({ channel: lit(CHANNELS), to: Type.Optional(Type.String({ minLength: 3, maxLength: 254, pattern: '^([^@\\s]+@[^@\\s]+|\\+[1-9]\\d{6,14})$' })), message: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false }),
      response: { 202: Envelope(Type.Object({ notification_id: Type.String() })), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => reply.code(202).send(ok(request, await d.admin.testSend(currentUser(request), request.body, request.id), { message: 'Mensaje de prueba en camino' })));

  app.get(`${BASE}/queue`, {
    preHandler: admin,
    schema: { summary: 'Cola (A8)', description: 'Profundidad por cola y trabajadores vistos en el último minuto.', tags, security, response: { 200: Envelope(QueueSchema), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, await d.admin.queue()));
}
