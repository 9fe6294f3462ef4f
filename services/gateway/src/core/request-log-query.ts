/**
 * What L1, L2 and S3 ask of the request log (gateway.md §4.7, R49): the filter with its default range
 * (the last hour) and limit (31 days), the row as the admin API shows it, and the stats windows.
 */
import { AppError, errors } from '@sicora/platform/errors';

export interface LogFilter {
  from: Date;
  to: Date;
  status?: string;
  outcomes?: string[];
  service?: string;
  routeName?: string;
  method?: string;
  userId?: string;
  requestId?: string;
  minDurationMs?: number;
}

/** L1's query parameters as they arrive (validated by the route schema). */
export interface LogQuery {
  from?: string;
  to?: string;
  status?: string;
  outcome?: string;
  service?: string;
  route_name?: string;
  method?: string;
  user_id?: string;
  request_id?: string;
  min_duration_ms?: number;
}

const HOUR_MS = 3_600_000;
const MAX_SPAN_MS = 31 * 86_400_000;

export function logFilter(q: LogQuery, now: Date): LogFilter {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - HOUR_MS);
  if (from > to) throw errors.validation([{ field: 'from', reason: 'range', message: 'from debe ser anterior a to' }]);
  if (to.getTime() - from.getTime() > MAX_SPAN_MS) throw new AppError('REQUEST_LOG_RANGE_TOO_LARGE', 'invalid', 'El rango supera 31 días', { max_days: 31 });
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

/** L1's and L2's orders, newest or slowest first (`sort=-occurred_at`, `sort=-duration_ms`). */
export type LogSort = 'occurred_at' | 'duration_ms';

export function logSort(sort: string | undefined): LogSort {
  return sort === '-duration_ms' ? 'duration_ms' : 'occurred_at';
}

/** Where an L2 batch resumes: the last row's sort value (as the database prints it) and id. */
export interface ExportCursor {
  key: string;
  id: string;
}

/** One row as L2 reads it: the §6.1 columns and the cursor after it. */
export interface ExportRow {
  occurredAt: Date;
  requestId: string;
  method: string;
  path: string;
  routeName: string | null;
  service: string | null;
  status: number;
  outcome: string;
  errorCode: string | null;
  durationMs: number;
  upstreamMs: number | null;
  attempts: number;
  circuitState: string | null;
  userId: string | null;
  role: string | null;
  ipMasked: string;
  userAgent: string;
  cursor: ExportCursor;
}

/** One stored row as L1/L3 show it. */
export interface LogRowView {
  id: string;
  request_id: string;
  occurred_at: string;
  method: string;
  path: string;
  query_keys: string[];
  route_name: string | null;
  service: string | null;
  status: number;
  outcome: string;
  error_code: string | null;
  duration_ms: number;
  upstream_ms: number | null;
  attempts: number;
  circuit_state: string | null;
  user_id: string | null;
  role: string | null;
  ip_masked: string;
  user_agent: string;
}

/** S3's windows. */
export const STATS_WINDOWS: Record<string, number> = { '15m': 15 * 60_000, '1h': HOUR_MS, '24h': 86_400_000, '7d': 7 * 86_400_000 };

/** One group of S3 as the repository computes it: a service (`overall` false) or every row (`overall` true). */
export interface LogStatsRow {
  service: string;
  overall: boolean;
  requests: number;
  errors_5xx: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  rate_limited: number;
  unauthenticated: number;
  circuit_rejections: number;
}
