/**
 * D1–D4 (§4.4): the caller's push devices.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PEOPLE } from '@sicora/platform/roles';
import { ok } from '@sicora/platform/reply';
import { IdParams } from '@sicora/platform/schemas';
import type { DevicesService } from '../application/devices.service.ts';
import { DeviceSchema, RegisterDeviceBody, UnregisterBody } from './devices.schemas.ts';

const BASE = '/api/v1/notifications/devices';
const tags = ['devices'];
const security = [{ bearer: [] }];
const persons = requireAuth({ roles: PEOPLE });

export interface DevicesRoutesOptions { devices: DevicesService }

export const devicesRoutes: FastifyPluginAsyncTypebox<DevicesRoutesOptions> = async (app, d) => {
  app.post(BASE, {
    preHandler: persons,
    schema: {
      summary: 'Registrar dispositivo (D1)',
      description: '201 si es nuevo para el usuario, 200 si ya lo tenía activo; máximo 10 activos (el visto hace más tiempo se desactiva, `limit`). '
        + 'Un token activo de otro usuario pasa al que llama como un dispositivo nuevo: el del otro usuario se desactiva (`replaced`) y nunca se muestra ni se modifica de otro modo (O4).',
      tags, security,
      body: RegisterDeviceBody,
      response: { 200: Envelope(DeviceSchema), 201: Envelope(DeviceSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    const { device, created } = await d.devices.register(currentUser(request).sub, request.body);
    return reply.code(created ? 201 : 200).send(ok(request, device, { message: created ? 'Dispositivo registrado' : 'Dispositivo actualizado' }));
  });

  app.get(BASE, {
    preHandler: persons,
    schema: { summary: 'Mis dispositivos (D2)', description: 'Los activos.', tags, security, response: { 200: Envelope(Type.Array(DeviceSchema)), ...errorResponses(401, 403) } },
  }, async (request) => ok(request, await d.devices.list(currentUser(request).sub)));

  app.delete(`${BASE}/:id`, {
    preHandler: persons,
    schema: { summary: 'Quitar dispositivo (D3)', description: 'Desactiva uno de los dispositivos activos del usuario; el de otro usuario es 404 DEVICE_NOT_FOUND (O4).', tags, security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } },
  }, async (request, reply) => {
    await d.devices.remove(currentUser(request).sub, request.params.id);
    return reply.code(204).send(null);
  });

  app.post(`${BASE}/unregister`, {
    preHandler: persons,
    schema: { summary: 'Dar de baja un token (D4)', description: 'Desactiva el token si es de un dispositivo activo del usuario (`unregistered`); un token desconocido o de otro usuario responde 204 igual y no cambia nada.', tags, security, body: UnregisterBody, response: { 204: Type.Null(), ...errorResponses(401, 403, 422) } },
  }, async (request, reply) => {
    await d.devices.unregister(currentUser(request).sub, request.body.token);
    return reply.code(204).send(null);
  });
};
