/**
 * R58: when ≥ 20 deliveries went `dead` in the last 60 min, or a provider breaker of a live worker has
 * been open for 10 min, one `system.delivery_alert` goes to role admin (in_app, email), at most once per
 * hour. The alert is an ordinary notification the service requests from itself: stored `accepted`, then
 * fanned out, so preferences, templates, retries and the inbox apply as to any other.
 */
import { randomUUID } from 'node:crypto';
import { categoryOf } from '../domain/enums.ts';
import type { AlertsRepo } from '../infrastructure/alerts.repo.ts';
import type { NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import { SYSTEM_REQUESTER } from './digest.service.ts';
import type { JobQueue } from './ports.ts';

export const ALERT_TYPE = 'system.delivery_alert';
const DEAD_THRESHOLD = 20;
const DEAD_WINDOW_MS = 60 * 60_000;
const BREAKER_OPEN_MS = 10 * 60_000;
/** A8 counts a worker as live when its row was seen in the last 60 s; R58 reads the same rows. */
const WORKER_SEEN_MS = 60_000;
const ALERT_EVERY_MS = 60 * 60_000;

export interface DeliveryAlertDeps {
  alerts: AlertsRepo;
  notifications: NotificationsRepo;
  queue: () => JobQueue | undefined;
}

export function createDeliveryAlert(d: DeliveryAlertDeps) {
  /** Runs inside the sweeper's advisory lock, so two processes never both decide to alert. Returns the new id. */
  async function check(now: Date): Promise<string | null> {
    const t = now.getTime();
    const deadCount = await d.alerts.deadSince(new Date(t - DEAD_WINDOW_MS));
    const breakers = await d.alerts.longOpenBreakers(new Date(t - WORKER_SEEN_MS), new Date(t - BREAKER_OPEN_MS));
    if (deadCount < DEAD_THRESHOLD && breakers.length === 0) return null;
    const last = await d.alerts.lastCreated(ALERT_TYPE, SYSTEM_REQUESTER);
    if (last && t - last.getTime() < ALERT_EVERY_MS) return null;

    const at = now;
    const { row } = await d.notifications.insertIdempotent({
      id: randomUUID(), type: ALERT_TYPE, category: categoryOf(ALERT_TYPE), priority: 'high', status: 'accepted',
      // Catalogue variables of the type; throwOnUndefined rejects null, so "no breaker" is an empty string.
      data: { dead_count: deadCount, breaker_provider: breakers.join(', ') }, sensitiveKeys: [], channels: ['in_app', 'email'], locale: 'es-CO',
      targets: { user_ids: [], roles: ['admin'], group_ids: [], group_numbers: [], include_group_instructors: false, exclude_user_ids: [] },
      requestedBy: SYSTEM_REQUESTER, requestedByRole: 'service', source: 'notification', idempotencyKey: null, requestHash: '',
      requestId: `delivery-alert-${t}`, createdAt: at, updatedAt: at,
    }, now);
    // A lost enqueue is caught by the sweeper's stalled fan-out check (R30), as for N1.
    await d.queue()?.enqueue('notification-fanout', `fanout-${row.id}-${row.fanoutAttempts}`, { notification_id: row.id }).catch(() => undefined);
    return row.id;
  }

  return { check };
}

export type DeliveryAlert = ReturnType<typeof createDeliveryAlert>;
