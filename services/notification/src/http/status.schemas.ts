/**
 * Schemas of N2–N7: the bulk body and result, list and delivery queries, NotificationView, DeliveryView
 * and the type catalogue.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CATEGORIES, CHANNELS, DELIVERY_STATUSES, NOTIFICATION_STATUSES } from '../domain/enums.ts';

export const lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const NotificationViewSchema = Type.Object({
  id: Type.String(), type: Type.String(), category: Type.String(), status: Type.String(), status_reason: Nullable(Type.String()), priority: Type.String(), source: Type.String(),
  requested_by: Type.String(), title: Nullable(Type.String()), entity_type: Nullable(Type.String()), entity_id: Nullable(Type.String()), scheduled_at: Nullable(Timestamp), expires_at: Nullable(Timestamp),
  created_at: Timestamp, completed_at: Nullable(Timestamp), recipient_count: Nullable(Type.Integer()),
  recipient_outcomes: Type.Object({ not_found: Type.Array(Type.String()), not_found_count: Type.Integer(), groups_not_found: Type.Array(Type.String()) }),
  counts: Type.Object({ by_status: Type.Record(Type.String(), Type.Integer()), by_channel: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())) }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const DeliveryViewSchema = Type.Object({
  id: Type.String(), user_id: Type.String(), channel: Type.String(), status: Type.String(), status_reason: Nullable(Type.String()), destination: Nullable(Type.String()),
  provider: Nullable(Type.String()), attempt_count: Type.Integer(), next_attempt_at: Nullable(Timestamp), sent_at: Nullable(Timestamp), delivered_at: Nullable(Timestamp),
  last_error_code: Nullable(Type.String()), updated_at: Timestamp,
});

export const BulkBodySchema = Type.Object({ items: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

export const BulkResultSchema = Type.Object({
  accepted: Type.Integer(), replayed: Type.Integer(), rejected: Type.Integer(),
  items: Type.Array(Type.Object({
    index: Type.Integer(), status: Type.String(), notification_id: Type.Optional(Type.String()),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) })),
  })),
});

export const TypeInfoSchema = Type.Object({
  type: Type.String(), category: Type.String(), priority: Type.String(), channels: Type.Array(Type.String()), mandatory: Type.Boolean(), allow_inactive: Type.Boolean(),
  sensitive_keys: Type.Array(Type.String()), variables: Type.Array(Type.String()), sample_data: Type.Record(Type.String(), Type.Unknown()),
  templates: Type.Array(Type.Object({ channel: Type.String(), locale: Type.String(), is_active: Type.Boolean() })),
});

export const NotificationListQuery = Type.Object({
  ...PageQuery, status: Type.Optional(lit(NOTIFICATION_STATUSES)), type: Type.Optional(Type.String({ maxLength: 100 })), source: Type.Optional(Type.String({ maxLength: 50 })),
  entity_type: Type.Optional(Type.String({ maxLength: 50 })), entity_id: Type.Optional(Type.String({ maxLength: 100 })), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
  sort: Type.Optional(lit(['-created_at', 'created_at'])),
}, { additionalProperties: false });

export const TypesQuery = Type.Object({ category: Type.Optional(lit(CATEGORIES)) }, { additionalProperties: false });

export const DeliveryListQuery = Type.Object({
  ...PageQuery, status: Type.Optional(lit(DELIVERY_STATUSES)), channel: Type.Optional(lit(CHANNELS)), user_id: Type.Optional(Uuid),
  sort: Type.Optional(lit(['user_id', '-user_id', 'updated_at', '-updated_at'])),
}, { additionalProperties: false });
