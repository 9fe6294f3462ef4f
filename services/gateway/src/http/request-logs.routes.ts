/**
 * L1–L3 and S3: the request log and the stats computed from it (gateway.md §4.2, §4.7, §6.1, R49).
 */
import { Type } from 'typebox';
import { guardRoutes } from '@sicora/platform/auth';
import { attachment, csvExport, keysetBatches, localIso } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError, errors } from '@sicora/platform/errors';
import { pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { logFilter, logSort, STATS_WINDOWS, type ExportCursor, type ExportRow, type LogFilter, type LogRowView, type LogSort, type LogStatsRow } from '../core/request-log-query.ts';
import type { AdminGuard } from './admin-guard.ts';
import { ExportFilters, LogFilters, LogRow, RequestIdParams, Stats, StatsQuery } from './request-logs.schemas.ts';

/** What these routes read from the stored request log (the request-log repository). */
export interface RequestLogReader {
  list(filter: LogFilter, sort: LogSort, limit: number, offset: number): Promise<{ rows: LogRowView[]; total: number }>;
  count(filter: LogFilter): Promise<number>;
  exportBatch(filter: LogFilter, sort: LogSort, after: ExportCursor | undefined, limit: number): Promise<ExportRow[]>;
  byRequestId(requestId: string): Promise<LogRowView[]>;
  stats(from: Date): Promise<LogStatsRow[]>;
}

export interface RequestLogsRoutesOptions {
  guard: AdminGuard;
  logs: RequestLogReader;
  now: () => Date;
  /** The zone of the export's times and file name (America/Bogota, §6.1). */
  timeZone: string;
}

const tags = ['gateway-logs'];
const EXPORT_MAX_ROWS = 100_000;
/** Rows per keyset read of L2: the export yields to other requests between two batches. */
const EXPORT_BATCH_ROWS = 1000;
const CSV_COLUMNS = ['occurred_at', 'request_id', 'method', 'path', 'route_name', 'service', 'status', 'outcome', 'error_code', 'duration_ms', 'upstream_ms', 'attempts', 'circuit_state', 'user_id', 'role', 'ip_masked', 'user_agent'] as const;

/** One §6.1 record; `csvExport` makes each cell formula-safe. */
function csvRecord(r: ExportRow, zone: string): unknown[] {
  return [localIso(r.occurredAt, zone), r.requestId, r.method, r.path, r.routeName, r.service, r.status, r.outcome, r.errorCode, r.durationMs, r.upstreamMs, r.attempts, r.circuitState, r.userId, r.role, r.ipMasked, r.userAgent];
}

/** `gateway_solicitudes_<YYYYMMDD-HHmm>.csv` in the export's zone. */
function exportFilename(at: Date, zone: string): string {
  const local = localIso(at, zone);
  return `gateway_solicitudes_${local.slice(0, 10).replaceAll('-', '')}-${local.slice(11, 16).replace(':', '')}.csv`;
}

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

export const requestLogsRoutes: RoutesPlugin<RequestLogsRoutesOptions> = async (app, { guard, logs, now, timeZone }) => {
  guardRoutes(app, guard.requireAdmin);

  app.get('/api/v1/gateway/request-logs', {
    schema: { summary: 'Registro de solicitudes', description: 'L1: filtered rows (default last hour, span ≤ 31 days).', tags, querystring: LogFilters, response: { 200: Envelope(Type.Array(LogRow)), ...errorResponses(401, 403, 422) } },
  }, async (request) => {
    const page = pageRequest(request.query);
    const { rows, total } = await logs.list(logFilter(request.query, now()), logSort(request.query.sort), page.pageSize, page.offset);
    return ok(request, rows, { pagination: paginationMeta(page, total) });
  });

  app.get('/api/v1/gateway/request-logs/export', {
    schema: {
      summary: 'Exportar registro',
      description:
        'L2: the rows L1 would list, all pages, as the CSV of §6.1 (UTF-8 BOM, CRLF, times in America/Bogota with offset), streamed. ' +
        'More than 100 000 rows → 422 EXPORT_TOO_LARGE (JSON) before any byte of CSV.',
      tags,
      querystring: ExportFilters,
      response: { 200: MediaResponse('Registro de solicitudes en CSV (§6.1)', 'text/csv'), ...errorResponses(401, 403, 422) },
    },
  }, async (request, reply) => {
    const at = now();
    const filter = logFilter(request.query, at);
    const sort = logSort(request.query.sort);
    // Counted before the first byte: a refusal is still a JSON error, not a cut CSV.
    const total = await logs.count(filter);
    if (total > EXPORT_MAX_ROWS) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 100 000 filas', { max_rows: EXPORT_MAX_ROWS, total });
    const csv = csvExport({
      columns: CSV_COLUMNS,
      batches: keysetBatches((after: ExportCursor | undefined, limit) => logs.exportBatch(filter, sort, after, limit), (row) => row.cursor, EXPORT_BATCH_ROWS),
      toRecord: (row) => csvRecord(row, timeZone),
    });
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(exportFilename(at, timeZone))).send(csv);
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
