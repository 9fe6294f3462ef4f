/**
 * The outbox of notification requests (00-conventions §9) through the platform's producer: written in
 * the transaction of the change it announces, relayed by createServiceApp (app.ts `outbox`).
 */
import type { Db } from '@sicora/platform/db';
import { createNotificationProducer, type NotificationInput } from '@sicora/platform/notify';
import { outbox } from './db/schema.ts';

const producer = createNotificationProducer({ service: 'ai', table: outbox });

export function createOutboxRepo(db: Db) {
  return {
    /** Keys are `ai:<type>:<entity id>:<event id>`; a key already stored is skipped. */
    async enqueue(input: NotificationInput | readonly NotificationInput[]) {
      await producer.enqueue(db, input);
    },
  };
}

export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
