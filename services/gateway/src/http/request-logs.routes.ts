/**
 * L1–L3 and S3: the request log and the stats computed from it (gateway.md §4.2, §4.7, §6.1, R49).
 */
import { Type, type Static } from 'typebox';
import { stringify } from 'csv-stringify/sync';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError, errors } from '@sicora/platform/errors';
import { PageQuery, pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { LogFilter, RequestLogRepo } from '../infrastructure/request-log.repo.ts';
import type { GatewayRuntime } from './runtime.ts';

const tags = ['gateway-logs'];
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const LogRow = Type.Object({
  id: Type.String(),
  request_id: Type.String(),
  occurred_at: Type.String(),
  method: Type.String(),
  path: Type.String(),
  query_keys: Type.Array(Type.String()),
  route_name: Nullable(Type.String()),
  service: Nullable(Type.String()),
  status: Type.Integer(),
  outcome: Type.String(),
  error_code: Nullable(Type.String()),
  duration_ms: Type.Number(),
  upstream_ms: Nullable(Type.Number()),
  attempts: Type.Integer(),
  circuit_state: Nullable(Type.String()),
  user_id: Nullable(Type.String()),
  role: Nullable(Type.String()),
  ip_masked: Type.String(),
  user_agent: Type.String(),
});

const Filters = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  status: Type.Optional(Type.String({ pattern: '^([1-5][0-9]{2}|4xx|5xx)$' })),
  outcome: Type.Optional(Type.String({ pattern: '^[a-z_]+(,[a-z_]+)*$' })),
  service: Type.Optional(Type.String()),
  route_name: Type.Optional(Type.String()),
  method: Type.Optional(Type.String()),
  user_id: Type.Optional(Type.String({ format: 'uuid' })),
  request_id: Type.Optional(Type.String()),
  min_duration_ms: Type.Optional(Type.Number({ minimum: 0 })),
  sort: Type.Optional(Type.Union([Type.Literal('-occurred_at'), Type.Literal('-duration_ms')])),
  ...PageQuery,
});

function filterOf(q: Static<typeof Filters>): LogFilter {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 3_600_000);
  if (from > to) throw errors.validation([{ field: 'from', reason: 'range', message: 'from debe ser anterior a to' }]);
  if (to.getTime() - from.getTime() > 31 * 86_400_000) throw new AppError('REQUEST_LOG_RANGE_TOO_LARGE', 'invalid', 'El rango supera 31 días', { max_days: 31 });
  return {
    from,
    to,
    status: q.status,
    outcomes: q.outcome?.split(','),
    service: q.service,
    routeName: q.route_name,
    method: q.method?.toUpperCase(),
    userId: q.user_id,
    requestId: q.request_id,
    minDurationMs: q.min_duration_ms,
  };
}

const WINDOWS: Record<string, number> = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
const StatsRow = Type.Object({
  requests: Type.Integer(),
  errors_5xx: Type.Integer(),
  error_rate: Type.Number(),
  p50_ms: Nullable(Type.Number()),
  p95_ms: Nullable(Type.Number()),
  p99_ms: Nullable(Type.Number()),
  rate_limited: Type.Integer(),
  unauthenticated: Type.Integer(),
  circuit_rejections: Type.Integer(),
});

const bogota = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Bogota', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const CSV_COLUMNS = ['occurred_at', 'request_id', 'method', 'path', 'route_name', 'service', 'status', 'outcome', 'error_code', 'duration_ms', 'upstream_ms', 'attempts', 'circuit_state', 'user_id', 'role', 'ip_masked', 'user_agent'];
const safeCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@]/.test(s) ? `'${s}` : s;
};

