/**
 * Schemas of the caller's inbox (I1–I9): the item as the API shows it, list filters, the unread counts
 * and the bodies of the bulk read marks.
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { MediaResponse, Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CATEGORIES, PRIORITIES } from '../domain/enums.ts';

const lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const InboxItemSchema = Type.Object({
  id: Type.String(), notification_id: Type.String(), type: Type.String(), category: Type.String(), priority: Type.String(), title: Type.String(), body: Type.String(),
  action_url: Nullable(Type.String()), entity_type: Nullable(Type.String()), entity_id: Nullable(Type.String()), created_at: Timestamp,
  read_at: Nullable(Timestamp), is_read: Type.Boolean(), archived_at: Nullable(Timestamp),
});

export const InboxListQuery = Type.Object({
  ...PageQuery, is_read: Type.Optional(Type.Boolean()), category: Type.Optional(lit(CATEGORIES)),
  priority: Type.Optional(lit(PRIORITIES)), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
  include_archived: Type.Optional(Type.Boolean()), sort: Type.Optional(lit(['-created_at', 'created_at', '-priority'])),
}, { additionalProperties: false });

export const UnreadSchema = Type.Object({ unread: Type.Integer(), by_category: Type.Record(Type.String(), Type.Integer()), latest_at: Nullable(Timestamp) });

export const ItemParams = Type.Object({ item_id: Uuid });

export const ReadManyBody = Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });
export const ReadManyResult = Type.Object({ updated: Type.Integer(), not_found: Type.Integer() });

export const ReadAllBody = Type.Optional(Type.Object({ category: Type.Optional(lit(CATEGORIES)), before: Type.Optional(Timestamp) }, { additionalProperties: false }));
export const ReadAllResult = Type.Object({ updated: Type.Integer() });

/** I3: the stream's answer (the events are written by hand). */
export const StreamSchema = MediaResponse('Server-Sent Events: `event: unread` `{ unread }`, `event: item` con un InboxItem, `: ping` cada 15 s', 'text/event-stream');
