/**
 * R23: flushes due digests. One item → that delivery is queued with its own template; two or more →
 * one `system.digest` e-mail, a delivery of a notification the service requests from itself, listing at
 * most 50 items (title, local time, link) and "y N más".
 */
import { randomUUID } from 'node:crypto';
import { catalogueEntry } from '../domain/catalogue.ts';
import { RETRY } from '../domain/rules.ts';
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';
import type { DigestsRepo } from '../infrastructure/digests.repo.ts';
import type { NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { TemplatesRepo } from '../infrastructure/templates.repo.ts';
import type { JobQueue } from './ports.ts';
import type { createRenderer } from './render.service.ts';

/** The notification service's own identity as requester of the notifications it sends itself. */
export const SYSTEM_REQUESTER = '00000000-0000-4000-8000-000000000009';
const MAX_ITEMS = 50;

export interface DigestDeps {
  notifications: NotificationsRepo;
  digests: DigestsRepo;
  deliveries: DeliveriesRepo;
  templates: TemplatesRepo;
  render: ReturnType<typeof createRenderer>;
  queue: () => JobQueue | undefined;
  appUrl: string;
}

export function createDigestService(d: DigestDeps) {
  async function title(item: Awaited<ReturnType<DigestsRepo['items']>>[number]): Promise<string> {
    const version = item.delivery.templateVersionId ? await d.templates.versionById(item.delivery.templateVersionId) : undefined;
    if (!version) return item.notification.title ?? item.notification.type;
    try {
      return d.render({ notification: item.notification, delivery: item.delivery, version, mandatory: catalogueEntry(item.notification.type)?.mandatory ?? false, appUrl: d.appUrl }).subject ?? item.notification.type;
    } catch {
      return item.notification.title ?? item.notification.type;
    }
  }

  async function flush(now: Date): Promise<void> {
    const at = now;
    for (const digest of await d.digests.takeDue(now)) {
      const items = await d.digests.items(digest.id);
      if (items.length === 0) { await d.digests.finish(digest.id, 'sent', null); continue; }
      if (items.length === 1) {
        const only = items[0].delivery;
        await d.deliveries.transition(only.id, ['digested'], { status: 'queued', statusReason: null, queuedAt: at, updatedAt: at });
        await d.deliveries.recompute(only.notificationId, now);
        await d.digests.finish(digest.id, 'sent', only.id);
        await d.queue()?.enqueue('notification-deliver', `deliver-${only.id}-${only.attemptCount + 1}`, { delivery_id: only.id }).catch(() => undefined);
        continue;
      }
      const listed: Array<{ title: string; created_at: string; action_url: string }> = [];
      for (const item of items.slice(0, MAX_ITEMS)) listed.push({ title: await title(item), created_at: item.delivery.createdAt.toISOString(), action_url: item.notification.actionUrl ?? `${d.appUrl}/notificaciones` });
      const first = items[0].delivery;
      const templates = await d.templates.currentFor(['system.digest']);
      const tpl = templates.get('system.digest|email|es-CO');
      const notificationId = randomUUID();
      const deliveryId = randomUUID();
      await d.notifications.insertWithDelivery({
        id: notificationId, type: 'system.digest', category: 'platform', priority: 'normal', status: 'dispatching', data: { items: listed, more_count: Math.max(0, items.length - MAX_ITEMS) },
        channels: ['email'], targets: { user_ids: [digest.userId], roles: [], group_ids: [], group_numbers: [], include_group_instructors: false, exclude_user_ids: [] },
        recipientCount: 1, requestedBy: SYSTEM_REQUESTER, requestedByRole: 'service', source: 'notification', requestHash: '', requestId: `digest-${digest.id}`, createdAt: at, updatedAt: at,
      }, {
        id: deliveryId, notificationId, userId: digest.userId, channel: 'email', status: 'queued', priority: 'normal', destination: first.destination,
        recipient: first.recipient, templateVersionId: tpl?.version.id ?? null, maxAttempts: RETRY.email.maxAttempts, queuedAt: at, createdAt: at, updatedAt: at,
      });
      await d.digests.finish(digest.id, 'sent', deliveryId);
      await d.queue()?.enqueue('notification-deliver', `deliver-${deliveryId}-1`, { delivery_id: deliveryId }).catch(() => undefined);
    }
  }

  return { flush };
}
