/** `/health` (liveness) and `/health/ready` in R37's shape: 503 only when the database fails. */
import { Type } from 'typebox';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { StatusService } from '../application/status.service.ts';
import { OneOf } from './common.ts';

export interface HealthRoutesOptions {
  status: StatusService;
  version: string;
}

const Up = OneOf(['ok', 'unreachable'] as const);
const Ready = Type.Object({
  status: OneOf(['ready', 'not_ready'] as const),
  service: Type.String(),
  checks: Type.Object({
    database: OneOf(['ok', 'error'] as const),
    kb: Up,
    llm: Type.Object({ status: OneOf(['not_configured', 'ok', 'unreachable'] as const), model: Type.Union([Type.String(), Type.Null()]) }),
    attendance: Up,
    answer_mode_default: OneOf(['extractive', 'generated'] as const),
  }),
});

export const healthRoutes: RoutesPlugin<HealthRoutesOptions> = async (app, { status, version }) => {
  const started = Date.now();
  app.get(
    '/health',
    { schema: { summary: 'Liveness', description: 'The process is alive and serving HTTP.', tags: ['platform'], response: { 200: Type.Object({ status: Type.Literal('ok'), service: Type.String(), version: Type.String(), uptime_seconds: Type.Integer() }) } } },
    async () => ({ status: 'ok' as const, service: 'ai', version, uptime_seconds: Math.round((Date.now() - started) / 1000) }),
  );
  app.get(
    '/health/ready',
    { schema: { summary: 'Readiness', description: 'R37: the database decides; kb, LLM and attendance come from background probes (never called here).', tags: ['platform'], response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const report = await app.health.report();
      const db = report.checks.database === 'ok' ? ('ok' as const) : ('error' as const);
      const ready = report.status === 'ready' && db === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', service: 'ai', checks: { database: db, ...status.ready() } });
    },
  );
};
