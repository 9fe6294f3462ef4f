/**
 * RT1–RT6 (gateway.md §4.4): route rules and the route tester. The bounds are those of the whole-
 * configuration check (core/config-validation.ts), so a body the document accepts is refused only for
 * what a schema cannot say: a reserved pattern (422 ROUTE_RESERVED_PATH), an ambiguous or repeated rule
 * (409), an unknown service or policy (404), roles on a public rule or a deadline below its attempt (422).
 */
import { Type } from 'typebox';
import { ROLES } from '@sicora/platform/roles';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { UPSTREAM_NAMES } from '@sicora/platform/services';
import { HTTP_METHODS } from '../core/gateway-config.ts';
import { ExpectedVersion, literals } from './schema-parts.ts';
import { ServiceNameEnum } from './services.schemas.ts';

const Method = literals(HTTP_METHODS);
const Methods = Type.Array(Method, { minItems: 1, maxItems: HTTP_METHODS.length, uniqueItems: true });
const Roles = Type.Array(literals<string>(ROLES), { minItems: 1, maxItems: ROLES.length, uniqueItems: true });
/** The English aliases of 00-conventions §4 the tester accepts next to the roles. */
export const ROLE_ALIASES = ['apprentice', 'coordinator', 'administrative'] as const;

const routeFields = {
  name: Type.String({ pattern: '^[a-z0-9-]{2,60}$' }),
  methods: Nullable(Methods, { description: 'null = todos los métodos' }),
  pattern: Type.String({
    minLength: 1,
    maxLength: 200,
    // Segments of one or more characters (no //), none holding .. — written without look-arounds, which
    // test generators (fast-check's stringMatching) cannot read.
    pattern: '^(/(\\.?[^/%?#.])+\\.?)*/?$',
    description: 'Empieza por /; sin .., //, %, ? ni #; no bajo /health, /metrics, /docs ni /api/v1/gateway (422 ROUTE_RESERVED_PATH)',
  }),
  match: Type.Union([Type.Literal('exact'), Type.Literal('prefix')]),
  service: Type.String({ description: `Uno de: ${UPSTREAM_NAMES.join(', ')} (otro → 404 SERVICE_NOT_FOUND)` }),
  access: Type.Union([Type.Literal('public'), Type.Literal('authenticated')]),
  roles: Nullable(Roles, { description: 'Solo con access=authenticated; null = cualquier rol' }),
  rate_limit_policy: Nullable(Type.String({ description: 'Una política existente (otra → 404 POLICY_NOT_FOUND); null = la de su acceso' })),
  attempt_timeout_ms: Nullable(Type.Integer({ minimum: 100, maximum: 120_000 })),
  deadline_ms: Nullable(Type.Integer({ minimum: 100, maximum: 300_000 })),
  max_retries: Nullable(Type.Integer({ minimum: 0, maximum: 3 })),
  body_limit_bytes: Nullable(Type.Integer({ minimum: 1024, maximum: 104_857_600 })),
  enabled: Type.Boolean(),
  description: Type.String({ maxLength: 300 }),
};

export const Route = Type.Object({
  id: Uuid,
  ...routeFields,
  service: ServiceNameEnum,
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
    expected_config_version: Type.Optional(ExpectedVersion),
  },
  { additionalProperties: false },
);

export const RoutePatch = Type.Partial(RouteCreate, { additionalProperties: false });

export const RouteId = Type.Object({ id: Uuid });

export const RouteListQuery = Type.Object({
  service: Type.Optional(Type.String({ maxLength: 40 })),
  access: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('authenticated')])),
  enabled: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Union([Type.Literal('name'), Type.Literal('pattern')], { default: 'name' })),
});

export const RouteTest = Type.Object(
  {
    method: Method,
    path: Type.String({ minLength: 1, maxLength: 8192, description: 'Ruta y consulta tal como llegarían; una ruta que R1 rechaza → decision invalid_path' }),
    role: Type.Optional(literals([...ROLES, ...ROLE_ALIASES], { description: 'Ausente = anónimo' })),
    must_change_password: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ROUTE_DECISIONS = ['allow', 'unauthenticated', 'forbidden', 'password_change_required', 'not_found', 'invalid_path'] as const;

export const RouteTestResult = Type.Object({
  route_name: Nullable(Type.String()),
  service: Nullable(ServiceNameEnum),
  upstream_url: Nullable(Type.String()),
  decision: literals(ROUTE_DECISIONS),
  policies: Type.Array(Type.String()),
});
