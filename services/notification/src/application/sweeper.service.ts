/**
 * The sweeper (R30): lost leases become `worker_lost` attempts retried as transient failures, due
 * `pending`/`retrying` rows are queued, lost jobs re-enqueued, scheduled notifications released and
 * stalled fan-outs resumed. The timers of R23 (digests), R58 (delivery alert) and R60 (24 h erasure) run
 * here too, under the same lock (R59's daily retention is a scheduled job of its own). Decisions read the
 * service clock and the tables, never the queue.
 */
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';
import type { NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { DeliveryAlert } from './delivery-alert.service.ts';
import type { DispatchService } from './dispatch.service.ts';
import type { Erasure } from './erasure.service.ts';
import { ChannelError, type JobQueue } from './ports.ts';

/** A fan-out untouched this long without a live lease is resumed (a lost enqueue or a crashed worker). */
const STALLED_MS = 15_000;

export interface SweeperDeps {
  deliveries: DeliveriesRepo;
  notifications: NotificationsRepo;
  dispatch: DispatchService;
  queue: () => JobQueue | undefined;
  now: () => Date;
  digests?: { flush(now: Date): Promise<void> };
  alert: Pick<DeliveryAlert, 'check'>;
  erasure: Pick<Erasure, 'erase'>;
  /** Runs `fn` while no other process sweeps (an advisory lock on the service's database). */
  exclusive: (fn: () => Promise<void>) => Promise<void>;
}

export function createSweeper(d: SweeperDeps) {
  async function sweep(): Promise<void> {
    await d.exclusive(async () => {
      const now = d.now();
      const queue = d.queue();
      const touched = new Set<string>();
      for (const row of await d.deliveries.expiredLeases(now)) {
        touched.add(row.notificationId);
        await d.dispatch.fail(row, new ChannelError('transient', 'WORKER_LOST', 'El trabajador se detuvo durante el envío'), row.leaseUntil ?? now, row.provider);
      }
      for (const id of await d.deliveries.expire(now)) touched.add(id);
      const due = await d.deliveries.queueDue(now);
      const stale = await d.deliveries.staleQueued(now);
      // A distinct id: the regular job of this attempt may still wait out its delay in the queue.
      await queue?.enqueueMany('notification-deliver', [...due, ...stale].map((row) => ({ jobId: `deliver-${row.id}-${row.attemptCount + 1}-s${now.getTime()}`, payload: { delivery_id: row.id } })))
        .catch(() => undefined);
      const released = await d.notifications.releaseScheduled(now);
      const stalled = await d.notifications.stalledFanouts(now, STALLED_MS);
      for (const id of new Set([...released, ...stalled])) {
        await queue?.enqueue('notification-fanout', `fanout-${id}-s${now.getTime()}`, { notification_id: id }).catch(() => undefined);
      }
      for (const id of touched) await d.deliveries.recompute(id, now);
      await d.digests?.flush(now);
      await d.alert.check(now);
      await d.erasure.erase(now);
    });
  }
  return { sweep };
}

export type Sweeper = ReturnType<typeof createSweeper>;
