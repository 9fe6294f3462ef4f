/**
 * H1 `GET /health`: the platform-wide aggregate of every service's readiness (gateway.md R36–R37).
 */
import { Envelope, ErrorEnvelopeSchema } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { HealthPoller } from '../infrastructure/health-poller.ts';
import { HealthReportSchema } from './health.schemas.ts';

const MESSAGES = { healthy: 'Todos los servicios están operativos', degraded: 'La plataforma funciona con servicios degradados' };

export async function healthRoutes(app: App, opts: { poller: HealthPoller }): Promise<void> {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Estado de la plataforma',
        description:
          'Aggregate of every service readiness from the last probe round (every 10 s): 200 healthy, 207 degraded ' +
          '(a non-critical service down or not yet probed, a circuit not closed), 503 unhealthy (the gateway database ' +
          'or a critical service — users, schedules, attendance — down or its circuit open) with the report in error.details.',
        tags: ['platform'],
        response: {
          200: Envelope(HealthReportSchema),
          207: Envelope(HealthReportSchema),
          503: ErrorEnvelopeSchema,
        },
      },
    },
    async (request, reply) => {
      const report = opts.poller.report();
      if (report.status === 'unhealthy') throw errors.unavailable({ ...report } as Record<string, unknown>, 'La plataforma no está disponible');
      return reply.code(report.status === 'healthy' ? 200 : 207).send(ok(request, report, { message: MESSAGES[report.status] }));
    },
  );
}
