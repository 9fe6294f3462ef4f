/**
 * Fan-out (R8–R19, R11, R13): expand the targets into people through the users and schedules ports
 * (never inside a transaction), decide each (recipient, channel), insert the deliveries in batches,
 * enqueue the sendable ones. Failures of the other services retry with backoff, then `failed`.
 */
import { randomUUID } from 'node:crypto';
import { isAppError } from '@sicora/platform/errors';
import { catalogueEntry } from '../domain/catalogue.ts';
import { decide } from '../domain/decide.ts';
import { CHANNELS, type Category, type Channel, type Priority } from '../domain/enums.ts';
import { backoffMs, digestDue, FANOUT_RETRY, localParts, RETRY, THROTTLE, throttleUntil } from '../domain/rules.ts';
import type { NotificationRow } from '../infrastructure/db/schema.ts';
import type { DeliveriesRepo, NewDelivery } from '../infrastructure/deliveries.repo.ts';
import type { NotificationsRepo } from '../infrastructure/notifications.repo.ts';
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
}

const MAX_RECIPIENTS = 20_000;
const LEASE_MS = 5 * 60_000;

/** A10: a test send may name another e-mail or phone than the caller's own. */
function overrideFor(n: NotificationRow): Partial<Person> {
  const to = n.type === 'system.test' ? n.data.destination_override : undefined;
  if (typeof to !== 'string') return {};
  return to.includes('@') ? { email: to } : { phone: to };
}

export function createFanoutService(d: FanoutDeps) {
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
    const found: Person[] = [];
    const missing: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const r = await d.users.lookup(ids.slice(i, i + 500));
      found.push(...r.found);
      missing.push(...r.missing);
    }
    return { found, missing };
  }

  async function buildDeliveries(n: NotificationRow, people: Person[], now: Date): Promise<NewDelivery[]> {
    const entry = catalogueEntry(n.type);
    const channels = (n.channels as Channel[] | null) ?? entry?.channels ?? ['in_app', 'email'];
    const templates = await d.templates.currentFor([n.type, 'system.generic']);
    const prefs = await d.preferences.forUsers(people.map((p) => p.id));
    const devices = channels.includes('push') ? await d.activeDevices(people.map((p) => p.id)) : new Map<string, number>();
    const nowIso = now.toISOString();
    const bypass = (entry?.mandatory ?? false) || n.priority === 'critical';
    const limited = channels.filter((c) => THROTTLE[c]);
    const sends = bypass || limited.length === 0 ? new Map<string, number[]>() : await d.deliveries.recentSends(people.map((p) => p.id), limited, now);
    const rows: NewDelivery[] = [];
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
          notBefore: decision.notBefore?.toISOString() ?? null, queuedAt: decision.status === 'queued' ? nowIso : null, createdAt: nowIso, updatedAt: nowIso,
        });
      }
    }
    // R22: low, non-mandatory e-mails of users with a digest join their open digest instead.
    const digestible = n.priority === 'low' && !(entry?.mandatory ?? false)
      ? rows.filter((r) => r.channel === 'email' && r.status === 'queued' && prefs.get(r.userId)!.digest !== 'off') : [];
    if (digestible.length > 0) {
      const open = await d.digests.openFor(digestible.map((r) => {
        const p = prefs.get(r.userId)!;
        return { userId: r.userId, frequency: p.digest as 'hourly' | 'daily', scheduledFor: digestDue(now, p.digest as 'hourly' | 'daily', p.digest_hour, d.timezone) };
      }), now);
      for (const r of digestible) Object.assign(r, { status: 'digested', digestId: open.get(r.userId), queuedAt: null });
    }
    return rows;
  }

  async function enqueueQueued(notificationId: string): Promise<void> {
    const queue = d.queue();
    if (!queue) return;
    for (const row of await d.deliveries.idsByStatus(notificationId, 'queued')) {
      await queue.enqueue('notification-deliver', `deliver-${row.id}-${row.attemptCount + 1}`, { delivery_id: row.id }).catch(() => undefined);
    }
  }

  async function run(notificationId: string): Promise<void> {
    const now = d.now();
    const n = await d.notifications.claimFanout(notificationId, now, LEASE_MS);
    if (!n) return;
    let people: Person[];
    let outcomes;
    try {
      const { ids, groupsNotFound } = await expand(n);
      if (ids.length > MAX_RECIPIENTS) {
        await d.notifications.update(n.id, { status: 'failed', statusReason: 'too_many_recipients', leaseUntil: null, completedAt: now.toISOString(), updatedAt: now.toISOString() });
        return;
      }
      const { found, missing } = await lookup(ids);
      people = found;
      outcomes = { not_found: missing.slice(0, 100), not_found_count: missing.length, groups_not_found: groupsNotFound };
    } catch (err) {
      if (!isAppError(err) || !['unavailable', 'timeout', 'bad_gateway'].includes(err.kind)) throw err;
      await retryLater(n, now);
      return;
    }
    const rows = await buildDeliveries(n, people, now);
    await d.deliveries.insertMany(rows);
    await d.digests.countItems([...new Set(rows.map((r) => r.digestId).filter((x): x is string => Boolean(x)))]);
    for (const r of rows) d.onCreated?.(r.channel, r.status);
    const done = new Date(d.now()).toISOString();
    await d.notifications.update(n.id, {
      status: 'dispatching', statusReason: people.length === 0 ? 'no_recipients' : null, recipientCount: people.length,
      recipientOutcomes: outcomes, leaseUntil: null, updatedAt: done,
    });
    await d.deliveries.recompute(n.id, d.now());
    await enqueueQueued(n.id);
  }

  /** R11: back off, or give up after 8 attempts as a `fanout` dead letter. */
  async function retryLater(n: NotificationRow, now: Date): Promise<void> {
    const at = now.toISOString();
    if (n.fanoutAttempts >= FANOUT_RETRY.maxAttempts) {
      await d.notifications.update(n.id, { status: 'failed', statusReason: 'expansion_failed', leaseUntil: null, completedAt: at, updatedAt: at });
      return;
    }
    const wait = backoffMs(n.fanoutAttempts, FANOUT_RETRY.baseMs, FANOUT_RETRY.capMs);
    // The lease doubles as "not before": the sweeper leaves the notification alone until then.
    await d.notifications.update(n.id, { status: 'accepted', leaseUntil: new Date(now.getTime() + wait).toISOString(), updatedAt: at });
    await d.queue()?.enqueue('notification-fanout', `fanout-${n.id}-${n.fanoutAttempts}`, { notification_id: n.id }, wait).catch(() => undefined);
  }

  return { run };
}

export type FanoutService = ReturnType<typeof createFanoutService>;
