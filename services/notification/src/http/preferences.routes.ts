/**
 * P1–P3 and D1–D4 (§4.4): the caller's preferences and push devices; an admin reads anyone's preferences.
 */
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PERSON_ROLES } from '@sicora/platform/roles';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { PreferencesInput, PreferencesService } from '../application/preferences.service.ts';
import type { DevicesService } from '../application/devices.service.ts';
import { CATEGORIES } from '../domain/enums.ts';

const BASE = '/api/v1/notifications';
const security = [{ bearer: [] }];
const persons = requireAuth({ roles: PERSON_ROLES });
const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Toggles = Type.Object({ email: Type.Optional(Type.Boolean()), sms: Type.Optional(Type.Boolean()), push: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
const Channels = Type.Object({ in_app: Type.Optional(Type.Boolean()), email: Type.Optional(Type.Boolean()), sms: Type.Optional(Type.Boolean()), push: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

const PreferencesSchema = Type.Object({
  locale: Type.String(),
  channels: Type.Object({ in_app: Type.Boolean(), email: Type.Boolean(), sms: Type.Boolean(), push: Type.Boolean() }),
  categories: Type.Record(Type.String(), Type.Object({ email: Type.Boolean(), sms: Type.Boolean(), push: Type.Boolean() })),
  mandatory_types: Type.Array(Type.String()),
  quiet_hours: Type.Object({ enabled: Type.Boolean(), start: Type.String(), end: Type.String(), timezone: Type.String() }),
  digest: Type.String(), digest_hour: Type.Integer(), updated_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const PreferencesBody = Type.Object({
  locale: Type.Optional(Type.String({ pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' })),
  channels: Type.Optional(Channels),
  categories: Type.Optional(Type.Object(Object.fromEntries(CATEGORIES.map((c) => [c, Type.Optional(Toggles)])), { additionalProperties: false })),
  mandatory_types: Type.Optional(Type.Array(Type.String())),
  quiet_hours: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()), start: Type.Optional(Hhmm), end: Type.Optional(Hhmm), timezone: Type.Optional(Type.String()) }, { additionalProperties: false })),
  digest: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('hourly'), Type.Literal('daily')])),
  digest_hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
}, { additionalProperties: false });
const DeviceSchema = Type.Object({
  id: Type.String(), platform: Type.String(), token_suffix: Type.String(), app_version: Type.Union([Type.String(), Type.Null()]),
  device_name: Type.Union([Type.String(), Type.Null()]), created_at: Type.String(), last_seen_at: Type.String(),
});

export function preferencesRoutes(app: App, d: { preferences: PreferencesService; devices: DevicesService }): void {
  const tags = ['preferences'];
  app.get(`${BASE}/preferences`, {
    preHandler: persons,
    schema: { summary: 'Mis preferencias (P1)', description: 'Canales, categorías efectivas, horas de silencio y resumen.', tags, security, response: { 200: Envelope(PreferencesSchema), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, await d.preferences.get(currentUser(request).sub)));

  app.put(`${BASE}/preferences`, {
    preHandler: persons,
    schema: { summary: 'Cambiar mis preferencias (P2)', description: 'Todos los campos son opcionales; `in_app`, la zona horaria y los tipos obligatorios no cambian.', tags, security, body: PreferencesBody, response: { 200: Envelope(PreferencesSchema), ...errorResponses(401, 403, 422) } },
  }, async (request) => ok(request, await d.preferences.update(currentUser(request).sub, request.body as PreferencesInput), { message: 'Preferencias actualizadas' }));

  app.get(`${BASE}/preferences/:user_id`, {
    preHandler: requireAuth({ roles: ['admin'] }),
    schema: { summary: 'Preferencias de un usuario (P3)', description: 'Solo administradores.', tags, security, params: Type.Object({ user_id: Type.String({ format: 'uuid' }) }), response: { 200: Envelope(PreferencesSchema), ...errorResponses(401, 403, 422) } },
  }, async (request) => ok(request, await d.preferences.get(request.params.user_id)));

  const dtags = ['devices'];
  app.post(`${BASE}/devices`, {
    preHandler: persons,
    schema: {
      summary: 'Registrar dispositivo (D1)', description: '201 si es nuevo para el usuario, 200 si ya lo tenía; máximo 10 activos.', tags: dtags, security,
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }), platform: Type.Union([Type.Literal('android'), Type.Literal('ios'), Type.Literal('web')]), app_version: Type.Optional(Type.String({ maxLength: 50 })), device_name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 200: Envelope(DeviceSchema), 201: Envelope(DeviceSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    const { device, created } = await d.devices.register(currentUser(request).sub, request.body);
    return reply.code(created ? 201 : 200).send(ok(request, device, { message: created ? 'Dispositivo registrado' : 'Dispositivo actualizado' }));
  });

  app.get(`${BASE}/devices`, {
    preHandler: persons,
    schema: { summary: 'Mis dispositivos (D2)', description: 'Los activos.', tags: dtags, security, response: { 200: Envelope(Type.Array(DeviceSchema)), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, await d.devices.list(currentUser(request).sub)));

  app.delete(`${BASE}/devices/:id`, {
    preHandler: persons,
    schema: { summary: 'Quitar dispositivo (D3)', description: 'Lo desactiva.', tags: dtags, security, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } },
  }, async (request, reply) => {
    await d.devices.remove(currentUser(request).sub, request.params.id);
    return reply.code(204).send(null);
  });

  app.post(`${BASE}/devices/unregister`, {
    preHandler: persons,
    schema: { summary: 'Dar de baja un token (D4)', description: 'Un token desconocido no es un error.', tags: dtags, security, body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errorResponses(401, 403, 422) } },
  }, async (request, reply) => {
    await d.devices.unregister(currentUser(request).sub, request.body.token);
    return reply.code(204).send(null);
  });
}
