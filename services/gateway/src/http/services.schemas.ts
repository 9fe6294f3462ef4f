/**
 * V1–V6 (gateway.md §4.3): service views, live settings, health history, forced circuits, probes.
 */
import { Type } from 'typebox';
import { Nullable } from '@sicora/platform/schemas';
import { PageQuery } from '@sicora/platform/pagination';

export const CircuitView = Type.Object({
  state: Type.String(),
  opened_at: Nullable(Type.String()),
  failure_ratio: Type.Number(),
  window_requests: Type.Integer(),
});

export const ServiceView = Type.Object({
  name: Type.String(),
  display_name: Type.String(),
  base_url: Type.String(),
  base_url_source: Type.Union([Type.Literal('env'), Type.Literal('override')]),
  status: Type.String(),
  status_since: Nullable(Type.String()),
  last_check_at: Nullable(Type.String()),
  last_latency_ms: Nullable(Type.Number()),
  last_error_code: Nullable(Type.String()),
  critical: Type.Boolean(),
  enabled: Type.Boolean(),
  maintenance_message: Nullable(Type.String()),
  circuit: CircuitView,
  timeouts: Type.Object({ attempt_timeout_ms: Type.Integer(), deadline_ms: Type.Integer(), max_retries: Type.Integer() }),
  config_version: Type.Optional(Type.Integer()),
});

export const ServicePatch = Type.Object(
  {
    base_url_override: Type.Optional(Nullable(Type.String({ pattern: '^https?://\\S+$', maxLength: 500 }))),
    attempt_timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
    deadline_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 300_000 })),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
    critical: Type.Optional(Type.Boolean()),
    enabled: Type.Optional(Type.Boolean()),
    maintenance_message: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    expected_config_version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const ServiceName = Type.Object({ name: Type.String() });

export const HistoryRow = Type.Object({
  id: Type.String(),
  service: Type.String(),
  checked_at: Type.String(),
  status: Type.String(),
  http_status: Nullable(Type.Integer()),
  latency_ms: Nullable(Type.Integer()),
  error_code: Nullable(Type.String()),
  circuit_state: Type.String(),
  kind: Type.String(),
});

export const ServiceDetail = Type.Object({ ...ServiceView.properties, history: Type.Array(HistoryRow) });

export const HealthHistoryQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  kind: Type.Optional(Type.Union([Type.Literal('transition'), Type.Literal('sample')])),
  ...PageQuery,
});

export const CircuitAction = Type.Object(
  { action: Type.Union([Type.Literal('force_open'), Type.Literal('force_closed'), Type.Literal('reset')]) },
  { additionalProperties: false },
);

export const CircuitResult = Type.Object({ state: Type.String(), config_version: Type.Integer() });

export const ProbeResult = Type.Object({
  status: Type.String(),
  http_status: Nullable(Type.Integer()),
  latency_ms: Type.Integer(),
  error_code: Nullable(Type.String()),
});
