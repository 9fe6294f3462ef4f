/**
 * Own account P1–P4 (`/api/v1/users/me`).
 */
import { Type } from 'typebox';
import { currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { PERSON_ROLES } from '@sicora/platform/roles';
import type { UserRow } from '../infrastructure/db/schema.ts';
import type { UsersService } from '../application/users.service.ts';
import type { createSessionsService } from '../application/sessions.service.ts';
import { Nullable, UserViewSchema } from './common.schemas.ts';
import type { HttpKit } from './context.ts';
import type { Guard } from './guard.ts';

export interface MeRouteDeps {
  users: UsersService;
  sessions: ReturnType<typeof createSessionsService>;
  guard: Guard;
  kit: HttpKit;
  passwordMatches: (u: UserRow, p: string) => Promise<boolean>;
}

const tags = ['me'];
const meLinks = {
  self: { href: '/api/v1/users/me', method: 'GET' },
  update: { href: '/api/v1/users/me', method: 'PATCH' },
  change_password: { href: '/api/v1/auth/change-password', method: 'POST' },
  sessions: { href: '/api/v1/users/me/sessions', method: 'GET' },
};

export function meRoutes(app: App, d: MeRouteDeps): void {
  app.get('/api/v1/users/me', {
    preHandler: d.guard({ allowPasswordChange: true, roles: PERSON_ROLES }),
    schema: {
      summary: 'Mi perfil (P1)', description: 'Disponible aunque deba cambiar la contraseña (R11).', tags, security: [{ bearer: [] }],
      response: { 200: Envelope(UserViewSchema), ...errorResponses(401, 403) },
    },
  }, async (request) => ok(request, await d.users.me(currentUser(request).sub), { links: meLinks }));

  app.patch('/api/v1/users/me', {
    preHandler: d.guard({ roles: PERSON_ROLES }),
    schema: {
      summary: 'Editar mi perfil (P2)', description: 'Nombres, teléfono, avatar y correo (este con `current_password`). Otros campos → 422 (R31).',
      tags, security: [{ bearer: [] }],
      body: Type.Object({
        first_name: Type.Optional(Type.String({ maxLength: 200 })),
        last_name: Type.Optional(Type.String({ maxLength: 200 })),
        phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
        avatar_url: Type.Optional(Nullable(Type.String({ maxLength: 600 }))),
        email: Type.Optional(Type.String({ maxLength: 300 })),
        current_password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Envelope(UserViewSchema), ...errorResponses(400, 401, 403, 409, 422) },
    },
  }, async (request) => {
    const view = await d.users.updateMe(currentUser(request), request.body, d.kit.context(request), d.passwordMatches);
    return ok(request, view, { message: 'Perfil actualizado', links: meLinks });
  });

  app.get('/api/v1/users/me/sessions', {
    preHandler: d.guard({ roles: PERSON_ROLES }),
    schema: {
      summary: 'Mis sesiones (P3)', description: 'Sesiones activas con agente de usuario e IP enmascarada.', tags, security: [{ bearer: [] }],
      response: {
        200: Envelope(Type.Array(Type.Object({
          id: Type.String(), started_at: Type.String(), last_used_at: Type.String(), expires_at: Type.String(),
          user_agent: Type.String(), ip_masked: Type.String(),
        }))),
        ...errorResponses(401, 403),
      },
    },
  }, async (request) => ok(request, await d.sessions.list(currentUser(request).sub)));

  app.delete('/api/v1/users/me/sessions/:session_id', {
    preHandler: d.guard({ roles: PERSON_ROLES }),
    schema: {
      summary: 'Cerrar una de mis sesiones (P4)', description: 'Revoca la familia de refresh tokens de esa sesión.', tags, security: [{ bearer: [] }],
      params: Type.Object({ session_id: Type.String({ format: 'uuid' }) }),
      response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    await d.sessions.end(currentUser(request).sub, request.params.session_id, d.kit.context(request));
    return reply.code(204).send(null);
  });
}
