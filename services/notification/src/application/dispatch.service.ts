/**
 * Sending (R27–R29): claim a batch of deliveries with one statement (the conditional update, their
 * notifications and R21 send times), render each with its pinned version, hand it to the channel's
 * provider, record the attempt and the outcome (successes of a batch in bulk), re-derive the
 * notification's status once per batch (shared by batches ending together). Transient failures retry
 * with exponential backoff and jitter; permanent ones, render errors and exhausted attempts end `dead`
 * (the dead-letter state lives in the table).
 */
import type { Logger } from 'pino';
import { catalogueEntry } from '../domain/catalogue.ts';
import { backoffMs, RETRY, THROTTLE, throttleUntil } from '../domain/rules.ts';
import type { Channel } from '../domain/enums.ts';
import type { DeliveriesRepo, DeliveryRow } from '../infrastructure/deliveries.repo.ts';
import type { NotificationRow, NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { TemplatesRepo, TemplateVersionRow } from '../infrastructure/templates.repo.ts';
import { BreakerOpenError, ChannelError, type ChannelProvider, type JobQueue, type SendResult } from './ports.ts';
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
  /** R27's delivery lease; a send outliving it is presumed lost and retried by the sweeper. */
  leaseMs?: number;
}

const LEASE_MS = 60_000;
/** Channels R21 limits: the claim reads their recent sends. */
const THROTTLED = Object.keys(THROTTLE);

