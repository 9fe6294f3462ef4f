/** §4.6 administration: metrics, search logs, reports (JSON or CSV), settings and embeddings. */
import { requireAuth } from '@sicora/platform/auth';
import { attachment, csvExport, keysetBatches } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { PageQuery, pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION } from '@sicora/platform/roles';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { Type, type Static } from 'typebox';
import type { AdminService } from '../application/admin.service.ts';
import { Instant, ListEnvelope, OneOf, Security } from './common.schemas.ts';
import { actorOf, listReply } from './common.ts';

export interface AdminRoutesOptions {
  admin: AdminService;
}

const tags = ['admin'];

/** JSON in the envelope, or with format=csv the §6.3 file. */
function JsonOrCsv(data: ReturnType<typeof ListEnvelope>, description: string) {
  return { description, content: { 'application/json': { schema: data }, 'text/csv': { schema: Type.Unsafe<unknown>({ type: 'string' }) } } };
}
const Period = { from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) };
const Role = Type.Optional(OneOf(['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const));
const Format = Type.Optional(OneOf(['json', 'csv'] as const, { default: 'json' }));
const MetricsQuery = Type.Object(Period);
const LogsQuery = Type.Object({ ...Period, role: Role, source: Type.Optional(OneOf(['search', 'passages'] as const)), zero_results: Type.Optional(Type.Boolean()), q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), ...PageQuery, sort: Type.Optional(OneOf(['-created_at'] as const)), format: Format });
const NoResultsQuery = Type.Object({ ...Period, role: Role, min_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })), ...PageQuery, format: Format });
const TopQuery = Type.Object({ ...Period, role: Role, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) });
const SettingsBody = Type.Object({ semantic_weight: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), semantic_threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })), related_threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) }, { additionalProperties: false, minProperties: 1 });
const RebuildBody = Type.Object({ scope: Type.Optional(OneOf(['missing', 'all'] as const, { default: 'missing' })) }, { additionalProperties: false });

const LogSchema = Type.Object({ id: Uuid, created_at: Instant, source: Type.String(), query_text: Type.String(), role: Type.String(), user_id: Nullable(Uuid), mode_requested: Type.String(), mode_used: Type.String(), results_count: Type.Integer(), latency_ms: Type.Integer() });
const NoResultSchema = Type.Object({ query: Type.String(), count: Type.Integer(), distinct_users: Type.Integer(), roles: Type.Array(Type.String()), first_seen: Instant, last_seen: Instant });
const TopSchema = Type.Object({ query: Type.String(), count: Type.Integer(), distinct_users: Type.Integer(), zero_result_share: Type.Number(), avg_results: Type.Number() });
const Counts = Type.Record(Type.String(), Type.Integer());
const MetricsSchema = Type.Object({
  from: LocalDate,
  to: LocalDate,
  items: Type.Object({ total: Type.Integer(), by_status: Counts, by_kind: Counts, published_in_period: Type.Integer() }),
  views: Type.Object({ total: Type.Integer(), unique_users: Type.Integer(), top_items: Type.Array(Type.Object({ id: Uuid, title: Type.String(), views: Type.Integer() })) }),
  feedback: Type.Object({ votes: Type.Integer(), helpful: Type.Integer(), not_helpful: Type.Integer(), satisfaction: Nullable(Type.Number()), avg_rating: Nullable(Type.Number()), lowest_items: Type.Array(Type.Object({ id: Uuid, title: Type.String(), votes: Type.Integer(), satisfaction: Type.Number() })) }),
  search: Type.Object({ total: Type.Integer(), unique_users: Type.Integer(), by_role: Counts, by_mode_used: Counts, zero_result_rate: Type.Number(), avg_latency_ms: Nullable(Type.Integer()), p95_latency_ms: Nullable(Type.Integer()), top_queries: Type.Array(TopSchema) }),
  embeddings: Type.Object({ status: Type.String(), coverage: Type.Number() }),
});
const SettingsSchema = Type.Object({ semantic_weight: Type.Number(), semantic_threshold: Type.Number(), related_threshold: Type.Number(), updated_by: Nullable(Uuid), updated_at: Instant });
const EmbeddingsSchema = Type.Object({
  status: Type.String(),
  model: Nullable(Type.String()),
  dimensions: Nullable(Type.Integer()),
  vector_extension: OneOf(['available', 'missing'] as const),
  items_total: Type.Integer(),
  items_embedded: Type.Integer(),
  passages_total: Type.Integer(),
  passages_embedded: Type.Integer(),
  pending_jobs: Type.Integer(),
  last_error: Nullable(Type.Object({ at: Instant, message: Type.String() })),
});

