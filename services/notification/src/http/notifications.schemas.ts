/**
 * TypeBox schemas of the send request (§4.1, N1) and its answer; the same body check serves each item of
 * N2 (`checkSendRequest`).
 */
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CHANNELS, TYPE_PATTERN } from '../domain/enums.ts';
import { BCP47_PATTERN, DATA_KEY_PATTERN, IDEMPOTENCY_KEY_PATTERN, TARGET_ROLES } from '../domain/send-request.ts';

export const SendRequestSchema = Type.Object({
  type: Type.String({ pattern: TYPE_PATTERN, maxLength: 100 }),
  // Limits of R5 are checked by the use case (TOO_MANY_TARGETS); these only bound the parser.
  target_users: Type.Optional(Type.Array(Uuid, { maxItems: 5000 })),
  target_roles: Type.Optional(Type.Array(Type.Union(TARGET_ROLES.map((r) => Type.Literal(r)), { description: 'Un rol de persona (o su alias en inglés)' }), { maxItems: 10 })),
  target_groups: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
  target_group_numbers: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4,10}$' }), { maxItems: 500 })),
  include_group_instructors: Type.Optional(Type.Boolean()),
  exclude_users: Type.Optional(Type.Array(Uuid, { maxItems: 5000 })),
  channels: Type.Optional(Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), { minItems: 1, maxItems: 4 })),
  priority: Type.Optional(Type.Union(['low', 'normal', 'medium', 'high', 'critical'].map((p) => Type.Literal(p)))),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  action_url: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^(https?://\\S+|/\\S*)$', description: 'URL http(s) absoluta o ruta que empieza por /' })),
  data: Type.Optional(Type.Record(Type.String({ pattern: DATA_KEY_PATTERN }), Type.Unknown(), {
    additionalProperties: false,
    description: 'Variables de la plantilla: 16 KiB serializado y 6 niveles como máximo; `recipient`, `app` y `notification` están reservadas (422)',
  })),
  sensitive_keys: Type.Optional(Type.Array(Type.String({ pattern: DATA_KEY_PATTERN, description: 'Una clave presente en `data`' }), { maxItems: 50 })),
  entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  idempotency_key: Type.Optional(Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN, description: 'Igual al encabezado `Idempotency-Key` si ambos vienen' })),
  scheduled_at: Type.Optional(Timestamp),
  expires_at: Type.Optional(Timestamp),
  locale: Type.Optional(Type.String({ maxLength: 35, pattern: BCP47_PATTERN })),
}, { additionalProperties: false });

export const SendHeadersSchema = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ pattern: IDEMPOTENCY_KEY_PATTERN })) });

export const AcceptedSchema = Type.Object({
  id: Uuid,
  type: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  scheduled_at: Nullable(Timestamp),
  created_at: Timestamp,
  warnings: Type.Array(Type.String()),
});

/** N2 (R7): one bulk item checked as N1 checks its body; the field errors (at most 20), or null. */
export function checkSendRequest(item: unknown): Array<{ field: string; reason: string; message: string }> | null {
  if (Value.Check(SendRequestSchema, item)) return null;
  return [...Value.Errors(SendRequestSchema, item)].slice(0, 20).map((e) => ({ field: e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(body)', reason: e.keyword, message: e.message }));
}
