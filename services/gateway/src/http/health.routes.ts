/**
 * H1 `GET /health`: the platform-wide aggregate of every service's readiness (gateway.md R36–R37), and
 * H6 `/docs/json`: the merged OpenAPI document (R52) in place of the gateway's own.
 */
import { Envelope, ErrorEnvelopeSchema } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import type { App, RoutesPlugin } from '@sicora/platform/server';
import type { HealthPoller } from '../infrastructure/health-poller.ts';
import type { OpenApiMerger } from '../infrastructure/openapi-merger.ts';
import { HealthReportSchema } from './health.schemas.ts';

const MESSAGES = { healthy: 'Todos los servicios están operativos', degraded: 'La plataforma funciona con servicios degradados' };

export interface HealthRoutesOptions {
  poller: Pick<HealthPoller, 'report'>;
}

export const healthRoutes: RoutesPlugin<HealthRoutesOptions> = async (app, opts) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Estado de la plataforma',
        description:
          'Aggregate of every service readiness from the last probe round (every 10 s): 200 healthy, 207 degraded ' +
          '(a non-critical service down or not yet probed, a circuit not closed, a service in maintenance, Redis or keys failing), ' +
          '503 unhealthy (the gateway database or a critical service — users, schedules, attendance — down or its circuit open) with the report in error.details.',
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
};

/** H6 (R52): registered on the root, since hooks inside a plugin see only that plugin's routes. */
export function registerMergedDocs(app: App, openapi: Pick<OpenApiMerger, 'document' | 'merged'>, now: () => Date): void {
  // The platform's swagger-ui owns the `/docs/json` route (Swagger UI reads it); its payload is swapped here.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || request.routeOptions.url !== '/docs/json' || reply.statusCode !== 200) return payload;
    const service = (request.query as { service?: string }).service;
    if (service !== undefined) {
      const doc = openapi.document(service);
      if (!doc) {
        reply.code(404).type('application/json; charset=utf-8');
        return JSON.stringify({
          success: false,
          error: { code: 'SERVICE_NOT_FOUND', message: 'El servicio no existe o su documento no se ha obtenido' },
          meta: { timestamp: now().toISOString(), request_id: request.id },
        });
      }
      return JSON.stringify(doc);
    }
    return JSON.stringify(openapi.merged());
  });
}
