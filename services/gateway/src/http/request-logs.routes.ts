/**
 * L1–L3 and S3: the request log and the stats computed from it (gateway.md §4.2, §4.7, §6.1, R49).
 */
import { Type } from 'typebox';
import { stringify } from 'csv-stringify/sync';
import { guardRoutes } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError, errors } from '@sicora/platform/errors';
import { pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { RoutesPlugin } from '@sicora/platform/server';
import { logFilter, STATS_WINDOWS, type LogFilter, type LogRowView, type LogStatsRow } from '../core/request-log-query.ts';
import type { AdminGuard } from './admin-guard.ts';
import { LogFilters, LogRow, RequestIdParams, Stats, StatsQuery } from './request-logs.schemas.ts';

/** What these routes read from the stored request log (the request-log repository). */
export interface RequestLogReader {
  list(filter: LogFilter, sort: 'occurred_at' | 'duration_ms', limit: number, offset: number): Promise<{ rows: LogRowView[]; total: number }>;
  byRequestId(requestId: string): Promise<LogRowView[]>;
  stats(from: Date): Promise<LogStatsRow[]>;
}

export interface RequestLogsRoutesOptions {
  guard: AdminGuard;
  logs: RequestLogReader;
  now: () => Date;
}

const tags = ['gateway-logs'];
const EXPORT_MAX_ROWS = 100_000;
const bogota = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/Bogota', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const CSV_COLUMNS = ['occurred_at', 'request_id', 'method', 'path', 'route_name', 'service', 'status', 'outcome', 'error_code', 'duration_ms', 'upstream_ms', 'attempts', 'circuit_state', 'user_id', 'role', 'ip_masked', 'user_agent'];
// A cell starting with = + - @ would be a formula in a spreadsheet (CSV injection).
const safeCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /^[=+\-@]/.test(s) ? `'${s}` : s;
};

function statsView(r: LogStatsRow | undefined) {
  const requests = r?.requests ?? 0;
  const errors5 = r?.errors_5xx ?? 0;
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
  return {
    requests,
    errors_5xx: errors5,
    error_rate: requests ? Math.round((errors5 / requests) * 10_000) / 10_000 : 0,
    p50_ms: ms(r?.p50),
    p95_ms: ms(r?.p95),
    p99_ms: ms(r?.p99),
    rate_limited: r?.rate_limited ?? 0,
    unauthenticated: r?.unauthenticated ?? 0,
    circuit_rejections: r?.circuit_rejections ?? 0,
  };
}

export const requestLogsRoutes: RoutesPlugin<RequestLogsRoutesOptions> = async (app, { guard, logs, now }) => {
  guardRoutes(app, guard.requireAdmin);

  app.get('/api/v1/gateway/request-logs', {
    schema: { summary: 'Registro de solicitudes', description: 'L1: filtered rows (default last hour, span ≤ 31 days).', tags, querystring: LogFilters, response: { 200: Envelope(Type.Array(LogRow)), ...errorResponses(401, 403, 422) } },
  }, async (request) => {
    const page = pageRequest(request.query);
    const sort = request.query.sort === '-duration_ms' ? 'duration_ms' : 'occurred_at';
    const { rows, total } = await logs.list(logFilter(request.query, now()), sort, page.pageSize, page.offset);
    return ok(request, rows, { pagination: paginationMeta(page, total) });
  });

  app.get('/api/v1/gateway/request-logs/export', {
    schema: { summary: 'Exportar registro', description: 'L2: CSV of §6.1 (UTF-8 BOM, CRLF, ≤ 100 000 rows).', tags, querystring: LogFilters, response: { 200: Type.String(), ...errorResponses(401, 403, 422) } },
  }, async (request, reply) => {
    const sort = request.query.sort === '-duration_ms' ? 'duration_ms' : 'occurred_at';
    const at = now();
    const { rows, total } = await logs.list(logFilter(request.query, at), sort, EXPORT_MAX_ROWS, 0);
    if (total > EXPORT_MAX_ROWS) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 100 000 filas', { max_rows: EXPORT_MAX_ROWS, total });
    const records = rows.map((r) => CSV_COLUMNS.map((c) => (c === 'occurred_at' ? `${bogota.format(new Date(r.occurred_at)).replace(' ', 'T')}-05:00` : safeCell(r[c as keyof typeof r]))));
    const csv = '\uFEFF' + stringify([CSV_COLUMNS, ...records], { record_delimiter: '\r\n', quoted_match: /[",\r\n]/ });
    const stamp = bogota.format(at).replace(/[-:]/g, '').replace(' ', '-').slice(0, 13);
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="gateway_solicitudes_${stamp}.csv"`).send(csv);
  });

  app.get('/api/v1/gateway/request-logs/:request_id', {
    schema: { summary: 'Solicitud', description: 'L3: the rows of one request id.', tags, params: RequestIdParams, response: { 200: Envelope(Type.Array(LogRow)), ...errorResponses(400, 401, 403, 404) } },
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
      querystring: StatsQuery,
      response: { 200: Envelope(Stats), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const window = request.query.window ?? '1h';
    const rows = await logs.stats(new Date(now().getTime() - STATS_WINDOWS[window]));
    const services = rows.filter((r) => !r.overall).map((r) => ({ service: r.service, ...statsView(r) }));
    return ok(request, { window, overall: statsView(rows.find((r) => r.overall)), services });
  });
};
