/**
 * The sweeper (R30): lost leases become `worker_lost` attempts retried as transient failures, due
 * `pending`/`retrying` rows are queued, lost jobs re-enqueued, scheduled notifications released and
 * stalled fan-outs resumed. Decisions read the service clock and the tables, never the queue.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { notifications } from '../infrastructure/db/schema.ts';
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';
import { ChannelError, type JobQueue } from './ports.ts';
import type { DispatchService } from './dispatch.service.ts';

export interface SweeperDeps {
  database: Database;
  deliveries: DeliveriesRepo;
  dispatch: DispatchService;
  queue: () => JobQueue | undefined;
  now: () => Date;
  digests?: { flush(now: Date): Promise<void> };
}

export function createSweeper(d: SweeperDeps) {
  async function sweep(): Promise<void> {
    await d.database.withAdvisoryLock('sicora:notification:sweeper', async () => {
      const now = d.now();
      const nowIso = now.toISOString();
      const queue = d.queue();
      const touched = new Set<string>();
      for (const row of await d.deliveries.expiredLeases(now)) {
        touched.add(row.notificationId);
        await d.dispatch.fail(row, new ChannelError('transient', 'WORKER_LOST', 'El trabajador se detuvo durante el envío'), new Date(row.leaseUntil ?? nowIso), row.provider);
      }
      for (const id of await d.deliveries.expire(now)) touched.add(id);
      const due = await d.deliveries.queueDue(now);
      const stale = await d.deliveries.staleQueued(now);
      for (const row of [...due, ...stale]) {
        // A distinct id: the regular job of this attempt may still wait out its delay in the queue.
        await queue?.enqueue('notification-deliver', `deliver-${row.id}-${row.attemptCount + 1}-s${now.getTime()}`, { delivery_id: row.id }).catch(() => undefined);
      }
      const released = await d.database.db.update(notifications).set({ status: 'accepted', updatedAt: nowIso })
        .where(and(eq(notifications.status, 'scheduled'), sql`${notifications.scheduledAt} <= ${nowIso}`)).returning({ id: notifications.id });
      const stalled = await d.database.db.select({ id: notifications.id, attempts: notifications.fanoutAttempts }).from(notifications)
        .where(sql`${notifications.status} IN ('accepted','expanding') AND (${notifications.leaseUntil} IS NULL OR ${notifications.leaseUntil} < ${nowIso}) AND ${notifications.updatedAt} < ${new Date(now.getTime() - 15_000).toISOString()}`).limit(500);
      const seen = new Set([...released.map((r) => r.id), ...stalled.map((n) => n.id)]);
      for (const id of seen) {
        await queue?.enqueue('notification-fanout', `fanout-${id}-s${now.getTime()}`, { notification_id: id }).catch(() => undefined);
      }
      for (const id of touched) await d.deliveries.recompute(id, now);
      await d.digests?.flush(now);
    });
  }
  return { sweep };
}

export type Sweeper = ReturnType<typeof createSweeper>;
