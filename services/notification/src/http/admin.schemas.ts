/**
 * Schemas of the administration routes A1–A10 (§4.6): dead letters and their filters, a delivery with
 * its attempts, the queue, metrics, providers and the test send.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { MediaResponse, Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CHANNELS, DELIVERY_STATUSES } from '../domain/enums.ts';
import { DeliveryViewSchema } from './status.schemas.ts';

const lit = (v: readonly string[]) => Type.Union(v.map((x) => Type.Literal(x)));

const DeadFilters = {
  kind: Type.Optional(lit(['delivery', 'fanout'])), channel: Type.Optional(lit(CHANNELS)), type: Type.Optional(Type.String({ maxLength: 100 })),
  reason: Type.Optional(Type.String({ maxLength: 50 })), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
};
const DeliveryFilters = {
  user_id: Type.Optional(Uuid), notification_id: Type.Optional(Uuid), type: Type.Optional(Type.String({ maxLength: 100 })), channel: Type.Optional(lit(CHANNELS)),
  status: Type.Optional(lit(DELIVERY_STATUSES)), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
};

export const DeadLetterQuery = Type.Object({ ...PageQuery, ...DeadFilters, sort: Type.Optional(lit(['-dead_at'])) }, { additionalProperties: false });
export const RedriveManyBody = Type.Object({ ids: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 500 })), ...DeadFilters }, { additionalProperties: false });
export const RedrivenSchema = Type.Object({ redriven: Type.Integer() });
export const RedriveOneSchema = Type.Object({ id: Type.String(), kind: Type.String(), status: Type.String() });

export const DeadLetterSchema = Type.Object({
  id: Type.String(), kind: Type.String(), notification_id: Type.String(), type: Type.String(), channel: Nullable(Type.String()), user_id: Nullable(Type.String()), destination: Nullable(Type.String()),
  reason: Nullable(Type.String()), last_error_code: Nullable(Type.String()), last_error_message: Nullable(Type.String()), attempt_count: Type.Integer(), redrive_count: Type.Integer(), dead_at: Timestamp,
});

export const DeliveryListQuery = Type.Object({ ...PageQuery, ...DeliveryFilters, sort: Type.Optional(lit(['-created_at'])) }, { additionalProperties: false });
export const DeliveryExportQuery = Type.Object(DeliveryFilters, { additionalProperties: false });

const AttemptSchema = Type.Object({
  attempt_no: Type.Integer(), provider: Nullable(Type.String()), started_at: Timestamp, finished_at: Nullable(Timestamp), duration_ms: Nullable(Type.Integer()), outcome: Type.String(),
  error_code: Nullable(Type.String()), error_message: Nullable(Type.String()), http_status: Nullable(Type.Integer()), provider_message_id: Nullable(Type.String()),
  failover_from: Nullable(Type.String()), warnings: Type.Array(Type.String()),
});
export const DeliveryDetailSchema = Type.Intersect([
  Type.Omit(DeliveryViewSchema, ['destination']),
  Type.Object({ notification_id: Type.String(), destination: Nullable(Type.String()), redrive_count: Type.Integer(), dead_at: Nullable(Timestamp), attempts: Type.Array(AttemptSchema) }),
]);

export const MetricsQuery = Type.Object({
  from: Type.Optional(Timestamp), to: Type.Optional(Timestamp), bucket: Type.Optional(lit(['hour', 'day'])), channel: Type.Optional(lit(CHANNELS)), type: Type.Optional(Type.String({ maxLength: 100 })),
}, { additionalProperties: false });
export const MetricsSchema = Type.Record(Type.String(), Type.Unknown());

export const ProviderSchema = Type.Object({
  name: Type.String(), channel: Type.String(), configured: Type.Boolean(), order: Type.Integer(), circuit: Type.String(), circuit_opened_at: Nullable(Timestamp),
  last_error_code: Nullable(Type.String()), last_error_at: Nullable(Timestamp), sent_24h: Type.Integer(), failed_24h: Type.Integer(),
});

export const TestSendBody = Type.Object({
  channel: lit(CHANNELS), to: Type.Optional(Type.String({ minLength: 3, maxLength: 254, pattern: '^([^@\\s]+@[^@\\s]+|\\+[1-9]\\d{6,14})$' })),
  message: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
}, { additionalProperties: false });
export const TestSendSchema = Type.Object({ notification_id: Type.String() });

export const QueueSchema = Type.Object({
  backend: Type.String(), workers_seen: Type.Integer(),
  queues: Type.Array(Type.Object({ name: Type.String(), waiting: Type.Integer(), active: Type.Integer(), delayed: Type.Integer(), failed: Type.Integer(), oldest_waiting_seconds: Nullable(Type.Integer()) })),
});

/** A6's answer: the CSV of §6, streamed. */
export const CsvSchema = MediaResponse('Entregas en CSV (UTF-8 con BOM, CRLF, RFC 4180)', 'text/csv');
