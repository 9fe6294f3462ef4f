/** E50–E51 and R40's job: reminders to pending apprentices, at most one a day each (R41–R44). */
import { localDateOf } from '@sicora/platform/local-time';
import { errors } from '@sicora/platform/errors';
import { toIso } from '@sicora/platform/schemas';
import { evalinErrors } from '../domain/errors.ts';
import { derived } from '../domain/periods.ts';
import type { ConfigService } from './config.service.ts';
import type { Actor, Deps } from './context.ts';
import * as events from './events.ts';
import { nameIn, namesOf } from './people.ts';
import { emit } from './periods.service.ts';
import type { PeriodRow } from './ports.ts';
import { liveGroup, participationOf, pendingStudents, periodWorld } from './world.ts';

export function createRemindersService(deps: Deps, config: ConfigService) {
  const { repos } = deps;

  async function load(id: string) {
    const p = await repos.periods.get(id);
    if (!p) throw evalinErrors.periodNotFound();
    return { p, groups: await repos.periods.groups([id]) };
  }

  /** O4: an instructor acts on the fichas they direct (schedules G3, cached 5 min). */
  async function assertDirector(actor: Actor, groupId: string | undefined) {
    if (actor.role !== 'instructor') return;
    if (!groupId) throw evalinErrors.field('group_id', 'required', 'Indique la ficha que dirige');
    const g = await deps.schedules.group(groupId);
    if (!g || g.director_id !== actor.sub) throw errors.forbidden('Solo el director de la ficha puede hacerlo');
  }

  return {
    assertDirector,
    /** E50. */
    async send(periodId: string, input: { group_id: string; student_ids?: string[]; message?: string | null }, actor: Actor) {
      const settings = await config.current();
      const { p, groups } = await load(periodId);
      await assertDirector(actor, input.group_id);
      const g = groups.find((x) => x.groupId === input.group_id);
      if (!g) throw evalinErrors.groupNotInPeriod();
      if (!derived(p, deps.now()).is_open) throw evalinErrors.periodNotOpen();
      if (!settings.notifications_enabled) throw evalinErrors.notificationsDisabled();
      const last = await repos.reminders.lastManual(p.id, g.groupId);
      if (last) {
        const next = new Date(last.createdAt.getTime() + settings.manual_reminder_min_interval_hours * 3600_000);
        if (next.getTime() > deps.now().getTime()) throw evalinErrors.reminderRateLimited(next, Math.ceil((next.getTime() - deps.now().getTime()) / 1000));
      }
      const world = await liveGroup(deps, p, g);
      if (input.student_ids) {
        const outside = input.student_ids.filter((s) => !world.studentIds.includes(s));
        if (outside.length) throw evalinErrors.studentNotInGroup(outside);
      }
      const selected = input.student_ids ? [...new Set(input.student_ids)] : world.studentIds;
      const pending = new Set(pendingStudents([world], await repos.evaluations.ofPeriod(p.id)));
      const today = localDateOf(deps.now(), deps.timeZone);
      const names = await namesOf(deps.users, [...selected, actor.sub]);
      const result = await deps.withTransaction(async (tx) => {
        const reminder = await tx.reminders.insert({ periodId: p.id, groupId: g.groupId, kind: 'manual', sentBy: actor.sub, message: input.message?.trim() || null, recipientCount: 0, skippedCount: 0, createdAt: deps.now() });
        const withPending = selected.filter((s) => pending.has(s));
        const claimed = new Set(await tx.reminders.claimDeliveries(reminder.id, p.id, withPending, today));
        const outcome = (s: string) => (!pending.has(s) ? 'skipped_no_pending' : claimed.has(s) ? 'queued' : 'skipped_recent') as 'queued' | 'skipped_recent' | 'skipped_no_pending';
        const queued = selected.filter((s) => outcome(s) === 'queued');
        const event = events.evaluationReminder(p, reminder.id, g.groupNumber, queued, reminder.message, nameIn(names, actor.sub), deps.now());
        await emit(tx, settings, event);
        await tx.reminders.setCounts(reminder.id, queued.length, selected.length - queued.length, event ? tx.outbox.keyOf(event) : null);
        return { reminder, outcome, queued };
      });
      const results = selected.map((s) => ({ student_id: s, student_name: world.apprentices?.find((a) => a.id === s)?.full_name ?? nameIn(names, s), outcome: result.outcome(s) }));
      return {
        reminder_id: result.reminder.id,
        group_number: g.groupNumber,
        total_students: world.studentIds.length,
        pending_students: world.studentIds.filter((s) => pending.has(s)).length,
        reminders_sent: result.queued.length,
        skipped_recent: results.filter((r) => r.outcome === 'skipped_recent').length,
        skipped_no_pending: results.filter((r) => r.outcome === 'skipped_no_pending').length,
        results,
      };
    },
    /** E51. */
    async list(periodId: string, actor: Actor, f: { group_id?: string; kind?: 'auto_ending' | 'manual' }, limit: number, offset: number) {
      const { groups } = await load(periodId);
      await assertDirector(actor, f.group_id);
      await repos.reminders.syncDelivery();
      const { rows, total } = await repos.reminders.list({ periodId, groupId: f.group_id, kind: f.kind }, limit, offset);
      const numbers = new Map(groups.map((g) => [g.groupId, g.groupNumber]));
      return {
        items: rows.map(({ r }) => ({ id: r.id, group_id: r.groupId, group_number: numbers.get(r.groupId) ?? null, kind: r.kind, days_before: r.daysBefore, sent_by: r.sentBy, message: r.message, recipient_count: r.recipientCount, skipped_count: r.skippedCount, delivery_status: r.deliveryStatus, created_at: toIso(r.createdAt) })),
        total,
      };
    },
    /** R40: automatic reminders of active periods and the nightly participation refresh. */
    async runDaily() {
      const settings = await config.current();
      const today = localDateOf(deps.now(), deps.timeZone);
      for (const p of await repos.periods.byStatus(['active', 'suspended'])) {
        const groups = await repos.periods.groups([p.id]);
        const world = await periodWorld(deps, p, groups, { live: true });
        const records = await repos.evaluations.ofPeriod(p.id);
        const part = participationOf(world, records);
        await repos.periods.cacheParticipation(p.id, part.expected, part.submitted, deps.now());
        if (p.status !== 'active') continue;
        const daysLeft = dayDiff(localDateOf(p.endDate, deps.timeZone), today);
        if (!settings.auto_reminder_days_before_end.includes(daysLeft) || !settings.notifications_enabled) continue;
        for (const w of world) await autoReminder(p, w.groupId, pendingStudents([w], records), daysLeft, today);
      }
      await repos.reminders.syncDelivery();
    },
  };

  async function autoReminder(p: PeriodRow, groupId: string, pending: string[], daysLeft: number, today: string) {
    const settings = await config.current();
    await deps.withTransaction(async (tx) => {
      const reminder = await tx.reminders.insert({ periodId: p.id, groupId, kind: 'auto_ending', daysBefore: daysLeft, sentBy: null, recipientCount: 0, skippedCount: 0, createdAt: deps.now() });
      const claimed = await tx.reminders.claimDeliveries(reminder.id, p.id, pending, today);
      const event = events.periodEnding(p, groupId, today, claimed, deps.now());
      await emit(tx, settings, event);
      await tx.reminders.setCounts(reminder.id, claimed.length, pending.length - claimed.length, event ? tx.outbox.keyOf(event) : null);
    });
  }
}

const dayDiff = (a: string, b: string) => Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000);

export type RemindersService = ReturnType<typeof createRemindersService>;