export async function requestLogsRoutes(app: App, opts: { rt: GatewayRuntime; logs: RequestLogRepo }): Promise<void> {
  const { rt, logs } = opts;
  app.addHook('preHandler', async (request) => rt.guard.requireAdmin(request));

  app.get('/api/v1/gateway/request-logs', {
    schema: { summary: 'Registro de solicitudes', description: 'L1: filtered rows (default last hour, span ≤ 31 days).', tags, querystring: Filters, response: { 200: Envelope(Type.Array(LogRow)), ...errorResponses(401, 403, 422) } },
  }, async (request) => {
    const page = pageRequest(request.query);
    const sort = request.query.sort === '-duration_ms' ? 'duration_ms' : 'occurred_at';
    const { rows, total } = await logs.list(filterOf(request.query), sort, page.pageSize, page.offset);
    return ok(request, rows, { pagination: paginationMeta(page, total) });
  });

  app.get('/api/v1/gateway/request-logs/export', {
    schema: { summary: 'Exportar registro', description: 'L2: CSV of §6.1 (UTF-8 BOM, CRLF, ≤ 100 000 rows).', tags, querystring: Filters, response: { 200: Type.String(), ...errorResponses(401, 403, 422) } },
  }, async (request, reply) => {
    const sort = request.query.sort === '-duration_ms' ? 'duration_ms' : 'occurred_at';
    const { rows, total } = await logs.list(filterOf(request.query), sort, 100_000, 0);
    if (total > 100_000) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 100 000 filas', { max_rows: 100_000, total });
    const records = rows.map((r) => CSV_COLUMNS.map((c) => (c === 'occurred_at' ? `${bogota.format(new Date(r.occurred_at)).replace(' ', 'T')}-05:00` : safeCell(r[c as keyof typeof r]))));
    const csv = '\uFEFF' + stringify([CSV_COLUMNS, ...records], { record_delimiter: '\r\n', quoted_match: /[",\r\n]/ });
    const stamp = bogota.format(new Date()).replace(/[-:]/g, '').replace(' ', '-').slice(0, 13);
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="gateway_solicitudes_${stamp}.csv"`).send(csv);
  });

  app.get('/api/v1/gateway/request-logs/:request_id', {
    schema: { summary: 'Solicitud', description: 'L3: the rows of one request id.', tags, params: Type.Object({ request_id: Type.String() }), response: { 200: Envelope(Type.Array(LogRow)), ...errorResponses(401, 403, 404) } },
  }, async (request) => {
    const rows = await logs.byRequestId(request.params.request_id);
    if (rows.length === 0) throw errors.notFound('NOT_FOUND', 'No hay registros con ese identificador');
    return ok(request, rows);
  });

  app.get('/api/v1/gateway/stats', {
    schema: {
      summary: 'Estadísticas',
      description: 'S3: requests, 5xx, percentiles, limits and circuit rejections per service from the request log.',
      tags,
      querystring: Type.Object({ window: Type.Optional(Type.Union(Object.keys(WINDOWS).map((w) => Type.Literal(w)))) }),
      response: { 200: Envelope(Type.Object({ window: Type.String(), overall: StatsRow, services: Type.Array(Type.Object({ service: Type.String(), ...StatsRow.properties })) })), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const window = request.query.window ?? '1h';
    const raw = (await logs.stats(new Date(Date.now() - WINDOWS[window]))) as Array<Record<string, unknown>>;
    const shape = (r: Record<string, unknown> | undefined) => {
      const requests = Number(r?.requests ?? 0);
      const errors5 = Number(r?.errors_5xx ?? 0);
      const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
      return {
        requests,
        errors_5xx: errors5,
        error_rate: requests ? Math.round((errors5 / requests) * 10_000) / 10_000 : 0,
        p50_ms: num(r?.p50),
        p95_ms: num(r?.p95),
        p99_ms: num(r?.p99),
        rate_limited: Number(r?.rate_limited ?? 0),
        unauthenticated: Number(r?.unauthenticated ?? 0),
        circuit_rejections: Number(r?.circuit_rejections ?? 0),
      };
    };
    const overall = raw.find((r) => Number(r.overall) === 1);
    const services = raw.filter((r) => Number(r.overall) !== 1).map((r) => ({ service: String(r.service), ...shape(r) }));
    return ok(request, { window, overall: shape(overall), services });
  });
}
