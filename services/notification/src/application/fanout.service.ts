/**
 * Fan-out (R8–R19, R10, R11, R13): expand the targets into people through the users and schedules ports
 * (never inside a transaction), then per batch of recipients look them up, decide each (recipient,
 * channel) and insert the batch's deliveries together with the cursor in one transaction, enqueueing the
 * sendable ones. The lease (5 min) is renewed every 30 s and at every batch; a crashed fan-out is
 * resumed after the cursor. Failures of the other services retry with backoff, then `failed`.
 */
import { randomUUID } from 'node:crypto';
import { isAppError } from '@sicora/platform/errors';
import { catalogueEntry } from '../domain/catalogue.ts';
import { decide, type Preferences } from '../domain/decide.ts';
import { CHANNELS, type Category, type Channel, type Priority } from '../domain/enums.ts';
import { backoffMs, digestDue, FANOUT_RETRY, localParts, RETRY, THROTTLE, throttleUntil } from '../domain/rules.ts';
import type { DeliveriesRepo, FanoutDelivery } from '../infrastructure/deliveries.repo.ts';
import type { NotificationRow, NotificationsRepo } from '../infrastructure/notifications.repo.ts';
import type { PreferencesRepo } from '../infrastructure/preferences.repo.ts';
import type { DigestsRepo } from '../infrastructure/digests.repo.ts';
import type { TemplatesRepo } from '../infrastructure/templates.repo.ts';
import type { JobQueue, Person, SchedulesPort, UsersPort } from './ports.ts';

export interface FanoutDeps {
  notifications: NotificationsRepo;
  deliveries: DeliveriesRepo;
  templates: TemplatesRepo;
  preferences: PreferencesRepo;
  digests: DigestsRepo;
  users: UsersPort;
  schedules: SchedulesPort;
  queue: () => JobQueue | undefined;
  configured: (channel: Channel) => boolean;
  activeDevices: (userIds: string[]) => Promise<Map<string, number>>;
  now: () => Date;
  timezone: string;
  onCreated?: (channel: string, status: string) => void;
  /** R10's fan-out lease; the heartbeat renews it every tenth of it, at most every 30 s. */
  leaseMs?: number;
}

const MAX_RECIPIENTS = 20_000;
const LEASE_MS = 5 * 60_000;
const HEARTBEAT_MS = 30_000;
const BATCH_DELIVERIES = 1000;

type Templates = Awaited<ReturnType<TemplatesRepo['currentFor']>>;

/** R10: where a fan-out stands: recipients are handled in id order, `after` is the last one inserted. */
interface FanoutCursor { after: string; recipients: number; not_found: string[]; not_found_count: number }

function parseCursor(text: string | null): FanoutCursor | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as Partial<FanoutCursor>;
    return typeof c.after === 'string' ? { after: c.after, recipients: c.recipients ?? 0, not_found: c.not_found ?? [], not_found_count: c.not_found_count ?? 0 } : null;
  } catch {
    return null;
  }
}

/** Failures of the users or schedules service are retried (R11); anything else is a bug to surface. */
const transient = (err: unknown) => isAppError(err) && ['unavailable', 'timeout', 'bad_gateway'].includes(err.kind);

/** A10: a test send may name another e-mail or phone than the caller's own. */
function overrideFor(n: NotificationRow): Partial<Person> {
  const to = n.type === 'system.test' ? n.data.destination_override : undefined;
  if (typeof to !== 'string') return {};
  return to.includes('@') ? { email: to } : { phone: to };
}

