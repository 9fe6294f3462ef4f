/**
 * Templates T1–T9 (§4.5): admin and coordinador read and preview; only admin changes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { TemplatesService } from '../application/templates.service.ts';
import {
  CreateTemplateBody, NewVersionBody, PatchTemplateBody, PreviewBody, PreviewSchema, RollbackBody, TemplateDetailSchema, TemplateListQuery, TemplateSchema, VersionParams, VersionSchema,
} from './templates.schemas.ts';

const BASE = '/api/v1/notifications/templates';
const tags = ['templates'];
const security = [{ bearer: [] }];
const readers = requireAuth({ roles: COORDINATION });
const admin = requireAuth({ roles: ADMINS });

export interface TemplatesRoutesOptions { templates: TemplatesService }

export const templatesRoutes: FastifyPluginAsyncTypebox<TemplatesRoutesOptions> = async (app, d) => {
  app.get(BASE, {
    preHandler: readers,
    schema: {
      summary: 'Plantillas (T1)', description: 'Con la versión vigente incluida.', tags, security,
      querystring: TemplateListQuery,
      response: { 200: Envelope(Type.Array(TemplateSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const q = request.query;
    parseSort(q.sort, ['type'] as const, { field: 'type', direction: 'asc' });
    const page = pageRequest(q);
    const { items, total } = await d.templates.list(q, page);
    const pagination = paginationMeta(page, total);
    return ok(request, items, { pagination, links: paginationLinks(BASE, q, pagination) });
  });

  app.post(BASE, {
    preHandler: admin,
    schema: {
      summary: 'Crear plantilla (T2)', description: 'Se revisan sintaxis, identificadores inseguros y variables (R46).', tags, security,
      body: CreateTemplateBody,
      response: { 201: Envelope(TemplateSchema), ...errorResponses(401, 403, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(ok(request, await d.templates.create(currentUser(request), request.body as never), { message: 'Plantilla creada' })));

  app.post(`${BASE}/preview`, {
    preHandler: readers,
    schema: {
      summary: 'Vista previa (T9)', description: 'Con `data` o los datos de ejemplo del tipo; no envía ni guarda nada (R48).', tags, security,
      body: PreviewBody,
      response: { 200: Envelope(PreviewSchema), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => ok(request, await d.templates.preview(request.body as never)));

  app.get(`${BASE}/:id`, {
    preHandler: readers,
    schema: { summary: 'Una plantilla (T3)', description: 'Con su historial de versiones.', tags, security, params: IdParams, response: { 200: Envelope(TemplateDetailSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.get(request.params.id)));

  app.put(`${BASE}/:id`, {
    preHandler: admin,
    schema: {
      summary: 'Nueva versión (T4)', description: '`expected_version` debe ser la vigente (409 si no).', tags, security, params: IdParams,
      body: NewVersionBody,
      response: { 200: Envelope(TemplateSchema), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => ok(request, await d.templates.update(currentUser(request), request.params.id, request.body as never), { message: 'Nueva versión creada' }));

  app.patch(`${BASE}/:id`, {
    preHandler: admin,
    schema: { summary: 'Activar o describir (T5)', description: 'Una plantilla inactiva deja las nuevas entregas en `skipped` (template_inactive).', tags, security, params: IdParams, body: PatchTemplateBody, response: { 200: Envelope(TemplateSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.patch(currentUser(request), request.params.id, request.body)));

  app.delete(`${BASE}/:id`, {
    preHandler: admin,
    schema: { summary: 'Eliminar plantilla (T6)', description: 'Las del sistema no se eliminan (409).', tags, security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } },
  }, async (request, reply) => {
    await d.templates.remove(request.params.id);
    return reply.code(204).send(null);
  });

  app.get(`${BASE}/:id/versions/:version`, {
    preHandler: readers,
    schema: { summary: 'Una versión (T7)', description: 'Las versiones son inmutables.', tags, security, params: VersionParams, response: { 200: Envelope(VersionSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.version(request.params.id, request.params.version)));

  app.post(`${BASE}/:id/rollback`, {
    preHandler: admin,
    schema: { summary: 'Restaurar versión (T8)', description: 'Copia una versión anterior como nueva versión.', tags, security, params: IdParams, body: RollbackBody, response: { 200: Envelope(TemplateSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.rollback(currentUser(request), request.params.id, request.body.version), { message: 'Versión restaurada' }));
};
