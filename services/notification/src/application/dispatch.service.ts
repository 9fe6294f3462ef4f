/**
 * Sending (R27–R29): claim a batch of deliveries with one conditional update, render each with its
 * pinned version, hand it to the channel's provider, record the attempt and the outcome, re-derive
 * the notification's status. Transient failures retry with exponential backoff and jitter; permanent
 * ones, render errors and exhausted attempts end `dead` (the dead-letter state lives in the table).
 */
import type { Logger } from 'pino';
import { catalogueEntry } from '../domain/catalogue.ts';
import { backoffMs, RETRY, THROTTLE, throttleUntil } from '../domain/rules.ts';
import type { Channel } from '../domain/enums.ts';
import type { DeliveryRow } from '../infrastructure/db/schema.ts';
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';
import type { NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { TemplatesRepo } from '../infrastructure/templates.repo.ts';
import { ChannelError, type ChannelProvider, type JobQueue, type SendResult } from './ports.ts';
import type { createRenderer } from './render.service.ts';
import type { DeliveryMetrics } from '../infrastructure/metrics.ts';

export interface DispatchDeps {
  deliveries: DeliveriesRepo;
  notifications: NotificationsRepo;
  templates: TemplatesRepo;
  providers: Partial<Record<Channel, ChannelProvider>>;
  render: ReturnType<typeof createRenderer>;
  queue: () => JobQueue | undefined;
  now: () => Date;
  appUrl: string;
  logger: Logger;
  concurrency: number;
  metrics?: DeliveryMetrics;
}

const LEASE_MS = 60_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new ChannelError('transient', 'TIMEOUT', 'El proveedor no respondió a tiempo')), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function createDispatchService(d: DispatchDeps) {
  async function fail(row: DeliveryRow, err: ChannelError | { kind: 'render'; message: string }, startedAt: Date, provider: string | null): Promise<void> {
    const now = d.now();
    const nowIso = now.toISOString();
    const policy = RETRY[row.channel as Channel];
    const permanent = err.kind === 'permanent' || err.kind === 'render';
    const exhausted = row.attemptCount >= row.maxAttempts;
    const code = err instanceof ChannelError ? err.code : 'RENDER_ERROR';
    const message = err.message.slice(0, 500);
    const outcome = err.kind === 'render' ? 'permanent_error' : err.kind === 'permanent' ? 'permanent_error' : err.kind === 'provider_unavailable' ? 'provider_unavailable' : code === 'TIMEOUT' ? 'timeout' : code === 'WORKER_LOST' ? 'worker_lost' : 'transient_error';
    await d.deliveries.addAttempt({
      deliveryId: row.id, attemptNo: row.attemptCount, provider, startedAt: startedAt.toISOString(), finishedAt: nowIso, durationMs: now.getTime() - startedAt.getTime(),
      outcome, errorCode: code, errorMessage: message, httpStatus: err instanceof ChannelError ? (err.httpStatus ?? null) : null,
    });
    if (code === 'NO_DESTINATION') {
      // R39: every device turned out dead; nothing left to retry.
      await d.deliveries.transition(row.id, ['sending'], { status: 'skipped', statusReason: 'no_destination', leaseUntil: null, provider, updatedAt: nowIso });
      d.metrics?.outcome(row.channel, provider ?? 'none', outcome, 'skipped', null, null);
      return;
    }
    if (permanent || exhausted) {
      const reason = err.kind === 'render' ? 'render_error' : permanent ? 'permanent_provider_error' : 'max_attempts_exhausted';
      await d.deliveries.transition(row.id, ['sending'], { status: 'dead', statusReason: reason, deadAt: nowIso, leaseUntil: null, lastErrorCode: code, lastErrorMessage: message, provider, updatedAt: nowIso });
      d.logger.error({ delivery_id: row.id, notification_id: row.notificationId, channel: row.channel, provider, attempt: row.attemptCount, outcome, error_code: code }, 'delivery dead');
      d.metrics?.outcome(row.channel, provider ?? 'none', outcome, 'dead', null, (now.getTime() - startedAt.getTime()) / 1000);
      return;
    }
    const wait = backoffMs(row.attemptCount, policy.baseMs, policy.capMs);
    const next = new Date(now.getTime() + wait);
    await d.deliveries.transition(row.id, ['sending'], { status: 'retrying', nextAttemptAt: next.toISOString(), leaseUntil: null, lastErrorCode: code, lastErrorMessage: message, provider, updatedAt: nowIso });
    d.logger.warn({ delivery_id: row.id, notification_id: row.notificationId, channel: row.channel, provider, attempt: row.attemptCount, outcome, error_code: code }, 'delivery attempt failed');
    d.metrics?.outcome(row.channel, provider ?? 'none', outcome, null, null, (now.getTime() - startedAt.getTime()) / 1000);
    await d.queue()?.enqueue('notification-deliver', `deliver-${row.id}-${row.attemptCount + 1}`, { delivery_id: row.id }, wait).catch(() => undefined);
  }

  /** R21 re-checked at lease: over the limit → back to `pending`; held for more than 24 h → `skipped`. */
  async function heldByThrottle(row: DeliveryRow, bypass: boolean): Promise<boolean> {
    const channel = row.channel as Channel;
    if (bypass || !THROTTLE[channel]) return false;
    const now = d.now();
    const sends = await d.deliveries.recentSends([row.userId], [channel], now);
    const until = throttleUntil(sends.get(`${row.userId}|${channel}`) ?? [], now.getTime(), channel);
    if (until === null) return false;
    const nowIso = now.toISOString();
    if (now.getTime() - new Date(row.createdAt).getTime() > 86_400_000) {
      await d.deliveries.transition(row.id, ['sending'], { status: 'skipped', statusReason: 'throttled', leaseUntil: null, attemptCount: Math.max(0, row.attemptCount - 1), updatedAt: nowIso });
      d.metrics?.outcome(row.channel, 'none', 'throttled', 'skipped', null, null);
    } else {
      // The claim counted an attempt that never reached a provider.
      await d.deliveries.transition(row.id, ['sending'], { status: 'pending', statusReason: 'throttled', notBefore: new Date(until).toISOString(), leaseUntil: null, attemptCount: Math.max(0, row.attemptCount - 1), updatedAt: nowIso });
    }
    return true;
  }

  async function process(row: DeliveryRow): Promise<void> {
    const startedAt = d.now();
    const n = await d.notifications.findById(row.notificationId);
    const version = row.templateVersionId ? await d.templates.versionById(row.templateVersionId) : undefined;
    const provider = d.providers[row.channel as Channel];
    if (!n || !version || !provider) {
      await fail(row, { kind: 'render', message: 'Sin plantilla o proveedor para el canal' }, startedAt, provider?.name ?? null);
      return;
    }
    const entry = catalogueEntry(n.type);
    if (await heldByThrottle(row, n.priority === 'critical' || (entry?.mandatory ?? false))) return;
    let rendered;
    try {
      rendered = d.render({ notification: n, delivery: row, version, mandatory: entry?.mandatory ?? false, appUrl: d.appUrl });
      if (Buffer.byteLength(rendered.text) + Buffer.byteLength(rendered.html ?? '') > 256 * 1024) throw new Error('El mensaje supera 256 KiB');
    } catch (err) {
      await fail(row, { kind: 'render', message: String((err as Error).message).split('\n').pop()!.trim() }, startedAt, provider.name);
      return;
    }
    let result: SendResult;
    try {
      result = await withTimeout(provider.send({
        delivery_id: row.id, notification_id: n.id, user_id: row.userId, type: n.type, category: n.category, priority: n.priority, mandatory: entry?.mandatory ?? false,
        to: row.destination, subject: rendered.subject, text: rendered.text, html: rendered.html, action_url: n.actionUrl, entity_type: n.entityType, entity_id: n.entityId,
        preferences_url: `${d.appUrl}/notificaciones/preferencias`,
      }), RETRY[row.channel as Channel].timeoutMs);
    } catch (err) {
      await fail(row, err instanceof ChannelError ? err : new ChannelError('transient', 'PROVIDER_ERROR', String((err as Error).message)), startedAt, provider.name);
      return;
    }
    const now = d.now();
    const nowIso = now.toISOString();
    await d.deliveries.addAttempt({
      deliveryId: row.id, attemptNo: row.attemptCount, provider: result.provider, startedAt: startedAt.toISOString(), finishedAt: nowIso, durationMs: now.getTime() - startedAt.getTime(),
      outcome: 'sent', providerMessageId: result.provider_message_id, failoverFrom: result.failover_from ?? null, warnings: result.warnings ?? [], deviceResults: result.device_results ?? null,
    });
    // in_app is already `delivered` by its provider, in the transaction that wrote the inbox item (R28).
    if (row.channel !== 'in_app') {
      await d.deliveries.transition(row.id, ['sending'], { status: 'sent', sentAt: nowIso, provider: result.provider, providerMessageId: result.provider_message_id, leaseUntil: null, lastErrorCode: null, lastErrorMessage: null, updatedAt: nowIso });
    }
    d.logger.info({ delivery_id: row.id, notification_id: n.id, channel: row.channel, provider: result.provider, attempt: row.attemptCount, outcome: 'sent' }, 'delivery sent');
    d.metrics?.outcome(row.channel, result.provider, 'sent', row.channel === 'in_app' ? 'delivered' : 'sent', (now.getTime() - Date.parse(new Date(n.createdAt).toISOString())) / 1000, (now.getTime() - startedAt.getTime()) / 1000);
  }

  /** Handles one fetched batch of delivery ids. */
  async function handle(ids: string[]): Promise<void> {
    const claimed = await d.deliveries.claim([...new Set(ids)], d.now(), LEASE_MS);
    const touched = new Set<string>();
    for (let i = 0; i < claimed.length; i += d.concurrency) {
      await Promise.all(claimed.slice(i, i + d.concurrency).map(async (row) => {
        touched.add(row.notificationId);
        await process(row);
      }));
    }
    for (const id of touched) await d.deliveries.recompute(id, d.now());
  }

  return { handle, fail };
}

export type DispatchService = ReturnType<typeof createDispatchService>;
