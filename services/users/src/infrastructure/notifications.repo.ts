/**
 * Notification requests to the notification service (§7) through the platform's producer: one outbox row
 * per user and event, keyed `users:<type>:<user_id>:<event id>`, written in the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '@sicora/platform/db';
import { createNotificationProducer, type NotificationInput } from '@sicora/platform/notify';
import { outbox } from './db/schema.ts';

export type NotificationType =
  | 'user.welcome' | 'user.password_reset_requested' | 'user.password_changed' | 'user.account_locked'
  | 'user.security_alert' | 'user.deactivated' | 'user.activated';

export interface UserNotification {
  type: NotificationType;
  userId: string;
  data: Record<string, unknown>;
  priority: 'normal' | 'high';
  eventId: string;
}

const producer = createNotificationProducer({ service: 'users', table: outbox });

const toInput = (n: UserNotification): NotificationInput => ({
  type: n.type, key: [n.userId, n.eventId], target_users: [n.userId], priority: n.priority, data: n.data, entity_type: 'user', entity_id: n.userId,
});

export function createNotificationsRepo(db: Db) {
  return {
    /** One request for one user. */
    async user(type: NotificationType, userId: string, data: Record<string, unknown>, opts: { priority: 'normal' | 'high'; eventId?: string }): Promise<void> {
      await producer.enqueue(db, toInput({ type, userId, data, priority: opts.priority, eventId: opts.eventId ?? randomUUID() }));
    },

    /** Many at once (CSV import): chunked multi-row inserts, duplicates ignored. */
    async many(items: UserNotification[]): Promise<void> {
      await producer.enqueue(db, items.map(toInput));
    },
  };
}

export type NotificationsRepo = ReturnType<typeof createNotificationsRepo>;
