/**
 * A11–A12: the embedded mail sink's messages (R41); with SMTP_URL set they answer 404 MAIL_SINK_DISABLED.
 */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { PageQuery, pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { MailSink } from '../infrastructure/mail-sink.ts';

const BASE = '/api/v1/notifications/admin/mail-sink';
const tags = ['admin'];
const security = [{ bearer: [] }];

export function mailSinkRoutes(app: App, d: { sink: MailSink | undefined }): void {
  const sink = () => d.sink ?? (() => { throw errors.notFound('MAIL_SINK_DISABLED', 'El buzón local no está activo (hay un servidor SMTP configurado)'); })();

  app.get(BASE, {
    preHandler: requireAuth({ roles: ['admin'] }),
    schema: {
      summary: 'Buzón local (A11)', description: 'Correos recibidos por el buzón local del modo embebido, más recientes primero.', tags, security,
      querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
      response: { 200: Envelope(Type.Array(Type.Object({ id: Type.String(), to: Type.String(), subject: Type.String(), received_at: Type.String(), size_bytes: Type.Integer() }))), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => {
    const all = sink().list();
    const page = pageRequest(request.query);
    const pagination = paginationMeta(page, all.length);
    return ok(request, all.slice(page.offset, page.offset + page.limit), { pagination, links: paginationLinks(BASE, request.query, pagination) });
  });

  app.get(`${BASE}/:id`, {
    preHandler: requireAuth({ roles: ['admin'] }),
    schema: {
      summary: 'Un correo del buzón (A12)', description: 'El archivo .eml tal como lo recibió el buzón.', tags, security,
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) }),
      response: { 200: Type.Unknown({ description: 'El archivo .eml (message/rfc822)' }), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    const raw = sink().read(request.params.id);
    if (!raw) throw errors.notFound('NOT_FOUND', 'Correo no encontrado');
    return reply.type('message/rfc822').header('Content-Disposition', `attachment; filename="${request.params.id}.eml"`).send(raw);
  });
}
