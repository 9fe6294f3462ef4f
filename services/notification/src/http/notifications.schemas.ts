/**
 * TypeBox schemas of the send request (§4.1) and its answer.
 */
import { Type } from 'typebox';
import { CHANNELS, TYPE_PATTERN } from '../domain/enums.ts';

const Uuid = Type.String({ format: 'uuid' });
const Iso = Type.String({ format: 'date-time' });

export const SendRequestSchema = Type.Object({
  type: Type.String({ pattern: TYPE_PATTERN, maxLength: 100 }),
  // Limits of R5 are checked by the use case (TOO_MANY_TARGETS); these only bound the parser.
  target_users: Type.Optional(Type.Array(Uuid, { maxItems: 5000 })),
  target_roles: Type.Optional(Type.Array(Type.String({ maxLength: 30 }), { maxItems: 10 })),
  target_groups: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
  target_group_numbers: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4,10}$' }), { maxItems: 500 })),
  include_group_instructors: Type.Optional(Type.Boolean()),
  exclude_users: Type.Optional(Type.Array(Uuid, { maxItems: 5000 })),
  channels: Type.Optional(Type.Array(Type.Union(CHANNELS.map((c) => Type.Literal(c))), { minItems: 1, maxItems: 4 })),
  priority: Type.Optional(Type.Union(['low', 'normal', 'medium', 'high', 'critical'].map((p) => Type.Literal(p)))),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  action_url: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  sensitive_keys: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  idempotency_key: Type.Optional(Type.String({ maxLength: 200 })),
  scheduled_at: Type.Optional(Iso),
  expires_at: Type.Optional(Iso),
  locale: Type.Optional(Type.String({ maxLength: 35 })),
}, { additionalProperties: false });

export const AcceptedSchema = Type.Object({
  id: Uuid,
  type: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  scheduled_at: Type.Union([Iso, Type.Null()]),
  created_at: Iso,
  warnings: Type.Array(Type.String()),
});
