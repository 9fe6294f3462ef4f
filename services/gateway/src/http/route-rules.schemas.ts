/**
 * RT1–RT6 (gateway.md §4.4): route rules and the route tester.
 */
import { Type } from 'typebox';
import { ROLES } from '@sicora/platform/roles';
import { Nullable } from '@sicora/platform/schemas';
import { HTTP_METHODS } from '../core/gateway-config.ts';

const Method = Type.Union(HTTP_METHODS.map((m) => Type.Literal(m)));
const Methods = Type.Array(Method, { minItems: 1 });
const Roles = Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r))), { minItems: 1 });

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

export const RouteId = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const RouteListQuery = Type.Object({
  service: Type.Optional(Type.String()),
  access: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('authenticated')])),
  enabled: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Union([Type.Literal('name'), Type.Literal('pattern')])),
});

export const RouteTest = Type.Object(
  {
    method: Method,
    path: Type.String({ minLength: 1, maxLength: 8192 }),
    role: Type.Optional(Type.String()),
    must_change_password: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RouteTestResult = Type.Object({
  route_name: Nullable(Type.String()),
  service: Nullable(Type.String()),
  upstream_url: Nullable(Type.String()),
  decision: Type.String(),
  policies: Type.Array(Type.String()),
});
