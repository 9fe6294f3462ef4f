/**
 * Notifications of §7 (R28), written to the outbox through the transaction's repositories so they commit
 * with the change they announce; the platform relays them to the notification service.
 */
import type { NotificationInput } from '@sicora/platform/notify';
import type { Repositories } from './ports.ts';

export interface ScheduleEvent {
  type: 'schedule.published' | 'schedule.changed' | 'schedule.cancelled' | 'schedule.session_changed' | 'group.instructor_assigned';
  entityId: string;
  /** The instant of the change: with the entity it makes the idempotency key unique per change. */
  stamp: Date;
  users?: string[];
  groups?: string[];
  data: Record<string, unknown>;
}

/** The notification request: key `schedules:<type>:<entity id>:<epoch ms of the change>`. */
export function notificationOf(e: ScheduleEvent): NotificationInput {
  return {
    type: e.type,
    data: e.data,
    entity_type: e.type.split('.')[0],
    entity_id: e.entityId,
    target_users: e.users,
    target_groups: e.groups,
    key: [e.entityId, e.stamp.getTime()],
  };
}

export async function notify(tx: Pick<Repositories, 'outbox'>, events: ScheduleEvent | ScheduleEvent[]): Promise<void> {
  await tx.outbox.enqueue(Array.isArray(events) ? events.map(notificationOf) : notificationOf(events));
}
