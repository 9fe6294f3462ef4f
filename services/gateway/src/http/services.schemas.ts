/**
 * V1–V6 (gateway.md §4.3): service views, live settings, health history, forced circuits, probes.
 * Enums and bounds are the ones the server holds (§3.1, §3.5, §3.8); a body field outside them is 422.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { UPSTREAM_NAMES } from '@sicora/platform/services';
import { CIRCUIT_STATES, SERVICE_STATUSES } from '../core/health-aggregation.ts';
import { ExpectedVersion, Instant, literals } from './schema-parts.ts';

/** A registry name, documented as the enum of §3.1 (stored and read as text). */
export const ServiceNameEnum = literals<string>(UPSTREAM_NAMES);
export const CircuitStateEnum = literals<string>(CIRCUIT_STATES);

export const CircuitView = Type.Object({
  state: CircuitStateEnum,
  opened_at: Nullable(Instant),
  failure_ratio: Type.Number({ minimum: 0, maximum: 1 }),
  window_requests: Type.Integer({ minimum: 0 }),
});

export const ServiceView = Type.Object({
  name: ServiceNameEnum,
  display_name: Type.String(),
  base_url: Type.String(),
  base_url_source: Type.Union([Type.Literal('env'), Type.Literal('override')]),
  status: literals(SERVICE_STATUSES),
  status_since: Nullable(Instant),
  last_check_at: Nullable(Instant),
  last_latency_ms: Nullable(Type.Number({ minimum: 0 })),
  last_error_code: Nullable(Type.String()),
  critical: Type.Boolean(),
  enabled: Type.Boolean(),
  maintenance_message: Nullable(Type.String()),
  circuit: CircuitView,
  // In force: the environment's blanket override (GATEWAY_ATTEMPT_TIMEOUT_MS…) may go below V3's bounds.
  timeouts: Type.Object({ attempt_timeout_ms: Type.Integer(), deadline_ms: Type.Integer(), max_retries: Type.Integer() }),
  config_version: Type.Optional(Type.Integer()),
});

export const ServicePatch = Type.Object(
  {
    base_url_override: Type.Optional(Nullable(Type.String({ pattern: '^https?://\\S+$', maxLength: 500 }))),
    attempt_timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
    deadline_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 300_000, description: 'Al menos el tiempo por intento (si no → 422)' })),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    critical: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
    maintenance_message: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    expected_config_version: Type.Optional(ExpectedVersion),
  },
  { additionalProperties: false },
);

/** Any text: a name outside the registry is 404 SERVICE_NOT_FOUND (§4.3), not a validation error. */
export const ServiceName = Type.Object({ name: Type.String({ description: `Uno de: ${UPSTREAM_NAMES.join(', ')}` }) });

export const HistoryRow = Type.Object({
  id: Uuid,
  service: ServiceNameEnum,
  checked_at: Instant,
  status: literals<string>(['up', 'down']),
  http_status: Nullable(Type.Integer()),
  latency_ms: Nullable(Type.Integer({ minimum: 0 })),
  error_code: Nullable(Type.String()),
  circuit_state: CircuitStateEnum,
  kind: literals<string>(['transition', 'sample']),
});

export const ServiceDetail = Type.Object({ ...ServiceView.properties, history: Type.Array(HistoryRow, { maxItems: 20 }) });

export const HealthHistoryQuery = Type.Object({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  kind: Type.Optional(Type.Union([Type.Literal('transition'), Type.Literal('sample')])),
  ...PageQuery,
});

export const CircuitAction = Type.Object(
  { action: Type.Union([Type.Literal('force_open'), Type.Literal('force_closed'), Type.Literal('reset')]) },
  { additionalProperties: false },
);

export const CircuitResult = Type.Object({ state: CircuitStateEnum, config_version: Type.Integer() });

export const ProbeResult = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  http_status: Nullable(Type.Integer()),
  latency_ms: Type.Integer({ minimum: 0 }),
  error_code: Nullable(Type.String()),
});
