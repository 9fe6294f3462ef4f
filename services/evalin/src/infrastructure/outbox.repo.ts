/**
 * The outbox of notification requests (00-conventions §9) through the platform's producer: written in
 * the transaction of the change it announces, relayed by createServiceApp (app.ts `outbox`).
 */
import type { Db } from '@sicora/platform/db';
import { createNotificationProducer, notificationEntry, notificationKey, type NotificationInput } from '@sicora/platform/notify';
import type { OutboxEntry } from '@sicora/platform/outbox';
import { outbox } from './db/schema.ts';

const producer = createNotificationProducer({ service: 'evalin', table: outbox });

export function createOutboxRepo(db: Db) {
  return {
    /** A key already stored is skipped (the clock running twice enqueues once, US-EVI-05). */
    async enqueue(input: NotificationInput | readonly NotificationInput[]) {
      await producer.enqueue(db, input);
    },
    /** The stored key of an input (reminders keep it to follow their delivery state). */
    keyOf: (input: NotificationInput) => notificationKey('evalin', input.type, input.key ?? []),
    /** The row `enqueue` would write, for a statement that inserts it itself (E32's single statement). */
    entryOf: (input: NotificationInput): OutboxEntry => notificationEntry(producer.request(input)),
  };
}
