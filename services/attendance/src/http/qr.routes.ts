/** Q1–Q2: the apprentice's rotating code and the instructor's scan (R13–R20). */
import type { FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { requireAuth } from '@sicora/platform/auth';
import { maskClientIp, resolveClientIp, type parseIpList } from '@sicora/platform/client-ip';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { QrService } from '../application/qr.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf, withWarnings } from './common.ts';
import { CodeBody, CodeSchema, ScanBody, ScanSchema } from './qr.schemas.ts';

export interface QrRoutesOptions {
  qr: QrService;
  trusted: ReturnType<typeof parseIpList>;
}

const tags = ['qr'];

export const qrRoutes: RoutesPlugin<QrRoutesOptions> = async (app, { qr, trusted }) => {
  const ipOf = (request: FastifyRequest) => maskClientIp(resolveClientIp(trusted, request.socket?.remoteAddress ?? request.ip, request.headers['x-forwarded-for']));
  app.post(
    '/api/v1/attendance/qr/codes',
    { preHandler: requireAuth({ roles: ['aprendiz'] }), schema: { summary: 'Q1 My QR code', description: 'A rotating, single-use code for today\'s session of the caller\'s ficha (R13–R16); 1 per 3 s, 30 per minute (R20).', tags, security: Security, body: CodeBody, response: { 201: Envelope(CodeSchema), ...errorResponses(401, 403, 404, 409, 422, 429, 503) } } },
    async (request, reply) => {
      const issued = await qr.issue(actorOf(request), request.body, ipOf(request));
      // The image is only a rendering of the code (for a client that cannot draw one), so it is made here.
      const png = request.body.include_png ? { png_data_url: await QRCode.toDataURL(issued.code, { errorCorrectionLevel: 'M', margin: 1, width: 256 }) } : {};
      return reply.code(201).send(ok(request, { ...issued, ...png }));
    },
  );
  app.post(
    '/api/v1/attendance/qr/scan',
    { preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor') }), schema: { summary: 'Q2 Scan a code', description: 'R17\'s checks in order; 201 RECORDED, 200 UPDATED / ALREADY_RECORDED / replay (R19).', tags, security: Security, body: ScanBody, response: { 200: Envelope(ScanSchema), 201: Envelope(ScanSchema), ...errorResponses(400, 401, 403, 404, 409, 410, 422, 429, 503) } } },
    async (request, reply) => {
      const res = await qr.scan(actorOf(request), request.body);
      return reply.code(res.created ? 201 : 200).send(ok(request, res.data, withWarnings(res.warnings)));
    },
  );
};
