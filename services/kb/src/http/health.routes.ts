/**
 * `/health` and kb's `/health/ready` (R14): the platform's checks plus the vector extension, the
 * embeddings provider's latest probe and the search mode; 503 only when the database fails. Readiness
 * never waits for a probe.
 */
import { Type } from 'typebox';
import type { App } from '@sicora/platform/server';
import type { SemanticPort } from '../application/semantic.ts';
import { Nullable } from '@sicora/platform/schemas';

const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  service: Type.String(),
  checks: Type.Object(
    {
      database: Type.String(),
      vector_extension: Type.Union([Type.Literal('available'), Type.Literal('missing')]),
      embeddings: Type.Object({ status: Type.Union([Type.Literal('not_configured'), Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('misconfigured')]), model: Nullable(Type.String()), dimensions: Nullable(Type.Integer()) }),
      search_mode: Type.Union([Type.Literal('hybrid'), Type.Literal('fulltext')]),
    },
    { additionalProperties: Type.String() },
  ),
});
const Live = Type.Object({ status: Type.Literal('ok'), service: Type.String(), version: Type.String(), uptime_seconds: Type.Number() });

export function registerKbHealth(app: App, semantic: SemanticPort): void {
  const started = Date.now();
  app.get('/health', { schema: { summary: 'Liveness', description: 'The process is alive and serving HTTP.', tags: ['platform'], response: { 200: Live } } }, async () => ({
    status: 'ok' as const,
    service: 'kb',
    version: '0.1.0',
    uptime_seconds: Math.round((Date.now() - started) / 1000),
  }));
  app.get(
    '/health/ready',
    { schema: { summary: 'Readiness', description: 'R14: database, vector extension, embeddings provider (latest probe) and search mode; 503 only when the database check fails.', tags: ['platform'], response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const report = await app.health.report();
      const s = semantic.status();
      const checks = { database: report.checks.database ?? 'error', ...report.checks, vector_extension: s.vectorExtension ? ('available' as const) : ('missing' as const), embeddings: s.embeddings, search_mode: s.available ? ('hybrid' as const) : ('fulltext' as const) };
      return reply.code(report.status === 'ready' ? 200 : 503).send({ status: report.status, service: 'kb', checks });
    },
  );
}
