/**
 * TypeBox schemas of the admin API (gateway.md §4.2–§4.7).
 */
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Methods = Type.Array(Type.Union(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => Type.Literal(m))), { minItems: 1 });
const Roles = Type.Array(Type.Union(['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'].map((m) => Type.Literal(m))), { minItems: 1 });

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

const routeFields = {
  name: Type.String({ pattern: '^[a-z0-9-]{2,60}$' }),
  methods: Nullable(Methods),
  pattern: Type.String({ minLength: 1, maxLength: 200 }),
  match: Type.Union([Type.Literal('exact'), Type.Literal('prefix')]),
  service: Type.String(),
  access: Type.Union([Type.Literal('public'), Type.Literal('authenticated')]),
  roles: Nullable(Roles),
  rate_limit_policy: Nullable(Type.String()),
  attempt_timeout_ms: Nullable(Type.Integer({ minimum: 100, maximum: 120_000 })),
  deadline_ms: Nullable(Type.Integer({ minimum: 100, maximum: 300_000 })),
  max_retries: Nullable(Type.Integer({ minimum: 0, maximum: 3 })),
  body_limit_bytes: Nullable(Type.Integer({ minimum: 1024, maximum: 104_857_600 })),
  enabled: Type.Boolean(),
  description: Type.String({ maxLength: 300 }),
};

export const Route = Type.Object({
  id: Type.String(),
  ...routeFields,
  methods: Nullable(Type.Array(Type.String())),
  access: Type.String(),
  roles: Nullable(Type.Array(Type.String())),
  config_version: Type.Optional(Type.Integer()),
});
export const RouteCreate = Type.Object(
  {
    name: routeFields.name,
    pattern: routeFields.pattern,
    match: routeFields.match,
    service: routeFields.service,
    access: routeFields.access,
    methods: Type.Optional(routeFields.methods),
    roles: Type.Optional(routeFields.roles),
    rate_limit_policy: Type.Optional(routeFields.rate_limit_policy),
    attempt_timeout_ms: Type.Optional(routeFields.attempt_timeout_ms),
    deadline_ms: Type.Optional(routeFields.deadline_ms),
    max_retries: Type.Optional(routeFields.max_retries),
    body_limit_bytes: Type.Optional(routeFields.body_limit_bytes),
    enabled: Type.Optional(routeFields.enabled),
    description: Type.Optional(routeFields.description),
    expected_config_version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export const RoutePatch = Type.Partial(RouteCreate, { additionalProperties: false });

const policyFields = {
  name: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }),
  key_by: Type.Union([Type.Literal('ip'), Type.Literal('user')]),
  limit: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  window_seconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  failure_mode: Nullable(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
  enabled: Type.Boolean(),
  description: Type.String({ maxLength: 300 }),
};
export const Policy = Type.Object({ ...policyFields, builtin: Type.Boolean(), routes_using: Type.Optional(Type.Array(Type.String())), config_version: Type.Optional(Type.Integer()) });
export const PolicyCreate = Type.Object(
  {
    name: policyFields.name,
    key_by: policyFields.key_by,
    limit: policyFields.limit,
    window_seconds: policyFields.window_seconds,
    failure_mode: Type.Optional(policyFields.failure_mode),
    enabled: Type.Optional(policyFields.enabled),
    description: Type.Optional(policyFields.description),
    expected_config_version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export const PolicyPatch = Type.Object(
  {
    limit: Type.Optional(policyFields.limit),
    window_seconds: Type.Optional(policyFields.window_seconds),
    key_by: Type.Optional(policyFields.key_by),
    failure_mode: Type.Optional(policyFields.failure_mode),
    enabled: Type.Optional(policyFields.enabled),
    description: Type.Optional(policyFields.description),
    expected_config_version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const RateLimitKey = Type.String({ pattern: '^(ip:[0-9a-fA-F:.]{2,45}|user:[0-9a-fA-F-]{36})$' });
