/**
 * User management U1–U13 (`/api/v1/users`).
 */
import { Type } from 'typebox';
import { currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION, roleGroup, STAFF } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { SecurityEventsService } from '../application/security-events.service.ts';
import type { UsersService } from '../application/users.service.ts';
import { UserViewSchema } from './common.schemas.ts';
import { optionalBody, type HttpKit } from './context.ts';
import type { Guard } from './guard.ts';
import {
  ActivationBody, AvailabilityQuery, AvailabilitySchema, CreateUserBody, ListQuerySchema, LookupBody, LookupSchema, SecurityEventList,
  SecurityEventsQuery, StaffResetBody, StaffResetSchema, UnlockSchema, UpdateUserBody,
} from './users.schemas.ts';

export interface UsersRoutesOptions {
  users: UsersService;
  events: SecurityEventsService;
  guard: Guard;
  kit: HttpKit;
}

const tags = ['users'];
const security = [{ bearer: [] }];

export const usersRoutes: RoutesPlugin<UsersRoutesOptions> = async (app, d) => {
  const { users, guard, kit } = d;

  app.get('/api/v1/users', {
    preHandler: guard({ roles: roleGroup(STAFF, 'service') }),
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
      querystring: AvailabilityQuery,
      response: { 200: Envelope(AvailabilitySchema), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await users.availability(request.query)));

  app.post('/api/v1/users/lookup', {
    preHandler: guard({ roles: roleGroup(STAFF, 'instructor', 'service') }),
    schema: {
      summary: 'Buscar usuarios por id, documento o correo (U12)', description: 'Hasta 500 claves; los instructores reciben solo tarjetas (O4).', tags, security,
      body: LookupBody,
      response: { 200: Envelope(LookupSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => ok(request, await users.lookup(currentUser(request), request.body)));

  app.get('/api/v1/users/security-events', {
    preHandler: guard({ roles: ADMINS }),
    schema: {
      summary: 'Registro de seguridad (U13)', description: 'Eventos de §4.7, sin secretos ni datos personales.', tags, security,
      querystring: SecurityEventsQuery,
      response: { 200: Envelope(SecurityEventList), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const page = pageRequest(request.query);
    const { items, total } = await d.events.list(request.query, { offset: page.offset, limit: page.limit });
    const meta = paginationMeta(page, total);
    return ok(request, items, { pagination: meta, links: paginationLinks('/api/v1/users/security-events', request.query, meta) });
  });

  app.get('/api/v1/users/:id', {
    preHandler: guard({ roles: roleGroup(STAFF, 'service') }),
    schema: {
      summary: 'Un usuario (U3)', description: 'Los eliminados solo los ve un administrador (O3).', tags, security, params: IdParams,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => {
    const { view, links } = await users.get(currentUser(request), request.params.id);
    return ok(request, view, { links });
  });

  app.patch('/api/v1/users/:id', {
    preHandler: guard({ roles: STAFF }),
    schema: {
      summary: 'Editar un usuario (U4)', description: 'Campos según el rol de quien edita (§2, O1, O2).', tags, security, params: IdParams,
      body: UpdateUserBody,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 409, 422, 503) },
    },
  }, async (request) => ok(request, await users.update(currentUser(request), request.params.id, request.body, kit.context(request)), { message: 'Usuario actualizado' }));

  app.delete('/api/v1/users/:id', {
    preHandler: guard({ roles: ADMINS }),
    schema: {
      summary: 'Eliminar un usuario (U5)', description: 'Borrado lógico; correo y documento quedan libres (R29).', tags, security, params: IdParams,
      response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    await users.states.remove(currentUser(request), request.params.id, kit.context(request));
    return reply.code(204).send(null);
  });

  app.post('/api/v1/users/:id/restore', {
    preHandler: guard({ roles: ADMINS }),
    schema: {
      summary: 'Restaurar un usuario (U6)', description: 'Queda INACTIVO; 409 si su correo o documento ya lo tiene otro usuario.', tags, security, params: IdParams,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request) => ok(request, await users.states.restore(currentUser(request), request.params.id, kit.context(request)), { message: 'Usuario restaurado' }));

  for (const [action, active] of [['activate', true], ['deactivate', false]] as const) {
    app.post(`/api/v1/users/:id/${action}`, {
      preValidation: optionalBody,
      preHandler: guard({ roles: COORDINATION }),
      schema: {
        summary: active ? 'Activar un usuario (U7)' : 'Desactivar un usuario (U8)',
        description: active ? 'Idempotente; envía `user.activated`.' : 'Idempotente; revoca sus sesiones y envía `user.deactivated`.',
        tags, security, params: IdParams,
        body: ActivationBody,
        response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403, 404, 409, 422) },
      },
    }, async (request) => {
      const view = await users.states.activate(currentUser(request), request.params.id, active, kit.context(request), request.body?.reason);
      return ok(request, view, { message: active ? 'Usuario activado' : 'Usuario desactivado' });
    });
  }

  app.post('/api/v1/users/:id/reset-password', {
    preValidation: optionalBody,
    preHandler: guard({ roles: COORDINATION }),
    schema: {
      summary: 'Restablecer la contraseña de otro usuario (U9)', description: 'Enlace por correo (24 h) o contraseña temporal mostrada una sola vez (R26).',
      tags, security, params: IdParams,
      body: StaffResetBody,
      response: { 200: Envelope(StaffResetSchema), ...errorResponses(401, 403, 404, 409, 422) },
    },
  }, async (request, reply) => {
    const result = await users.staffReset(currentUser(request), request.params.id, request.body?.delivery ?? 'email_link', kit.context(request));
    reply.header('Cache-Control', 'no-store');
    return ok(request, result, { message: 'Contraseña restablecida' });
  });

  app.post('/api/v1/users/:id/unlock', {
    preHandler: guard({ roles: COORDINATION }),
    schema: {
      summary: 'Desbloquear el inicio de sesión (U10)', description: 'Borra el bloqueo por intentos fallidos (R13).', tags, security, params: IdParams,
      response: { 200: Envelope(UnlockSchema), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => ok(request, await users.unlock(currentUser(request), request.params.id, kit.context(request)), { message: 'Cuenta desbloqueada' }));
};
