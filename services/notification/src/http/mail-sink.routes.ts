/**
 * A11–A12: the embedded mail sink's messages (R41); with SMTP_URL set they answer 404 MAIL_SINK_DISABLED.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { attachment } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS } from '@sicora/platform/roles';
import { EmlSchema, SinkEntrySchema, SinkListQuery, SinkParams } from './mail-sink.schemas.ts';

const BASE = '/api/v1/notifications/admin/mail-sink';
const tags = ['admin'];
const security = [{ bearer: [] }];

/** What the routes read of the sink (infrastructure/mail-sink.ts), when this process runs one. */
export interface MailSinkReader {
  list(): Array<{ id: string; to: string; subject: string; received_at: string; size_bytes: number }>;
  read(id: string): Buffer | null;
}

export interface MailSinkRoutesOptions { sink: MailSinkReader | undefined }

export const mailSinkRoutes: FastifyPluginAsyncTypebox<MailSinkRoutesOptions> = async (app, d) => {
  const sink = () => d.sink ?? (() => { throw errors.notFound('MAIL_SINK_DISABLED', 'El buzón local no está activo (hay un servidor SMTP configurado)'); })();

  app.get(BASE, {
    preHandler: requireAuth({ roles: ADMINS }),
    schema: {
      summary: 'Buzón local (A11)', description: 'Correos recibidos por el buzón local del modo embebido, más recientes primero.', tags, security,
      querystring: SinkListQuery,
      response: { 200: Envelope(Type.Array(SinkEntrySchema)), ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request) => {
    const all = sink().list();
    const page = pageRequest(request.query);
    const pagination = paginationMeta(page, all.length);
    return ok(request, all.slice(page.offset, page.offset + page.limit), { pagination, links: paginationLinks(BASE, request.query, pagination) });
  });

  app.get(`${BASE}/:id`, {
    preHandler: requireAuth({ roles: ADMINS }),
    schema: {
      summary: 'Un correo del buzón (A12)', description: 'El archivo .eml tal como lo recibió el buzón.', tags, security,
      params: SinkParams,
      response: { 200: EmlSchema, ...errorResponses(401, 403, 404, 422) },
    },
  }, async (request, reply) => {
    const raw = sink().read(request.params.id);
    if (!raw) throw errors.notFound('NOT_FOUND', 'Correo no encontrado');
    return reply.type('message/rfc822').header('Content-Disposition', attachment(`${request.params.id}.eml`)).send(raw);
  });
};