interface Sent { row: DeliveryRow; n: NotificationRow; result: SendResult; startedAt: Date; finishedAt: Date }

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new ChannelError('transient', 'TIMEOUT', 'El proveedor no respondió a tiempo')), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function createDispatchService(d: DispatchDeps) {
  async function fail(row: DeliveryRow, err: ChannelError | { kind: 'render'; message: string }, startedAt: Date, provider: string | null): Promise<void> {
    const now = d.now();
    const policy = RETRY[row.channel as Channel];
    const permanent = err.kind === 'permanent' || err.kind === 'render';
    const exhausted = row.attemptCount >= row.maxAttempts;
    const code = err instanceof ChannelError ? err.code : 'RENDER_ERROR';
    const message = err.message.slice(0, 500);
    const outcome = err.kind === 'render' ? 'permanent_error' : err.kind === 'permanent' ? 'permanent_error' : err.kind === 'provider_unavailable' ? 'provider_unavailable' : code === 'TIMEOUT' ? 'timeout' : code === 'WORKER_LOST' ? 'worker_lost' : 'transient_error';
    await d.deliveries.addAttempt({
      deliveryId: row.id, attemptNo: row.attemptCount, provider, startedAt, finishedAt: now, durationMs: now.getTime() - startedAt.getTime(),
      outcome, errorCode: code, errorMessage: message, httpStatus: err instanceof ChannelError ? (err.httpStatus ?? null) : null,
    });
    if (code === 'NO_DESTINATION') {
      // R39: every device turned out dead; nothing left to retry.
      await d.deliveries.transition(row.id, ['sending'], { status: 'skipped', statusReason: 'no_destination', leaseUntil: null, provider, updatedAt: now });
      d.metrics?.outcome(row.channel, provider ?? 'none', outcome, 'skipped', null, null);
      return;
    }
    if (permanent || exhausted) {
      const reason = err.kind === 'render' ? 'render_error' : permanent ? 'permanent_provider_error' : 'max_attempts_exhausted';
      await d.deliveries.transition(row.id, ['sending'], { status: 'dead', statusReason: reason, deadAt: now, leaseUntil: null, lastErrorCode: code, lastErrorMessage: message, provider, updatedAt: now });
      d.logger.error({ delivery_id: row.id, notification_id: row.notificationId, channel: row.channel, provider, attempt: row.attemptCount, outcome, error_code: code }, 'delivery dead');
      d.metrics?.outcome(row.channel, provider ?? 'none', outcome, 'dead', null, (now.getTime() - startedAt.getTime()) / 1000);
      return;
    }
    const wait = backoffMs(row.attemptCount, policy.baseMs, policy.capMs);
    const next = new Date(now.getTime() + wait);
    await d.deliveries.transition(row.id, ['sending'], { status: 'retrying', nextAttemptAt: next, leaseUntil: null, lastErrorCode: code, lastErrorMessage: message, provider, updatedAt: now });
    d.logger.warn({ delivery_id: row.id, notification_id: row.notificationId, channel: row.channel, provider, attempt: row.attemptCount, outcome, error_code: code }, 'delivery attempt failed');
    d.metrics?.outcome(row.channel, provider ?? 'none', outcome, null, null, (now.getTime() - startedAt.getTime()) / 1000);
    await d.queue()?.enqueue('notification-deliver', `deliver-${row.id}-${row.attemptCount + 1}`, { delivery_id: row.id }, wait).catch(() => undefined);
  }

  /**
   * R40: the provider's breaker refused the call, so no attempt was made: back to `retrying` at its
   * half-open time with `attempt_count` as before the claim, recorded as a `breaker_open` attempt row.
   */
  async function deferForBreaker(row: DeliveryRow, err: BreakerOpenError, startedAt: Date): Promise<void> {
    const now = d.now();
    await d.deliveries.addAttempt({
      deliveryId: row.id, attemptNo: row.attemptCount, provider: err.provider, startedAt, finishedAt: now, durationMs: now.getTime() - startedAt.getTime(),
      outcome: 'breaker_open', errorCode: err.code, errorMessage: err.message.slice(0, 500), httpStatus: null,
    });
    await d.deliveries.transition(row.id, ['sending'], {
      status: 'retrying', nextAttemptAt: err.retryAt, attemptCount: Math.max(0, row.attemptCount - 1), leaseUntil: null,
      lastErrorCode: err.code, lastErrorMessage: err.message.slice(0, 500), updatedAt: now,
    });
    d.logger.warn({ delivery_id: row.id, notification_id: row.notificationId, channel: row.channel, provider: err.provider, attempt: row.attemptCount - 1, outcome: 'breaker_open', error_code: err.code }, 'delivery deferred');
    d.metrics?.outcome(row.channel, err.provider, 'breaker_open', null, null, null);
    // A distinct job id: the job being handled still holds `deliver-<id>-<n>` on BullMQ while it runs.
    const wait = Math.max(0, err.retryAt.getTime() - now.getTime());
    await d.queue()?.enqueue('notification-deliver', `deliver-${row.id}-${row.attemptCount}-b${err.retryAt.getTime()}`, { delivery_id: row.id }, wait).catch(() => undefined);
  }

  /** R21: over the limit → back to `pending` until `until`; held for more than 24 h → `skipped`. */
  async function holdForThrottle(row: DeliveryRow, until: number, now: Date): Promise<void> {
    if (now.getTime() - new Date(row.createdAt).getTime() > 86_400_000) {
      await d.deliveries.transition(row.id, ['sending'], { status: 'skipped', statusReason: 'throttled', leaseUntil: null, attemptCount: Math.max(0, row.attemptCount - 1), updatedAt: now });
      d.metrics?.outcome(row.channel, 'none', 'throttled', 'skipped', null, null);
    } else {
      // The claim counted an attempt that never reached a provider.
      await d.deliveries.transition(row.id, ['sending'], { status: 'pending', statusReason: 'throttled', notBefore: new Date(until), leaseUntil: null, attemptCount: Math.max(0, row.attemptCount - 1), updatedAt: now });
    }
  }

  /**
   * R21 re-checked at lease, once per batch: the claim brought the send times of every throttled row's
   * user and channel (mandatory and critical types and unthrottled channels need none), then the rows in
   * claim order, each send the batch is about to make counted in memory, so two deliveries to one person
   * in one batch cannot both slip under the limit. Returns the ids held back.
   */
  async function throttleBatch(rows: Array<{ row: DeliveryRow; n: NotificationRow; sends: number[] }>): Promise<Set<string>> {
    const held = new Set<string>();
    const checked = rows.filter(({ row, n }) => THROTTLE[row.channel as Channel] && !(n.priority === 'critical' || (catalogueEntry(n.type)?.mandatory ?? false)));
    if (checked.length === 0) return held;
    const now = d.now();
    // Rows of one person and channel carry the same times; the first one seeds the count.
    const sends = new Map<string, number[]>();
    for (const { row, sends: times } of checked) {
      const key = `${row.userId}|${row.channel}`;
      if (!sends.has(key)) sends.set(key, times);
    }
    for (const { row } of checked) {
      const key = `${row.userId}|${row.channel}`;
      const times = sends.get(key)!;
      const until = throttleUntil(times, now.getTime(), row.channel as Channel);
      if (until === null) {
        sends.set(key, [...times, now.getTime()]);
        continue;
      }
      held.add(row.id);
      await holdForThrottle(row, until, now);
    }
    return held;
  }

  /** R34 and NOTIFICATION_WORKER_CONCURRENCY: parallel sends per process, across batches handled at once. */
  const slots = { free: Math.max(1, d.concurrency), waiting: [] as Array<() => void> };
  async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
    while (slots.free === 0) await new Promise<void>((resolve) => slots.waiting.push(resolve));
    slots.free--;
    try { return await fn(); } finally {
      slots.free++;
      slots.waiting.shift()?.();
    }
  }

  // Published versions never change (T-routes add new ones), so one lookup per version per process; the
  // promise is kept so that a batch's parallel sends share the first lookup. A missing one is not kept.
  const versions = new Map<string, Promise<TemplateVersionRow | undefined>>();
  function versionOf(id: string | null): Promise<TemplateVersionRow | undefined> {
    if (!id) return Promise.resolve(undefined);
    let v = versions.get(id);
    if (!v) {
      if (versions.size >= 1000) versions.clear();
      v = d.templates.versionById(id);
      versions.set(id, v);
      v.then((row) => { if (!row) versions.delete(id); }, () => versions.delete(id));
    }
    return v;
  }

  /**
   * R27/R28: a batch's successful sends written together, group-commit style: a write starts as soon as
   * the previous one ended and takes every send finished meanwhile, so a batch of quick sends shares a
   * few statements and no success waits for the batch's slowest send (or outlives its lease for it).
   */
  function sentWriter() {
    let waiting: Sent[] = [];
    let chain: Promise<void> = Promise.resolve();
    let scheduled = false;
    let failure: unknown;
    const write = async () => {
      scheduled = false;
      const items = waiting;
      waiting = [];
      try {
        await d.deliveries.recordSent(items.map((s) => ({
          attempt: {
            deliveryId: s.row.id, attemptNo: s.row.attemptCount, provider: s.result.provider, startedAt: s.startedAt, finishedAt: s.finishedAt,
            durationMs: s.finishedAt.getTime() - s.startedAt.getTime(), outcome: 'sent', providerMessageId: s.result.provider_message_id, failoverFrom: s.result.failover_from ?? null,
            warnings: s.result.warnings ?? [], deviceResults: s.result.device_results ?? null,
          },
          // in_app is already `delivered` by its provider, in the transaction that wrote the inbox item (R28).
          sent: s.row.channel !== 'in_app',
        })));
      } catch (err) {
        failure ??= err;
        return;
      }
      for (const { row, n, result, startedAt, finishedAt } of items) {
        d.logger.info({ delivery_id: row.id, notification_id: n.id, channel: row.channel, provider: result.provider, attempt: row.attemptCount, outcome: 'sent' }, 'delivery sent');
        d.metrics?.outcome(row.channel, result.provider, 'sent', row.channel === 'in_app' ? 'delivered' : 'sent', (finishedAt.getTime() - n.createdAt.getTime()) / 1000, (finishedAt.getTime() - startedAt.getTime()) / 1000);
      }
    };
    return {
      add(s: Sent) {
        waiting.push(s);
        if (scheduled) return;
        scheduled = true;
        // setImmediate: sends settling in the same turn join this write.
        chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(write);
      },
      /** Resolves when everything added is written; rethrows a failed write so the batch's jobs fail. */
      async drain() {
        await chain;
        if (failure) throw failure;
      },
    };
  }

  /** Render and send one claimed delivery; failures are recorded at once, a success is returned. */
  async function process(row: DeliveryRow, n: NotificationRow): Promise<Sent | undefined> {
    const startedAt = d.now();
    const version = await versionOf(row.templateVersionId);
    const provider = d.providers[row.channel as Channel];
    if (!version || !provider) {
      await fail(row, { kind: 'render', message: 'Sin plantilla o proveedor para el canal' }, startedAt, provider?.name ?? null);
      return undefined;
    }
    const entry = catalogueEntry(n.type);
    let rendered;
    try {
      rendered = d.render({ notification: n, delivery: row, version, mandatory: entry?.mandatory ?? false, appUrl: d.appUrl });
      if (Buffer.byteLength(rendered.text) + Buffer.byteLength(rendered.html ?? '') > 256 * 1024) throw new Error('El mensaje supera 256 KiB');
    } catch (err) {
      await fail(row, { kind: 'render', message: String((err as Error).message).split('\n').pop()!.trim() }, startedAt, provider.name);
      return undefined;
    }
    let result: SendResult;
    try {
      result = await withTimeout(provider.send({
        delivery_id: row.id, notification_id: n.id, user_id: row.userId, type: n.type, category: n.category, priority: n.priority, mandatory: entry?.mandatory ?? false,
        to: row.destination, subject: rendered.subject, text: rendered.text, html: rendered.html, action_url: n.actionUrl, entity_type: n.entityType, entity_id: n.entityId,
        preferences_url: `${d.appUrl}/notificaciones/preferencias`,
      }), RETRY[row.channel as Channel].timeoutMs);
    } catch (err) {
      if (err instanceof BreakerOpenError) {
        await deferForBreaker(row, err, startedAt);
        return undefined;
      }
      await fail(row, err instanceof ChannelError ? err : new ChannelError('transient', 'PROVIDER_ERROR', String((err as Error).message)), startedAt, provider.name);
      return undefined;
    }
    return { row, n, result, startedAt, finishedAt: d.now() };
  }

  /**
   * R32 after a batch, coalesced per notification (R65): batches of one notification finishing together
   * share one recompute instead of queueing one each. A caller always waits for a run that starts after
   * its call (the one waiting to start, or a new one), so the run it waits for sees every write it made,
   * as a recompute of its own would; the last delivery to end is therefore always followed by one.
   */
  const recomputes = new Map<string, { running: Promise<void>; next?: Promise<void> }>();
  function recompute(id: string): Promise<void> {
    const slot = recomputes.get(id);
    if (slot?.next) return slot.next;
    const start = (): Promise<void> => {
      const running: Promise<void> = d.deliveries.recompute(id, d.now()).finally(() => {
        const current = recomputes.get(id);
        if (current?.running === running && !current.next) recomputes.delete(id);
      });
      recomputes.set(id, { running });
      return running;
    };
    if (!slot) return start();
    slot.next = slot.running.catch(() => undefined).then(start);
    return slot.next;
  }

  /**
   * Handles one fetched batch of delivery ids (R27): one statement claims the rows and reads their
   * notifications and R21 send times, sends run in parallel, successes are written in bulk, each
   * notification is re-derived once.
   */
  async function handle(ids: string[]): Promise<void> {
    const claimed = await d.deliveries.claimBatch([...new Set(ids)], d.now(), d.leaseMs ?? LEASE_MS, THROTTLED);
    if (claimed.length === 0) return;
    const byId = new Map(claimed.flatMap((c) => (c.notification ? [[c.notification.id, c.notification] as const] : [])));
    const ready: Array<{ row: DeliveryRow; n: NotificationRow; sends: number[] }> = [];
    for (const { row, sends } of claimed) {
      const n = byId.get(row.notificationId);
      if (n) ready.push({ row, n, sends });
      else await fail(row, { kind: 'render', message: 'Sin plantilla o proveedor para el canal' }, d.now(), d.providers[row.channel as Channel]?.name ?? null);
    }
    const held = await throttleBatch(ready);
    const writer = sentWriter();
    // One failing delivery must not stop the others: every row settles before the batch's outcome.
    const settled = await Promise.allSettled(ready.filter(({ row }) => !held.has(row.id)).map(({ row, n }) => withSlot(async () => {
      const sent = await process(row, n);
      if (sent) writer.add(sent);
    })));
    const written = writer.drain();
    await written.catch(() => undefined);
    await Promise.all([...new Set(claimed.map((c) => c.row.notificationId))].map(recompute));
    await written;
    const rejected = settled.find((s) => s.status === 'rejected');
    if (rejected) throw (rejected as PromiseRejectedResult).reason;
  }

  return { handle, fail };
}

export type DispatchService = ReturnType<typeof createDispatchService>;
