/**
 * N3–N7: what producers and people see of their notifications (O2: admin sees all, others their own),
 * with sensitive data masked (R60) and destinations masked (O5).
 */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import type { AuthUser } from '@sicora/platform/auth';
import { CATALOGUE } from '../domain/catalogue.ts';
import { categoryOf, type Channel } from '../domain/enums.ts';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import { maskDestination } from '../domain/rules.ts';
import { sampleData } from '../domain/samples.ts';
import type { DeliveryRow } from '../infrastructure/deliveries.repo.ts';
import type { NotificationRow, NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { DeliveryFilter, NotificationFilter, StatusRepo } from '../infrastructure/status.repo.ts';
import type { TemplatesRepo } from '../infrastructure/templates.repo.ts';


export function maskedData(n: NotificationRow): Record<string, unknown> {
  const data = { ...n.data };
  for (const k of n.sensitiveKeys) if (k in data) data[k] = '***';
  return data;
}

export function deliveryView(d: DeliveryRow) {
  return {
    id: d.id, user_id: d.userId, channel: d.channel, status: d.status, status_reason: d.statusReason, destination: maskDestination(d.channel as Channel, d.destination),
    provider: d.provider, attempt_count: d.attemptCount, next_attempt_at: toIsoOrNull(d.nextAttemptAt), sent_at: toIsoOrNull(d.sentAt), delivered_at: toIsoOrNull(d.deliveredAt),
    last_error_code: d.lastErrorCode, updated_at: toIso(d.updatedAt),
  };
}

type Counts = Array<{ notificationId: string; channel: string; status: string; n: number }>;

function notificationView(n: NotificationRow, counts: Counts) {
  const by_status: Record<string, number> = {};
  const by_channel: Record<string, Record<string, number>> = {};
  for (const c of counts.filter((x) => x.notificationId === n.id)) {
    by_status[c.status] = (by_status[c.status] ?? 0) + c.n;
    (by_channel[c.channel] ??= {})[c.status] = c.n;
  }
  return {
    id: n.id, type: n.type, category: n.category, status: n.status, status_reason: n.statusReason, priority: n.priority, source: n.source, requested_by: n.requestedBy,
    title: n.title, entity_type: n.entityType, entity_id: n.entityId, scheduled_at: toIsoOrNull(n.scheduledAt), expires_at: toIsoOrNull(n.expiresAt), created_at: toIso(n.createdAt),
    completed_at: toIsoOrNull(n.completedAt), recipient_count: n.recipientCount, recipient_outcomes: n.recipientOutcomes, counts: { by_status, by_channel }, data: maskedData(n),
  };
}

export function createStatusService(d: { status: StatusRepo; notifications: NotificationsRepo; templates: TemplatesRepo; now: () => Date }) {
  async function visible(user: AuthUser, id: string): Promise<NotificationRow> {
    const n = await d.notifications.findById(id);
    if (!n || (user.role !== 'admin' && n.requestedBy !== user.sub)) throw E.notificationNotFound();
    return n;
  }
  return {
    async list(user: AuthUser, f: NotificationFilter, direction: 'asc' | 'desc', page: { offset: number; limit: number }) {
      const { rows, total } = await d.status.listNotifications({ ...f, requested_by: user.role === 'admin' ? undefined : user.sub }, direction, page);
      const counts = await d.status.counts(rows.map((r) => r.id));
      return { items: rows.map((r) => notificationView(r, counts)), total };
    },
    async get(user: AuthUser, id: string) {
      const n = await visible(user, id);
      return notificationView(n, await d.status.counts([n.id]));
    },
    async deliveries(user: AuthUser, id: string, f: DeliveryFilter, sort: { field: 'user_id' | 'updated_at'; direction: 'asc' | 'desc' }, page: { offset: number; limit: number }) {
      await visible(user, id);
      const { rows, total } = await d.status.listDeliveries(id, f, sort, page);
      return { items: rows.map(deliveryView), total };
    },
    async cancel(user: AuthUser, id: string) {
      await visible(user, id);
      if (!(await d.status.cancel(id, d.now()))) throw E.notCancellable();
      return this.get(user, id);
    },
    async types(category?: string) {
      const templates = await d.templates.currentFor([...CATALOGUE.keys()]);
      return [...CATALOGUE.values()].filter((e) => !category || categoryOf(e.type) === category).map((e) => ({
        type: e.type, category: categoryOf(e.type), priority: e.priority, channels: e.channels, mandatory: e.mandatory, allow_inactive: e.inactiveAllowed,
        sensitive_keys: e.sensitive, variables: e.extra, sample_data: sampleData(e.type),
        templates: [...templates.values()].filter((t) => t.template.type === e.type).map((t) => ({ channel: t.template.channel, locale: t.template.locale, is_active: t.template.isActive })),
      }));
    },
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
