/**
 * The outbox of notification requests (00-conventions §9) through the platform's producer: written in
 * the transaction of the change it announces, relayed by createServiceApp (app.ts `outbox`).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { createNotificationProducer, type NotificationInput } from '@sicora/platform/notify';
import { outbox } from './db/schema.ts';

const producer = createNotificationProducer({ service: 'projecteval', table: outbox });

export function createOutboxRepo(db: Db) {
  return {
    /** §7: an event with no recipient is not written (notification would refuse it with NO_TARGETS). */
    async enqueue(input: NotificationInput | readonly NotificationInput[]) {
      const list = (Array.isArray(input) ? input : [input]) as NotificationInput[];
      const addressed = list.filter((i) => (i.target_users ?? []).some(Boolean) || (i.target_roles ?? []).length > 0);
      if (addressed.length) await producer.enqueue(db, addressed);
    },
    /** R48: whether a reminder with this key was already written. */
    async has(key: string): Promise<boolean> {
      const r = await db.execute(sql`SELECT 1 FROM ${outbox} WHERE idempotency_key = ${key}`);
      return ((r as unknown as { rows?: unknown[] }).rows ?? (r as unknown as unknown[])).length > 0;
    },
    /** R24: transaction-scoped advisory locks, taken in a stable order so two requests cannot deadlock. */
    async lock(keys: string[]) {
      for (const k of [...new Set(keys)].sort()) await db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`projecteval:${k}`}, 0))`);
    },
  };
}