export const adminRoutes: RoutesPlugin<AdminRoutesOptions> = async (app, { admin }) => {
  app.get(
    '/api/v1/kb/admin/metrics',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Knowledge-base metrics', description: 'R23 over [from, to] (Bogotá days; default the 30 days ending today; ≤ 366 days).', tags, security: Security, querystring: MetricsQuery, response: { 200: Envelope(MetricsSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await admin.metrics(request.query as Static<typeof MetricsQuery>)),
  );

  app.get(
    '/api/v1/kb/admin/search-logs',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Search logs', description: 'Newest first; format=csv downloads every matching row (§6.3, ≤ 100 000).', tags, security: Security, querystring: LogsQuery, response: { 200: JsonOrCsv(ListEnvelope(LogSchema), 'Registros en el sobre; con format=csv el archivo de §6.3'), ...errorResponses(401, 403, 422) } } },
    async (request, reply) => {
      const q = request.query as Static<typeof LogsQuery>;
      const f = { from: q.from, to: q.to, role: q.role, source: q.source, zeroResults: q.zero_results, q: q.q };
      if (q.format === 'csv') {
        const c = await admin.logsCsv(f);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(c.filename)).send(csvExport({ columns: c.columns, batches: keysetBatches(c.read, c.keyOf, 1000), toRecord: c.toRecord }));
      }
      const page = pageRequest(q);
      const r = await admin.logs(f, { limit: page.limit, offset: page.offset });
      return listReply(request, '/api/v1/kb/admin/search-logs', q, r.items, r.total);
    },
  );

  app.get(
    '/api/v1/kb/admin/reports/no-results',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'What people could not find', description: 'R22: zero-result searches grouped by normalised query, by count; format=csv downloads all rows.', tags, security: Security, querystring: NoResultsQuery, response: { 200: JsonOrCsv(ListEnvelope(NoResultSchema), 'Filas en el sobre; con format=csv el archivo de §6.3'), ...errorResponses(401, 403, 422) } } },
    async (request, reply) => {
      const q = request.query as Static<typeof NoResultsQuery>;
      if (q.format === 'csv') {
        const r = await admin.noResults(q);
        return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(r.filename)).send(csvExport({ columns: r.columns, batches: [r.items], toRecord: r.toRecord }));
      }
      const page = pageRequest(q);
      const r = await admin.noResults(q, { limit: page.limit, offset: page.offset });
      return listReply(request, '/api/v1/kb/admin/reports/no-results', q, r.items, r.total);
    },
  );

  app.get(
    '/api/v1/kb/admin/reports/top-queries',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'Top queries', description: 'Most frequent normalised queries with their zero-result share.', tags, security: Security, querystring: TopQuery, response: { 200: Envelope(Type.Array(TopSchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await admin.topQueries(request.query as Static<typeof TopQuery>)),
  );

  app.get(
    '/api/v1/kb/admin/search-settings',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'Search settings', description: 'Hybrid weight and thresholds (R16, R17).', tags, security: Security, response: { 200: Envelope(SettingsSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await admin.settings()),
  );
  app.put(
    '/api/v1/kb/admin/search-settings',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'Change search settings', description: 'Each value 0–1.', tags, security: Security, body: SettingsBody, response: { 200: Envelope(SettingsSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await admin.saveSettings(actorOf(request), request.body as Static<typeof SettingsBody>), { message: 'Ajustes guardados' }),
  );

  app.get(
    '/api/v1/kb/admin/embeddings',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'Embeddings status', description: 'Provider status, vector extension and coverage (R12).', tags, security: Security, response: { 200: Envelope(EmbeddingsSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await admin.embeddings()),
  );
  app.post(
    '/api/v1/kb/admin/embeddings/rebuild',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'Rebuild embeddings', description: '409 SEMANTIC_SEARCH_UNAVAILABLE while R12 fails (details.reason); 409 EMBEDDING_JOB_RUNNING while one runs.', tags, security: Security, body: RebuildBody, response: { 202: Envelope(Type.Object({ job_id: Uuid, queued_items: Type.Integer() })), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => reply.code(202).send(ok(request, await admin.rebuild(((request.body as Static<typeof RebuildBody> | undefined)?.scope ?? 'missing') as 'missing' | 'all'), { message: 'Reconstrucción en cola' })),
  );
};
