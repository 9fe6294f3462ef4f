/**
 * The sweeper (R30): lost leases become `worker_lost` attempts retried as transient failures, due
 * `pending`/`retrying` rows are queued, lost jobs re-enqueued, scheduled notifications released and
 * stalled fan-outs resumed. The timers of R23 (digests), R58 (delivery alert), R60 (24 h erasure) and
 * R59 (daily retention) run here too, under the same lock. Decisions read the service clock and the
 * tables, never the queue.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { notifications } from '../infrastructure/db/schema.ts';
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';
import type { NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import { createAlertsRepo } from '../infrastructure/alerts.repo.ts';
import { createRetentionRepo } from '../infrastructure/retention.repo.ts';
import { createDeliveryAlert } from './delivery-alert.service.ts';
import { createErasure } from './erasure.service.ts';
import { createRetention } from './retention.service.ts';
import { ChannelError, type JobQueue } from './ports.ts';
import type { DispatchService } from './dispatch.service.ts';

export interface SweeperDeps {
  database: Database;
  deliveries: DeliveriesRepo;
  dispatch: DispatchService;
  queue: () => JobQueue | undefined;
  now: () => Date;
  digests?: { flush(now: Date): Promise<void> };
  notifications: NotificationsRepo;
  /** Local time zone of R59's 03:15. */
  timezone: string;
  /** When this process runs the mail sink: removes its files older than 7 days (R59). */
  pruneMail?: (at: Date) => number;
}

export function createSweeper(d: SweeperDeps) {
  const retentionRepo = createRetentionRepo(d.database.db);
  const alert = createDeliveryAlert({ alerts: createAlertsRepo(d.database.db), notifications: d.notifications, queue: d.queue });
  const erasure = createErasure({ retention: retentionRepo });
  const retention = createRetention({ retention: retentionRepo, timezone: d.timezone, pruneMail: d.pruneMail });

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
      // A distinct id: the regular job of this attempt may still wait out its delay in the queue.
      await queue?.enqueueMany('notification-deliver', [...due, ...stale].map((row) => ({ jobId: `deliver-${row.id}-${row.attemptCount + 1}-s${now.getTime()}`, payload: { delivery_id: row.id } })))
        .catch(() => undefined);
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
      await alert.check(now);
      await erasure.erase(now);
      await retention.runIfDue(now);
    });
  }
  return { sweep };
}

export type Sweeper = ReturnType<typeof createSweeper>;
