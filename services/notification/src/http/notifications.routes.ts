/**
 * N1: accept a send request durably (R1) and answer 202.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireAuth, currentUser } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { SendService } from '../application/send.service.ts';
import type { SendRequest } from '../domain/send-request.ts';
import { AcceptedSchema, SendHeadersSchema, SendRequestSchema } from './notifications.schemas.ts';

const BASE = '/api/v1/notifications';
const tags = ['notifications'];

export interface NotificationRoutesOptions { send: SendService }

export const notificationRoutes: FastifyPluginAsyncTypebox<NotificationRoutesOptions> = async (app, d) => {
  app.post(BASE, {
    preHandler: requireAuth({ roles: roleGroup('service', COORDINATION, 'instructor') }),
    schema: {
      summary: 'Enviar una notificación (N1)',
      description: 'Guarda la solicitud antes de responder 202 (R1); idempotente con `Idempotency-Key` durante 7 días (R2). Las personas solo envían `manual.announcement` (O1, O3).',
      tags, security: [{ bearer: [] }],
      headers: SendHeadersSchema,
      body: SendRequestSchema,
      response: { 202: Envelope(AcceptedSchema), ...errorResponses(401, 403, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const header = request.headers['idempotency-key'];
    const outcome = await d.send.send(request.body as SendRequest, currentUser(request), { idempotencyKey: typeof header === 'string' ? header : undefined, requestId: request.id });
    const n = outcome.notification;
    if (outcome.replayed) reply.header('Idempotent-Replayed', 'true');
    const self = `${BASE}/${n.id}`;
    return reply.code(202).send(ok(request, {
      id: n.id, type: n.type, status: n.status, priority: n.priority, scheduled_at: toIsoOrNull(n.scheduledAt),
      created_at: toIso(n.createdAt), warnings: outcome.warnings,
    }, {
      message: outcome.replayed ? 'Solicitud ya recibida' : 'Notificación aceptada', warnings: outcome.warnings,
      links: { self: { href: self, method: 'GET' }, deliveries: { href: `${self}/deliveries`, method: 'GET' }, cancel: { href: `${self}/cancel`, method: 'POST' } },
    }));
  });
};
