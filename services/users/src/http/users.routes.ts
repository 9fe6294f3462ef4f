/**
 * User management U1–U13 (`/api/v1/users`).
 */
import { Type } from 'typebox';
import { currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest, paginationLinks, paginationMeta, PageQuery } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { Database } from '@sicora/platform/db';
import type { UsersService } from '../application/users.service.ts';
import { listEvents } from '../infrastructure/events.repo.ts';
import { Nullable, UserCardSchema, UserViewSchema, UuidParams } from './common.schemas.ts';
import { optionalBody, type HttpKit } from './context.ts';
import type { Guard } from './guard.ts';
import { CreateUserBody, ListQuerySchema, UpdateUserBody } from './users.schemas.ts';

export interface UsersRouteDeps {
  database: Database;
  users: UsersService;
  guard: Guard;
  kit: HttpKit;
}

const tags = ['users'];
const security = [{ bearer: [] }];
const STAFF = ['admin', 'coordinador', 'administrativo'] as const;
const MANAGERS = ['admin', 'coordinador'] as const;

export function usersRoutes(app: App, d: UsersRouteDeps): void {
  const { users, guard, kit } = d;

  app.get('/api/v1/users', {
    preHandler: guard({ roles: [...STAFF, 'service'] }),
    schema: {
      summary: 'Listar usuarios (U1)', description: 'Filtros, búsqueda sin tildes ni mayúsculas, paginación; `include_deleted` solo admin.', tags, security,
      querystring: ListQuerySchema,
      response: { 200: Envelope(Type.Array(UserViewSchema)), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const page = pageRequest(request.query);
    const { items, total } = await users.list(currentUser(request), request.query, { offset: page.offset, limit: page.limit });
    const meta = paginationMeta(page, total);
    return ok(request, items, { pagination: meta, links: paginationLinks('/api/v1/users', request.query, meta) });
  });

  app.post('/api/v1/users', {
    preHandler: guard({ roles: STAFF }),
    schema: {
      summary: 'Crear un usuario (U2)', description: 'Sin `password` la contraseña inicial es el documento (R7); se envía `user.welcome`.', tags, security,
      body: CreateUserBody,
      response: { 201: Envelope(UserViewSchema), ...errorResponses(401, 403, 409, 422, 503) },
    },
  }, async (request, reply) => {
    const view = await users.create(currentUser(request), request.body, kit.context(request));
    return reply.code(201).send(ok(request, view, { message: 'Usuario creado', links: { self: { href: `/api/v1/users/${view.id}`, method: 'GET' } } }));
  });

  app.get('/api/v1/users/availability', {
    preHandler: guard({ roles: STAFF }),
    schema: {
      summary: 'Disponibilidad de correo y documento (U11)', description: 'Si un correo o documento está libre entre los usuarios no eliminados.', tags, security,
      querystring: Type.Object({ email: Type.Optional(Type.String({ maxLength: 300 })), document_number: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: {
        200: Envelope(Type.Object({
          email: Type.Optional(Type.Object({ value: Type.String(), available: Type.Boolean() })),
          document_number: Type.Optional(Type.Object({ value: Type.String(), available: Type.Boolean() })),
        })),
        ...errorResponses(401, 403, 422),
      },
    },
  }, async (request) => ok(request, await users.availability(request.query)));

  app.post('/api/v1/users/lookup', {
    preHandler: guard({ roles: [...STAFF, 'instructor', 'service'] }),
    schema: {
      summary: 'Buscar usuarios por id, documento o correo (U12)', description: 'Hasta 500 claves; los instructores reciben solo tarjetas (O4).', tags, security,
      body: Type.Object({
        ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 501 })),
        document_numbers: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 501 })),
        emails: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 501 })),
      }, { additionalProperties: false }),
      response: {
        200: Envelope(Type.Object({
          found: Type.Array(Type.Union([Type.Intersect([UserViewSchema, Type.Object({ is_deleted: Type.Boolean() })]), UserCardSchema])),
          missing: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
        })),
        ...errorResponses(401, 403, 422),
      },
    },
  }, async (request) => ok(request, await users.lookup(currentUser(request), request.body)));

  app.get('/api/v1/users/security-events', {
    preHandler: guard({ roles: ['admin'] }),
    schema: {
      summary: 'Registro de seguridad (U13)', description: 'Eventos de §4.7, sin secretos ni datos personales.', tags, security,
      querystring: Type.Object({
        user_id: Type.Optional(Type.String({ format: 'uuid' })), type: Type.Optional(Type.String({ maxLength: 500 })),
        from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
        sort: Type.Optional(Type.Union([Type.Literal('occurred_at'), Type.Literal('-occurred_at')])), ...PageQuery,
      }, { additionalProperties: false }),
      response: {
        200: Envelope(Type.Array(Type.Object({
          id: Type.String(), type: Type.String(), user_id: Nullable(Type.String()), actor_id: Nullable(Type.String()),
          ip_masked: Nullable(Type.String()), user_agent: Nullable(Type.String()), details: Type.Record(Type.String(), Type.Unknown()),
          occurred_at: Type.String(),
        }))),
        ...errorResponses(401, 403, 422),
      },
    },
  }, async (request) => {
    const q = request.query;
    const page = pageRequest(q);
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from > to) throw errors.validation([{ field: 'from', reason: 'range', message: '`from` debe ser anterior a `to`' }]);
    const { rows, total } = await listEvents(d.database.db, {
      userId: q.user_id, types: q.type?.split(',').map((t) => t.trim()).filter(Boolean), from, to,
      direction: q.sort === 'occurred_at' ? 'asc' : 'desc', offset: page.offset, limit: page.limit,
    });
    const meta = paginationMeta(page, total);
    return ok(request, rows.map((e) => ({
      id: e.id, type: e.type, user_id: e.userId, actor_id: e.actorId, ip_masked: e.ipMasked, user_agent: e.userAgent,
      details: e.details as Record<string, unknown>, occurred_at: e.occurredAt.toISOString(),
    })), { pagination: meta, links: paginationLinks('/api/v1/users/security-events', q, meta) });
  });

  app.get('/api/v1/users/:id', {
    preHandler: guard({ roles: [...STAFF, 'service'] }),
    schema: {
      summary: 'Un usuario (U3)', description: 'Los eliminados solo los ve un administrador (O3).', tags, security, params: UuidParams,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => {
    const { view, links } = await users.get(currentUser(request), request.params.id);
    return ok(request, view, { links });
  });

  app.patch('/api/v1/users/:id', {
    preHandler: guard({ roles: STAFF }),
    schema: {
      summary: 'Editar un usuario (U4)', description: 'Campos según el rol de quien edita (§2, O1, O2).', tags, security, params: UuidParams,
      body: UpdateUserBody,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 409, 422, 503) },
    },
  }, async (request) => ok(request, await users.update(currentUser(request), request.params.id, request.body, kit.context(request)), { message: 'Usuario actualizado' }));

  app.delete('/api/v1/users/:id', {
    preHandler: guard({ roles: ['admin'] }),
    schema: {
      summary: 'Eliminar un usuario (U5)', description: 'Borrado lógico; correo y documento quedan libres (R29).', tags, security, params: UuidParams,
      response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    await users.states.remove(currentUser(request), request.params.id, kit.context(request));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/users/:id/restore', {
    preHandler: guard({ roles: ['admin'] }),
    schema: {
      summary: 'Restaurar un usuario (U6)', description: 'Queda INACTIVO; 409 si su correo o documento ya lo tiene otro usuario.', tags, security, params: UuidParams,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => ok(request, await users.states.restore(currentUser(request), request.params.id, kit.context(request)), { message: 'Usuario restaurado' }));

  for (const [action, active] of [['activate', true], ['deactivate', false]] as const) {
    app.post(`/api/v1/users/:id/${action}`, {
      preValidation: optionalBody,
      preHandler: guard({ roles: MANAGERS }),
      schema: {
        summary: active ? 'Activar un usuario (U7)' : 'Desactivar un usuario (U8)',
        description: active ? 'Idempotente; envía `user.activated`.' : 'Idempotente; revoca sus sesiones y envía `user.deactivated`.',
        tags, security, params: UuidParams,
        body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false }),
        response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 409, 422) },
      },
    }, async (request) => {
      const view = await users.states.activate(currentUser(request), request.params.id, active, kit.context(request), request.body?.reason);
      return ok(request, view, { message: active ? 'Usuario activado' : 'Usuario desactivado' });
    });
  }

  app.post('/api/v1/users/:id/reset-password', {
    preValidation: optionalBody,
    preHandler: guard({ roles: MANAGERS }),
    schema: {
      summary: 'Restablecer la contraseña de otro usuario (U9)', description: 'Enlace por correo (24 h) o contraseña temporal mostrada una sola vez (R26).',
      tags, security, params: UuidParams,
      body: Type.Object({ delivery: Type.Optional(Type.Union([Type.Literal('email_link'), Type.Literal('temporary_password')])) }, { additionalProperties: false }),
      response: {
        200: Envelope(Type.Object({ delivery: Type.String(), temporary_password: Type.Optional(Type.String()), link_expires_at: Type.Optional(Type.String()) })),
        ...errorResponses(401, 403, 404, 409, 422),
      },
    },
  }, async (request, reply) => {
    const result = await users.staffReset(currentUser(request), request.params.id, request.body?.delivery ?? 'email_link', kit.context(request));
    reply.header('Cache-Control', 'no-store');
    return ok(request, result, { message: 'Contraseña restablecida' });
  });

  app.post('/api/v1/users/:id/unlock', {
    preHandler: guard({ roles: MANAGERS }),
    schema: {
      summary: 'Desbloquear el inicio de sesión (U10)', description: 'Borra el bloqueo por intentos fallidos (R13).', tags, security, params: UuidParams,
      response: { 200: Envelope(Type.Object({ unlocked: Type.Literal(true) })), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => ok(request, await users.unlock(currentUser(request), request.params.id, kit.context(request)), { message: 'Cuenta desbloqueada' }));
}
