/**
 * Templates T1–T9 (§4.5): admin and coordinador read and preview; only admin changes.
 */
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest, paginationLinks, paginationMeta, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { TemplatesService } from '../application/templates.service.ts';
import { CATEGORIES, CHANNELS, TYPE_PATTERN } from '../domain/enums.ts';

const BASE = '/api/v1/notifications/templates';
const tags = ['templates'];
const security = [{ bearer: [] }];
const readers = requireAuth({ roles: ['admin', 'coordinador'] });
const admin = requireAuth({ roles: ['admin'] });
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const lit = (v: readonly string[]) => Type.Union(v.map((x) => Type.Literal(x)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const TemplateSchema = Type.Object({
  id: Type.String(), type: Type.String(), channel: Type.String(), locale: Type.String(), category: Type.String(), is_active: Type.Boolean(), is_system: Type.Boolean(),
  description: N(Type.String()), current_version: Type.Integer(), subject: N(Type.String()), body_text: Type.String(), body_html: N(Type.String()),
  created_at: Type.String(), updated_at: Type.String(), updated_by: N(Type.String()),
});
const VersionMeta = Type.Object({ version: Type.Integer(), change_note: N(Type.String()), created_by: N(Type.String()), created_at: Type.String() });
const VersionSchema = Type.Object({ version: Type.Integer(), subject: N(Type.String()), body_text: Type.String(), body_html: N(Type.String()), change_note: N(Type.String()), created_by: N(Type.String()), created_at: Type.String() });
const PreviewSchema = Type.Object({
  subject: N(Type.String()), text: Type.String(), html: N(Type.String()),
  sms: N(Type.Object({ encoding: Type.String(), length: Type.Integer(), segments: Type.Integer() })), warnings: Type.Array(Type.String()),
});

export function templatesRoutes(app: App, d: { templates: TemplatesService }): void {
  app.get(BASE, {
    preHandler: readers,
    schema: {
      summary: 'Plantillas (T1)', description: 'Con la versión vigente incluida.', tags, security,
      querystring: Type.Object({ ...PageQuery, type: Type.Optional(Type.String({ maxLength: 100 })), channel: Type.Optional(lit(CHANNELS)), locale: Type.Optional(Type.String({ maxLength: 35 })), category: Type.Optional(lit(CATEGORIES)), is_active: Type.Optional(Type.Boolean()), is_system: Type.Optional(Type.Boolean()), sort: Type.Optional(Type.String()) }, { additionalProperties: false }),
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
      body: Type.Object({ type: Type.String({ pattern: TYPE_PATTERN, maxLength: 100 }), channel: lit(CHANNELS), locale: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' })), subject: Type.Optional(Text(500)), body_text: Text(20_000), body_html: Type.Optional(Text(100_000)), description: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false }),
      response: { 201: Envelope(TemplateSchema), ...errorResponses(401, 403, 409, 422) },
    },
  }, async (request, reply) => reply.code(201).send(ok(request, await d.templates.create(currentUser(request), request.body as never), { message: 'Plantilla creada' })));

  app.post(`${BASE}/preview`, {
    preHandler: readers,
    schema: {
      summary: 'Vista previa (T9)', description: 'Con `data` o los datos de ejemplo del tipo; no envía ni guarda nada (R48).', tags, security,
      body: Type.Object({ template_id: Type.Optional(Type.String({ format: 'uuid' })), version: Type.Optional(Type.Integer({ minimum: 1 })), type: Type.Optional(Type.String({ pattern: TYPE_PATTERN })), channel: Type.Optional(lit(CHANNELS)), subject: Type.Optional(Text(500)), body_text: Type.Optional(Text(20_000)), body_html: Type.Optional(Text(100_000)), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())), locale: Type.Optional(Type.String({ maxLength: 35 })) }, { additionalProperties: false }),
      response: { 200: Envelope(PreviewSchema), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => ok(request, await d.templates.preview(request.body as never)));

  app.get(`${BASE}/:id`, {
    preHandler: readers,
    schema: { summary: 'Una plantilla (T3)', description: 'Con su historial de versiones.', tags, security, params: IdParams, response: { 200: Envelope(Type.Intersect([TemplateSchema, Type.Object({ versions: Type.Array(VersionMeta) })])), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.get(request.params.id)));

  app.put(`${BASE}/:id`, {
    preHandler: admin,
    schema: {
      summary: 'Nueva versión (T4)', description: '`expected_version` debe ser la vigente (409 si no).', tags, security, params: IdParams,
      body: Type.Object({ subject: Type.Optional(N(Text(500))), body_text: Text(20_000), body_html: Type.Optional(N(Text(100_000))), change_note: Type.Optional(Type.String({ maxLength: 300 })), expected_version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: Envelope(TemplateSchema), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => ok(request, await d.templates.update(currentUser(request), request.params.id, request.body as never), { message: 'Nueva versión creada' }));

  app.patch(`${BASE}/:id`, {
    preHandler: admin,
    schema: { summary: 'Activar o describir (T5)', description: 'Una plantilla inactiva deja las nuevas entregas en `skipped` (template_inactive).', tags, security, params: IdParams, body: Type.Object({ is_active: Type.Optional(Type.Boolean()), description: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false }), response: { 200: Envelope(TemplateSchema), ...errorResponses(401, 403, 404, 422) } },
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
    schema: { summary: 'Una versión (T7)', description: 'Las versiones son inmutables.', tags, security, params: Type.Object({ id: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1 }) }), response: { 200: Envelope(VersionSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.version(request.params.id, request.params.version)));

  app.post(`${BASE}/:id/rollback`, {
    preHandler: admin,
    schema: { summary: 'Restaurar versión (T8)', description: 'Copia una versión anterior como nueva versión.', tags, security, params: IdParams, body: Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), response: { 200: Envelope(TemplateSchema), ...errorResponses(401, 403, 404, 422) } },
  }, async (request) => ok(request, await d.templates.rollback(currentUser(request), request.params.id, request.body.version), { message: 'Versión restaurada' }));
}
