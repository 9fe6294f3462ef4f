/**
 * L1–L3 and S3 (gateway.md §4.7, §6.1): request-log rows, their filters and the stats. Bounds are the
 * server's: every text filter has the length of what it is compared with, so no documented query can
 * grow past the 8 192 bytes of R1 (414).
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CIRCUIT_STATES } from '../core/health-aggregation.ts';
import { STATS_WINDOWS } from '../core/request-log-query.ts';
import { OUTCOMES } from '../core/request-outcome.ts';
import { Instant, literals } from './schema-parts.ts';


export const LogRow = Type.Object({
  id: Uuid,
  request_id: Type.String(),
  occurred_at: Instant,
  method: Type.String(),
  path: Type.String(),
  query_keys: Type.Array(Type.String()),
  route_name: Nullable(Type.String()),
  service: Nullable(Type.String()),
  status: Type.Integer(),
  outcome: literals<string>(OUTCOMES),
  error_code: Nullable(Type.String()),
  duration_ms: Type.Number(),
  upstream_ms: Nullable(Type.Number()),
  attempts: Type.Integer(),
  circuit_state: Nullable(literals<string>(CIRCUIT_STATES)),
  user_id: Nullable(Uuid),
  role: Nullable(Type.String()),
  ip_masked: Type.String(),
  user_agent: Type.String(),
});

/** L1's filters (L2 takes the same, without pages). */
const filters = {
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  status: Type.Optional(Type.String({ pattern: '^([1-5][0-9]{2}|4xx|5xx)$', description: 'Un código (404) o una clase (4xx, 5xx)' })),
  outcome: Type.Optional(
    Type.String({
      pattern: `^(${OUTCOMES.join('|')})(,(${OUTCOMES.join('|')}))*$`,
      maxLength: 400,
      description: `Lista separada por comas de: ${OUTCOMES.join(', ')}`,
    }),
  ),
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  route_name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  // Any method the log holds (a refused PROPFIND is logged too); compared in upper case.
  method: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  user_id: Type.Optional(Uuid),
  request_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  min_duration_ms: Type.Optional(Type.Number({ minimum: 0 })),
  sort: Type.Optional(Type.Union([Type.Literal('-occurred_at'), Type.Literal('-duration_ms')], { default: '-occurred_at' })),
};

export const LogFilters = Type.Object({ ...filters, ...PageQuery });

export const ExportFilters = Type.Object(filters);

export const RequestIdParams = Type.Object({ request_id: Type.String({ minLength: 1, maxLength: 128 }) });

const WINDOWS = Object.keys(STATS_WINDOWS);

export const StatsQuery = Type.Object({ window: Type.Optional(literals(WINDOWS, { default: '1h' })) });

const StatsRow = Type.Object({
  requests: Type.Integer(),
  errors_5xx: Type.Integer(),
  error_rate: Type.Number({ minimum: 0, maximum: 1 }),
  p50_ms: Nullable(Type.Number()),
  p95_ms: Nullable(Type.Number()),
  p99_ms: Nullable(Type.Number()),
  rate_limited: Type.Integer(),
  unauthenticated: Type.Integer(),
  circuit_rejections: Type.Integer(),
});

export const Stats = Type.Object({
  window: literals(WINDOWS),
  overall: StatsRow,
  services: Type.Array(Type.Object({ service: Type.String(), ...StatsRow.properties })),
});
