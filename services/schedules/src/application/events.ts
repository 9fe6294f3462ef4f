/**
 * Notifications of §7, written to the outbox inside the caller's transaction (R28) and relayed later.
 */
import type { Db } from '@sicora/platform/db';
import { enqueue } from '@sicora/platform/outbox';
import { outbox } from '../infrastructure/db/schema.ts';

export interface EventInput {
  type: 'schedule.published' | 'schedule.changed' | 'schedule.cancelled' | 'schedule.session_changed' | 'group.instructor_assigned';
  entityId: string;
  /** Makes the idempotency key unique per change of the entity. */
  stamp: Date;
  users?: string[];
  groups?: string[];
  data: Record<string, unknown>;
}

export async function notify(db: Pick<Db, 'insert'>, e: EventInput): Promise<void> {
  const body: Record<string, unknown> = { type: e.type, data: e.data, entity_type: e.type.split('.')[0], entity_id: e.entityId };
  const users = [...new Set((e.users ?? []).filter(Boolean))];
  if (users.length) body.target_users = users;
  if (e.groups?.length) body.target_groups = [...new Set(e.groups)];
  const idempotencyKey = `schedules:${e.type}:${e.entityId}:${e.stamp.getTime()}`;
  body.idempotency_key = idempotencyKey;
  await enqueue(db, outbox, { target: 'notification', path: '/api/v1/notifications', body, idempotencyKey });
}
