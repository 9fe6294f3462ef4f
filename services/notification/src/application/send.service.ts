/**
 * N1/N2 use case: validate (schema, O1–O3, R2–R6), store the notification in one transaction, enqueue
 * its fan-out after commit (waiting at most 1 s; R30 catches a lost enqueue), answer (R1).
 */
import { randomUUID } from 'node:crypto';
import type { AuthUser } from '@sicora/platform/auth';
import { AppError, errors } from '@sicora/platform/errors';
import { normalizeRole } from '@sicora/platform/roles';
import { catalogueEntry } from '../domain/catalogue.ts';
import { categoryOf, normalizePriority, PRIORITY_RANK, type Priority } from '../domain/enums.ts';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import { localParts } from '../domain/rules.ts';
import { checkRequest, checkTargets, requestHash, type SendRequest } from '../domain/send-request.ts';
import type { NotificationRow, NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { JobQueue, SchedulesPort } from './ports.ts';

export interface SendDeps {
  notifications: NotificationsRepo;
  schedules: SchedulesPort;
  queue: () => JobQueue | undefined;
  now: () => Date;
  timezone: string;
  onAccepted?: (row: NotificationRow, uncatalogued: boolean) => void;
  /** Test hook (US-NOT-01): runs inside the accepting transaction's place, before commit. */
  beforeCommit?: () => Promise<void>;
}

export interface SendOutcome { notification: NotificationRow; replayed: boolean; warnings: string[] }

const MAX_PRIORITY: Record<string, Priority> = { admin: 'critical', service: 'critical', coordinador: 'high', instructor: 'normal' };

export function createSendService(d: SendDeps) {
  /** O3: an instructor reaches only fichas assigned to them today, at most 10 announcements a day. */
  async function checkInstructor(req: SendRequest, user: AuthUser, now: Date): Promise<string[]> {
    if ((req.target_users?.length ?? 0) > 0 || (req.target_roles?.length ?? 0) > 0 || req.include_group_instructors) throw E.targetNotAllowed();
    const today = localParts(now, d.timezone).date;
    const ids = [...(req.target_groups ?? [])];
    if ((req.target_group_numbers?.length ?? 0) > 0) {
      const found = await d.schedules.groupsByNumbers(req.target_group_numbers!);
      for (const n of req.target_group_numbers!) {
        const g = found.find((x) => x.number === n);
        if (!g) throw E.groupNotAssigned(n);
        ids.push(g.id);
      }
    }
    for (const id of new Set(ids)) {
      if ((await d.schedules.isAssigned(id, user.sub, today)) !== true) throw E.groupNotAssigned(id);
    }
    const sent = await d.notifications.countAnnouncementsSince(user.sub, new Date(now.getTime() - 86_400_000));
    if (sent >= 10) throw errors.rateLimited(3600, { limit: 10, window: '24h' });
    return ids;
  }

  async function send(req: SendRequest, user: AuthUser, ctx: { idempotencyKey?: string; requestId: string }): Promise<SendOutcome> {
    const now = d.now();
    if (user.role !== 'service' && req.type !== 'manual.announcement') throw E.typeNotAllowed();
    const { key } = checkRequest(req, ctx.idempotencyKey, now);
    checkTargets(req);
    const entry = catalogueEntry(req.type);
    const priority = normalizePriority(req.priority) ?? entry?.priority ?? 'normal';
    if (PRIORITY_RANK[priority] > PRIORITY_RANK[MAX_PRIORITY[user.role] ?? 'low']) throw E.priorityNotAllowed();
    if (user.role === 'instructor') await checkInstructor(req, user, now);

    const scheduled = req.scheduled_at && Date.parse(req.scheduled_at) > now.getTime() ? new Date(req.scheduled_at) : null;
    const row = {
      id: randomUUID(), type: req.type, category: categoryOf(req.type), priority, status: scheduled ? 'scheduled' : 'accepted',
      title: req.title ?? null, message: req.message ?? null, actionUrl: req.action_url ?? null, data: req.data ?? {},
      sensitiveKeys: [...new Set([...(entry?.sensitive ?? []), ...(req.sensitive_keys ?? [])])], channels: req.channels ? [...new Set(req.channels)] : null,
      locale: req.locale ?? 'es-CO',
      targets: {
        user_ids: [...new Set(req.target_users ?? [])], roles: [...new Set((req.target_roles ?? []).map((r) => normalizeRole(r)!))],
        group_ids: [...new Set(req.target_groups ?? [])], group_numbers: [...new Set(req.target_group_numbers ?? [])],
        include_group_instructors: req.include_group_instructors ?? false, exclude_user_ids: [...new Set(req.exclude_users ?? [])],
      },
      requestedBy: user.sub, requestedByRole: user.role, source: user.role === 'service' ? (user.name ?? user.sub) : 'person',
      entityType: req.entity_type ?? null, entityId: req.entity_id ?? null, idempotencyKey: key, requestHash: requestHash(req),
      scheduledAt: scheduled, expiresAt: req.expires_at ? new Date(req.expires_at) : null,
      requestId: ctx.requestId, createdAt: now, updatedAt: now,
    };
    let stored: { row: NotificationRow; created: boolean };
    try {
      if (d.beforeCommit) await d.beforeCommit();
      stored = await d.notifications.insertIdempotent(row, now);
    } catch (err) {
      // The producer's outbox retries a 503; nothing was stored (R1).
      if (err instanceof AppError) throw err;
      throw errors.unavailable({ reason: 'database_unavailable' });
    }
    if (!stored.created) {
      if (stored.row.requestHash !== row.requestHash) throw E.idempotencyMismatch();
      return { notification: stored.row, replayed: true, warnings: entry ? [] : ['UNCATALOGUED_TYPE'] };
    }
    d.onAccepted?.(stored.row, !entry);
    await enqueueFanout(stored.row, now);
    return { notification: stored.row, replayed: false, warnings: entry ? [] : ['UNCATALOGUED_TYPE'] };
  }

  async function enqueueFanout(n: NotificationRow, now: Date): Promise<void> {
    const queue = d.queue();
    if (!queue) return;
    const delay = n.scheduledAt ? Math.max(0, n.scheduledAt.getTime() - now.getTime()) : 0;
    const enqueue = queue.enqueue('notification-fanout', `fanout-${n.id}-${n.fanoutAttempts}`, { notification_id: n.id }, delay).catch(() => undefined);
    await Promise.race([enqueue, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  return { send };
}

export type SendService = ReturnType<typeof createSendService>;
