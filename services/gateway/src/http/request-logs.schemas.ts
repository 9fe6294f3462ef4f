/**
 * L1–L3 and S3 (gateway.md §4.7, §6.1): request-log rows, their filters and the stats.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable } from '@sicora/platform/schemas';
import { STATS_WINDOWS } from '../core/request-log-query.ts';

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

export const LogFilters = Type.Object({
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

export const RequestIdParams = Type.Object({ request_id: Type.String() });

export const StatsQuery = Type.Object({ window: Type.Optional(Type.Union(Object.keys(STATS_WINDOWS).map((w) => Type.Literal(w)))) });

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

export const Stats = Type.Object({
  window: Type.String(),
  overall: StatsRow,
  services: Type.Array(Type.Object({ service: Type.String(), ...StatsRow.properties })),
});
