/**
 * Response schemas of N2–N7 (NotificationView, DeliveryView, bulk result, type catalogue).
 */
import { Type } from 'typebox';

const Iso = Type.String({ format: 'date-time' });
const N = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const NotificationViewSchema = Type.Object({
  id: Type.String(), type: Type.String(), category: Type.String(), status: Type.String(), status_reason: N(Type.String()), priority: Type.String(), source: Type.String(),
  requested_by: Type.String(), title: N(Type.String()), entity_type: N(Type.String()), entity_id: N(Type.String()), scheduled_at: N(Iso), expires_at: N(Iso), created_at: Iso,
  completed_at: N(Iso), recipient_count: N(Type.Integer()),
  recipient_outcomes: Type.Object({ not_found: Type.Array(Type.String()), not_found_count: Type.Integer(), groups_not_found: Type.Array(Type.String()) }),
  counts: Type.Object({ by_status: Type.Record(Type.String(), Type.Integer()), by_channel: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer())) }),
  data: Type.Record(Type.String(), Type.Unknown()),
});

export const DeliveryViewSchema = Type.Object({
  id: Type.String(), user_id: Type.String(), channel: Type.String(), status: Type.String(), status_reason: N(Type.String()), destination: N(Type.String()),
  provider: N(Type.String()), attempt_count: Type.Integer(), next_attempt_at: N(Iso), sent_at: N(Iso), delivered_at: N(Iso), last_error_code: N(Type.String()), updated_at: Iso,
});

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
