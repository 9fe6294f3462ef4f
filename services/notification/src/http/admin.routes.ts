/**
 * Administration A1–A10 (§4.6): dead letters and redrive, deliveries and their export, metrics,
 * providers, the test send and the queue. Admin only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { attachment } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { AdminService } from '../application/admin.service.ts';
import type { MetricsService } from '../application/metrics.service.ts';
import type { ExportService } from '../application/export.service.ts';
import { DeliveryViewSchema } from './status.schemas.ts';
import {
  CsvSchema, DeadLetterQuery, DeadLetterSchema, DeliveryDetailSchema, DeliveryExportQuery, DeliveryListQuery, MetricsQuery, MetricsSchema, ProviderSchema, QueueSchema,
  RedriveManyBody, RedriveOneSchema, RedrivenSchema, TestSendBody, TestSendSchema,
} from './admin.schemas.ts';

const BASE = '/api/v1/notifications/admin';
const tags = ['admin'];
const security = [{ bearer: [] }];
const admin = requireAuth({ roles: ADMINS });

export interface AdminRoutesOptions { admin: AdminService; metrics: MetricsService; exporter: ExportService }

export const adminRoutes: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, d) => {
  app.get(`${BASE}/dead-letters`, {
    preHandler: admin,
    schema: {
      summary: 'Entregas fallidas (A1)', description: 'Entregas en `dead` y notificaciones cuya expansión falló (kind `fanout`), más recientes primero (R52).', tags, security,
      querystring: DeadLetterQuery,
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
      body: RedriveManyBody,
      // 503: each redrive re-reads the destination from users (R53) before writing.
      response: { 202: Envelope(RedrivenSchema), ...errorResponses(401, 403, 422, 503) },
    },
  }, async (request, reply) => reply.code(202).send(ok(request, await d.admin.redriveMany(request.body), { message: 'Reintento programado' })));

  app.post(`${BASE}/dead-letters/:id/redrive`, {
    preHandler: admin,
    schema: {
      summary: 'Reintentar una (A2)', description: 'La entrega vuelve a `queued` con destino y plantilla actuales (R53).', tags, security,
      params: IdParams,
      response: { 202: Envelope(RedriveOneSchema), ...errorResponses(401, 403, 404, 409, 422, 503) },
    },
  }, async (request, reply) => reply.code(202).send(ok(request, await d.admin.redrive(request.params.id), { message: 'Reintento programado' })));

  app.get(`${BASE}/deliveries`, {
    preHandler: admin,
    schema: {
      summary: 'Entregas (A4)', description: 'Todas las entregas con filtros, más recientes primero.', tags, security,
      querystring: DeliveryListQuery,
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
      querystring: DeliveryExportQuery,
      response: { 200: CsvSchema, ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    const { filename, stream } = await d.exporter.deliveries(request.query);
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(filename)).send(stream);
  });

  app.get(`${BASE}/deliveries/:id`, {
    preHandler: admin,
    schema: {
      summary: 'Una entrega (A5)', description: 'Con el destino completo y cada intento.', tags, security, params: IdParams,
      response: { 200: Envelope(DeliveryDetailSchema), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => ok(request, await d.admin.delivery(request.params.id)));

  app.get(`${BASE}/metrics`, {
    preHandler: admin,
    schema: {
      summary: 'Métricas de entrega (A7)', description: 'Entregas por franja (hora, o día en Bogotá) y estado; totales, tasa de éxito, latencias, cola y proveedores (R57).', tags, security,
      querystring: MetricsQuery,
      response: { 200: Envelope(MetricsSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await d.metrics.get(request.query)));

  app.get(`${BASE}/providers`, {
    preHandler: admin,
    schema: {
      summary: 'Proveedores (A9)', description: 'Proveedores por canal: configuración, orden, estado del cortacircuitos (el más abierto entre los workers vivos, con su hora de apertura), último error y envíos de las últimas 24 h.', tags, security,
      response: { 200: Envelope(Type.Array(ProviderSchema)), ...errorResponses(401, 403) },
    },
  }, async (request) => ok(request, await d.admin.providers()));

  app.post(`${BASE}/test`, {
    preHandler: admin,
    schema: {
      summary: 'Envío de prueba (A10)', description: 'Un `system.test` al propio administrador por un canal; `to` reemplaza su correo o teléfono.', tags, security,
      body: TestSendBody,
      // 503: the send is stored as N1 stores one (R1), so an unavailable database answers as N1 does.
      response: { 202: Envelope(TestSendSchema), ...errorResponses(401, 403, 422, 503) },
    },
  }, async (request, reply) => reply.code(202).send(ok(request, await d.admin.testSend(currentUser(request), request.body, request.id), { message: 'Mensaje de prueba en camino' })));

  app.get(`${BASE}/queue`, {
    preHandler: admin,
    schema: { summary: 'Cola (A8)', description: 'Profundidad por cola y trabajadores vistos en el último minuto.', tags, security, response: { 200: Envelope(QueueSchema), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, await d.admin.queue()));
};
