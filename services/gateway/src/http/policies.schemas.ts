/**
 * P1–P6 (gateway.md §4.5): rate-limit policies and the counters of one key.
 */
import { Type } from 'typebox';
import { Nullable } from '@sicora/platform/schemas';
import { ExpectedVersion } from './schema-parts.ts';

const policyFields = {
  name: Type.String({ pattern: '^[a-z0-9-]{2,40}$' }),
  key_by: Type.Union([Type.Literal('ip'), Type.Literal('user')]),
  limit: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  window_seconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  failure_mode: Nullable(Type.Union([Type.Literal('open'), Type.Literal('closed')]), { description: 'null = RATE_LIMIT_FAILURE_MODE' }),
  enabled: Type.Boolean(),
  description: Type.String({ maxLength: 300 }),
};

export const Policy = Type.Object({
  ...policyFields,
  builtin: Type.Boolean(),
  routes_using: Type.Optional(Type.Array(Type.String(), { description: 'Reglas que usan la política' })),
  config_version: Type.Optional(Type.Integer()),
});

export const PolicyCreate = Type.Object(
  {
    name: policyFields.name,
    key_by: policyFields.key_by,
    limit: policyFields.limit,
    window_seconds: policyFields.window_seconds,
    failure_mode: Type.Optional(policyFields.failure_mode),
    enabled: Type.Optional(policyFields.enabled),
    description: Type.Optional(policyFields.description),
    expected_config_version: Type.Optional(ExpectedVersion),
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
    expected_config_version: Type.Optional(ExpectedVersion),
  },
  { additionalProperties: false },
);

/** Any text: an unknown name is 404 POLICY_NOT_FOUND (§4.5), not a validation error. */
export const PolicyName = Type.Object({ name: Type.String() });

export const RateLimitKey = Type.String({ pattern: '^(ip:[0-9a-fA-F:.]{2,45}|user:[0-9a-fA-F-]{36})$', description: 'ip:<dirección> o user:<uuid>' });

export const CounterQuery = Type.Object({ policy: Type.String({ description: 'Una política existente (otra → 404 POLICY_NOT_FOUND)' }), key: RateLimitKey });

export const Counter = Type.Object({
  policy: Type.String(),
  key: Type.String(),
  limit: Type.Integer({ minimum: 1 }),
  window_seconds: Type.Integer({ minimum: 1 }),
  estimate: Type.Number({ minimum: 0 }),
  remaining: Type.Integer({ minimum: 0 }),
  reset_seconds: Type.Integer({ minimum: 0 }),
});

export const CounterReset = Type.Object({ policy: Type.Optional(Type.String({ description: 'Ausente = todas las políticas' })), key: RateLimitKey }, { additionalProperties: false });

export const CounterResetResult = Type.Object({ cleared: Type.Integer({ minimum: 0 }) });
