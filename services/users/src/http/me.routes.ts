/**
 * Own account P1–P4 (`/api/v1/users/me`).
 */
import { Type } from 'typebox';
import { currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { PEOPLE } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { UsersService } from '../application/users.service.ts';
import type { createSessionsService } from '../application/sessions.service.ts';
import { UserViewSchema } from './common.schemas.ts';
import type { HttpKit } from './context.ts';
import type { Guard } from './guard.ts';
import { SessionList, SessionParams, UpdateMeBody } from './me.schemas.ts';

export interface MeRoutesOptions {
  users: UsersService;
  sessions: ReturnType<typeof createSessionsService>;
  guard: Guard;
  kit: HttpKit;
}

const tags = ['me'];
const security = [{ bearer: [] }];
const meLinks = {
  self: { href: '/api/v1/users/me', method: 'GET' },
  update: { href: '/api/v1/users/me', method: 'PATCH' },
  change_password: { href: '/api/v1/auth/change-password', method: 'POST' },
  sessions: { href: '/api/v1/users/me/sessions', method: 'GET' },
};

export const meRoutes: RoutesPlugin<MeRoutesOptions> = async (app, d) => {
  app.get('/api/v1/users/me', {
    preHandler: d.guard({ allowPasswordChange: true, roles: PEOPLE }),
    schema: {
      summary: 'Mi perfil (P1)', description: 'Disponible aunque deba cambiar la contraseña (R11).', tags, security,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403) },
    },
  }, async (request) => ok(request, await d.users.me(currentUser(request).sub), { links: meLinks }));

  app.patch('/api/v1/users/me', {
    preHandler: d.guard({ roles: PEOPLE }),
    schema: {
      summary: 'Editar mi perfil (P2)', description: 'Nombres, teléfono, avatar y correo (este con `current_password`). Otros campos → 422 (R31).',
      tags, security,
      body: UpdateMeBody,
      response: { 200: Envelope(UserViewSchema), ...errorResponses(400, 401, 403, 409, 422) },
    },
  }, async (request) => {
    const view = await d.users.updateMe(currentUser(request), request.body, d.kit.context(request));
    return ok(request, view, { message: 'Perfil actualizado', links: meLinks });
  });

  app.get('/api/v1/users/me/sessions', {
    preHandler: d.guard({ roles: PEOPLE }),
    schema: {
      summary: 'Mis sesiones (P3)', description: 'Sesiones activas con agente de usuario e IP enmascarada.', tags, security,
      response: { 200: Envelope(SessionList), ...errorResponses(401, 403) },
    },
  }, async (request) => ok(request, await d.sessions.list(currentUser(request).sub)));

  app.delete('/api/v1/users/me/sessions/:session_id', {
    preHandler: d.guard({ roles: PEOPLE }),
    schema: {
      summary: 'Cerrar una de mis sesiones (P4)', description: 'Revoca la familia de refresh tokens de esa sesión.', tags, security,
      params: SessionParams,
      response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    await d.sessions.end(currentUser(request).sub, request.params.session_id, d.kit.context(request));
    return reply.code(204).send(null);
  });
};
