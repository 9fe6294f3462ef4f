/**
 * P1–P3 (§4.4): the caller's preferences; an admin reads anyone's.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ADMINS, PEOPLE } from '@sicora/platform/roles';
import { ok } from '@sicora/platform/reply';
import type { PreferencesInput, PreferencesService } from '../application/preferences.service.ts';
import { PreferencesBody, PreferencesSchema, UserParams } from './preferences.schemas.ts';

const BASE = '/api/v1/notifications/preferences';
const tags = ['preferences'];
const security = [{ bearer: [] }];
const persons = requireAuth({ roles: PEOPLE });

export interface PreferencesRoutesOptions { preferences: PreferencesService }

export const preferencesRoutes: FastifyPluginAsyncTypebox<PreferencesRoutesOptions> = async (app, d) => {
  app.get(BASE, {
    preHandler: persons,
    schema: { summary: 'Mis preferencias (P1)', description: 'Canales, categorías efectivas, horas de silencio y resumen.', tags, security, response: { 200: Envelope(PreferencesSchema), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, await d.preferences.get(currentUser(request).sub)));

  app.put(BASE, {
    preHandler: persons,
    schema: { summary: 'Cambiar mis preferencias (P2)', description: 'Todos los campos son opcionales; `in_app`, la zona horaria y los tipos obligatorios no cambian.', tags, security, body: PreferencesBody, response: { 200: Envelope(PreferencesSchema), ...errorResponses(401, 403, 422) } },
  }, async (request) => ok(request, await d.preferences.update(currentUser(request).sub, request.body as PreferencesInput), { message: 'Preferencias actualizadas' }));

  app.get(`${BASE}/:user_id`, {
    preHandler: requireAuth({ roles: ADMINS }),
    schema: { summary: 'Preferencias de un usuario (P3)', description: 'Solo administradores.', tags, security, params: UserParams, response: { 200: Envelope(PreferencesSchema), ...errorResponses(401, 403, 422) } },
  }, async (request) => ok(request, await d.preferences.get(request.params.user_id)));
};