export function createFanoutService(d: FanoutDeps) {
  const LEASE = d.leaseMs ?? LEASE_MS;
  const HEARTBEAT = Math.min(HEARTBEAT_MS, Math.floor(LEASE / 10));
  async function expand(n: NotificationRow): Promise<{ ids: string[]; groupsNotFound: string[] }> {
    const t = n.targets;
    const ids = new Set(t.user_ids);
    const groupsNotFound: string[] = [];
    for (const role of t.roles) (await d.users.idsByRole(role)).forEach((id) => ids.add(id));
    const groupIds = [...t.group_ids];
    if (t.group_numbers.length > 0) {
      const found = await d.schedules.groupsByNumbers(t.group_numbers);
      for (const num of t.group_numbers) {
        const g = found.find((x) => x.number === num);
        if (g) groupIds.push(g.id);
        else groupsNotFound.push(num);
      }
    }
    const today = localParts(d.now(), d.timezone).date;
    for (const gid of new Set(groupIds)) {
      const apprentices = await d.schedules.apprentices(gid);
      if (apprentices === null) { groupsNotFound.push(gid); continue; }
      apprentices.forEach((id) => ids.add(id));
      if (t.include_group_instructors) ((await d.schedules.instructors(gid, today)) ?? []).forEach((id) => ids.add(id));
    }
    for (const ex of t.exclude_user_ids) ids.delete(ex);
    return { ids: [...ids], groupsNotFound };
  }

  async function lookup(ids: string[]): Promise<{ found: Person[]; missing: string[] }> {
    // A batch's pages (U12 takes ≤ 500 ids) are asked for together; answers are joined in page order.
    const pages: string[][] = [];
    for (let i = 0; i < ids.length; i += 500) pages.push(ids.slice(i, i + 500));
    const answers = await Promise.all(pages.map((page) => d.users.lookup(page)));
    return { found: answers.flatMap((r) => r.found), missing: answers.flatMap((r) => r.missing) };
  }

  /**
   * A batch's rows as decided from reads only (preferences, devices, recent sends), so that it can run
   * while the previous batch is being inserted; joining digests writes, so it waits for its turn (joinDigests).
   */
  async function buildDeliveries(n: NotificationRow, channels: Channel[], templates: Templates, people: Person[], now: Date): Promise<{ rows: FanoutDelivery[]; prefs: Map<string, Preferences> }> {
    const entry = catalogueEntry(n.type);
    const prefs = await d.preferences.forUsers(people.map((p) => p.id));
    const devices = channels.includes('push') ? await d.activeDevices(people.map((p) => p.id)) : new Map<string, number>();
    const bypass = (entry?.mandatory ?? false) || n.priority === 'critical';
    const limited = channels.filter((c) => THROTTLE[c]);
    const sends = bypass || limited.length === 0 ? new Map<string, number[]>() : await d.deliveries.recentSends(people.map((p) => p.id), limited, now);
    const rows: FanoutDelivery[] = [];
    for (const person of people) {
      const p = prefs.get(person.id)!;
      for (const channel of CHANNELS.filter((c) => channels.includes(c))) {
        const tpl = templates.get(`${n.type}|${channel}|${p.locale}`) ?? templates.get(`${n.type}|${channel}|es-CO`) ?? templates.get(`system.generic|${channel}|es-CO`) ?? null;
        const decision = decide({
          channel, priority: n.priority as Priority, category: n.category as Category, mandatory: entry?.mandatory ?? false, inactiveAllowed: entry?.inactiveAllowed ?? false,
          recipient: { ...person, ...overrideFor(n), devices: devices.get(person.id) ?? 0 }, prefs: p, configured: d.configured(channel),
          template: tpl ? { active: tpl.template.isActive } : null, now, zone: d.timezone,
        });
        // R21: over the limit waits (pending) until the oldest counted send leaves its window.
        const held = decision.status === 'queued' && !bypass ? throttleUntil(sends.get(`${person.id}|${channel}`) ?? [], now.getTime(), channel) : null;
        if (held !== null) Object.assign(decision, { status: 'pending', reason: 'throttled', notBefore: new Date(held) });
        rows.push({
          id: randomUUID(), notificationId: n.id, userId: person.id, channel, status: decision.status, statusReason: decision.reason, priority: n.priority,
          destination: decision.destination, templateVersionId: tpl?.version.id ?? null, maxAttempts: RETRY[channel].maxAttempts,
          recipient: { id: person.id, first_name: person.first_name, last_name: person.last_name, full_name: person.full_name, role: person.role },
          notBefore: decision.notBefore ?? null, queuedAt: decision.status === 'queued' ? now : null, createdAt: now, updatedAt: now,
        });
      }
    }
    return { rows, prefs };
  }

  /** R22: low, non-mandatory e-mails of users with a digest join their open digest instead. */
  async function joinDigests(n: NotificationRow, rows: FanoutDelivery[], prefs: Map<string, Preferences>, now: Date): Promise<void> {
    const entry = catalogueEntry(n.type);
    const digestible = n.priority === 'low' && !(entry?.mandatory ?? false)
      ? rows.filter((r) => r.channel === 'email' && r.status === 'queued' && prefs.get(r.userId)!.digest !== 'off') : [];
    if (digestible.length > 0) {
      const open = await d.digests.openFor(digestible.map((r) => {
        const p = prefs.get(r.userId)!;
        return { userId: r.userId, frequency: p.digest as 'hourly' | 'daily', scheduledFor: digestDue(now, p.digest as 'hourly' | 'daily', p.digest_hour, d.timezone) };
      }), now);
      for (const r of digestible) Object.assign(r, { status: 'digested', digestId: open.get(r.userId), queuedAt: null });
    }
  }

  async function enqueue(rows: Array<{ id: string; attemptCount: number }>): Promise<void> {
    // R65: a few round trips per batch instead of one awaited enqueue per delivery; a lost enqueue is the sweeper's (R30).
    await d.queue()?.enqueueMany('notification-deliver', rows.map((row) => ({ jobId: `deliver-${row.id}-${row.attemptCount + 1}`, payload: { delivery_id: row.id } })))
      .catch(() => undefined);
  }

  async function run(notificationId: string): Promise<void> {
    const n = await d.notifications.claimFanout(notificationId, d.now(), LEASE);
    if (!n) return;
    // R10 heartbeat: a long expansion (slow users or schedules) keeps its lease; batches renew it too.
    const timer = setInterval(() => { d.notifications.heartbeat(n.id, n.fanoutAttempts, d.now(), LEASE).catch(() => undefined); }, HEARTBEAT);
    timer.unref();
    try {
      await expandAndInsert(n);
    } finally {
      clearInterval(timer);
    }
  }

  async function expandAndInsert(n: NotificationRow): Promise<void> {
    let expanded: { ids: string[]; groupsNotFound: string[] };
    try {
      expanded = await expand(n);
    } catch (err) {
      if (!transient(err)) throw err;
      await retryLater(n, d.now());
      return;
    }
    if (expanded.ids.length > MAX_RECIPIENTS) {
      const at = d.now();
      await d.notifications.update(n.id, { status: 'failed', statusReason: 'too_many_recipients', leaseUntil: null, fanoutCursor: null, completedAt: at, updatedAt: at });
      return;
    }
    const resumed = parseCursor(n.fanoutCursor);
    let cursor: FanoutCursor = resumed ?? { after: '', recipients: 0, not_found: [], not_found_count: 0 };
    // A fixed order makes "after the cursor" mean the same recipients on every attempt.
    const remaining = expanded.ids.sort().filter((id) => id > cursor.after);
    const entry = catalogueEntry(n.type);
    const channels = (n.channels as Channel[] | null) ?? entry?.channels ?? ['in_app', 'email'];
    const templates: Templates = await d.templates.currentFor([n.type, 'system.generic']);
    const perBatch = Math.max(1, Math.floor(BATCH_DELIVERIES / Math.max(1, channels.length)));
    // A batch's jobs are enqueued (Redis or pg-boss) while the next batch is looked up and inserted; the
    // rows are committed first, so a lost enqueue is only late (R30's sweeper re-enqueues `queued` rows).
    // enqueue() never rejects, so a batch left behind by an early return cannot surface as unhandled.
    let enqueued: Promise<void> = Promise.resolve();
    // R65: batch i+1's reads (users lookup, preferences, devices, recent sends, decisions) run while batch
    // i is inserted. Only reads go ahead: the digest join, the insert with its cursor and the enqueue stay
    // in recipient order, one batch after another, so the cursor still names everything before it.
    const chunks: string[][] = [];
    for (let i = 0; i < remaining.length; i += perBatch) chunks.push(remaining.slice(i, i + perBatch));
    const prepare = async (chunk: string[]) => {
      const { found, missing } = await lookup(chunk);
      const now = d.now();
      return { found, missing, now, ...(await buildDeliveries(n, channels, templates, found, now)) };
    };
    let ahead = chunks.length > 0 ? prepare(chunks[0]) : undefined;
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i];
      let batch: Awaited<ReturnType<typeof prepare>>;
      try {
        batch = await ahead!;
      } catch (err) {
        if (!transient(err)) throw err;
        await enqueued;
        await retryLater(n, d.now());
        return;
      }
      ahead = i + 1 < chunks.length ? prepare(chunks[i + 1]) : undefined;
      // Settled by the next turn, or dropped with the fan-out when this batch ends it early.
      ahead?.catch(() => undefined);
      const { found, missing, now, rows, prefs } = batch;
      await joinDigests(n, rows, prefs, now);
      const next: FanoutCursor = {
        after: chunk[chunk.length - 1], recipients: cursor.recipients + found.length,
        not_found: [...cursor.not_found, ...missing].slice(0, 100), not_found_count: cursor.not_found_count + missing.length,
      };
      const owned = await d.deliveries.insertBatch(rows, {
        notificationId: n.id, fanoutAttempts: n.fanoutAttempts, cursor: JSON.stringify(next),
        leaseUntil: new Date(d.now().getTime() + LEASE), updatedAt: now,
      });
      // Cancelled meanwhile (N6), or our lease ran out and another worker resumed the fan-out.
      if (!owned) {
        await enqueued;
        return;
      }
      cursor = next;
      await d.digests.countItems([...new Set(rows.map((r) => r.digestId).filter((x): x is string => Boolean(x)))]);
      for (const r of rows) d.onCreated?.(r.channel, r.status);
      const sendable = rows.filter((r) => r.status === 'queued').map((r) => ({ id: r.id, attemptCount: 0 }));
      enqueued = enqueued.then(() => enqueue(sendable));
    }
    await enqueued;
    const done = d.now();
    const finished = await d.notifications.finishFanout(n.id, n.fanoutAttempts, {
      status: 'dispatching', statusReason: cursor.recipients === 0 ? 'no_recipients' : null, recipientCount: cursor.recipients,
      recipientOutcomes: { not_found: cursor.not_found, not_found_count: cursor.not_found_count, groups_not_found: expanded.groupsNotFound },
      leaseUntil: null, fanoutCursor: null, updatedAt: done,
    });
    if (!finished) return;
    await d.deliveries.recompute(n.id, d.now());
    // Jobs of the batches inserted before a crash may have died with that worker.
    if (resumed) await enqueue(await d.deliveries.idsByStatus(n.id, 'queued'));
  }

  /** R11: back off, or give up after 8 attempts as a `fanout` dead letter. */
  async function retryLater(n: NotificationRow, now: Date): Promise<void> {
    const at = now;
    if (n.fanoutAttempts >= FANOUT_RETRY.maxAttempts) {
      await d.notifications.update(n.id, { status: 'failed', statusReason: 'expansion_failed', leaseUntil: null, completedAt: at, updatedAt: at });
      return;
    }
    const wait = backoffMs(n.fanoutAttempts, FANOUT_RETRY.baseMs, FANOUT_RETRY.capMs);
    // The lease doubles as "not before": the sweeper leaves the notification alone until then.
    await d.notifications.update(n.id, { status: 'accepted', leaseUntil: new Date(now.getTime() + wait), updatedAt: at });
    await d.queue()?.enqueue('notification-fanout', `fanout-${n.id}-${n.fanoutAttempts}`, { notification_id: n.id }, wait).catch(() => undefined);
  }

  return { run };
}

export type FanoutService = ReturnType<typeof createFanoutService>;
