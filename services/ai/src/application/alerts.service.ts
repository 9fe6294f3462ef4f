/** Risk alerts (§4.3, §3.3, R32e, R33): listing with O2 scope, transitions, notes and the overdue job. */
import { canTransition, daysOpen, OVERDUE_DAYS, type AlertStatus } from '../domain/alerts.ts';
import { aiErrors } from '../domain/errors.ts';
import { LEVEL_ES, recommendedActions, type Factor } from '../domain/risk.ts';
import type { Access } from './access.ts';
import type { Assessor } from './assessment.ts';
import type { Actor, Deps } from './context.ts';
import { alertView, assessmentView, eventView } from './risk.views.ts';

const DAY = 86_400_000;

export interface AlertListQuery {
  status?: string[];
  level?: string[];
  group_id?: string;
  apprentice_id?: string;
  overdue?: boolean;
  sort?: 'level' | 'opened_at' | 'score';
}

export function createAlertsService(deps: Deps, access: Access, assessor: Assessor) {
  const { repos } = deps;

  async function reachable(actor: Actor, id: string, forUpdate = false, tx = repos) {
    const a = await tx.risk.alert(id, forUpdate);
    if (!a) throw aiErrors.alertNotFound();
    await access.assertGroup(actor, a.groupId);
    return a;
  }

  async function factorsOf(assessmentId: string) {
    return ((await repos.risk.assessment(assessmentId))?.factors as Factor[] | undefined) ?? [];
  }

  async function transition(actor: Actor, id: string, to: 'acknowledged' | 'resolved' | 'dismissed', note?: string) {
    await reachable(actor, id);
    const now = deps.now();
    const row = await deps.withTransaction(async (tx) => {
      const a = await reachable(actor, id, true, tx);
      if (!canTransition(a.status as AlertStatus, to)) throw aiErrors.invalidTransition(a.status, to);
      const patch =
        to === 'acknowledged'
          ? { status: to, acknowledgedAt: now, acknowledgedBy: actor.sub }
          : to === 'resolved'
            ? { status: to, resolvedAt: now, resolvedBy: actor.sub, resolutionNote: note ?? null }
            : { status: to, dismissedAt: now, dismissedBy: actor.sub, dismissReason: note ?? null, snoozeUntil: assessor.snoozeUntil(now) };
      const updated = await tx.risk.updateAlert(a.id, { ...patch, updatedAt: now });
      await tx.risk.insertEvent({ alertId: a.id, type: to, actorId: actor.sub, note: note ?? null, data: { from_level: a.level, to_level: a.level, score: a.score }, createdAt: now });
      return updated;
    });
    return alertView(row, now, await factorsOf(row.assessmentId));
  }

  return {
    async list(actor: Actor, q: AlertListQuery, limit: number, offset: number) {
      const scope = await access.scope(actor);
      const now = deps.now();
      const { rows, total } = await repos.risk.listAlerts(
        { statuses: q.status ?? ['active', 'acknowledged'], levels: q.level, group_id: q.group_id, apprentice_id: q.apprentice_id, overdue: q.overdue, overdueBefore: new Date(now.getTime() - OVERDUE_DAYS * DAY), ...(scope ? { groupIds: scope } : {}) },
        q.sort ?? 'level',
        limit,
        offset,
      );
      const items = await Promise.all(rows.map(async (r) => alertView(r, now, await factorsOf(r.assessmentId))));
      return { items, total };
    },
    async get(actor: Actor, id: string) {
      const a = await reachable(actor, id);
      const now = deps.now();
      const assessment = await repos.risk.assessment(a.assessmentId);
      return {
        ...alertView(a, now, (assessment?.factors as Factor[]) ?? []),
        assessment: assessment ? assessmentView(assessment, now) : null,
        events: (await repos.risk.events(a.id)).map(eventView),
        recommended_actions: recommendedActions(a.level),
      };
    },
    acknowledge: (actor: Actor, id: string, note?: string) => transition(actor, id, 'acknowledged', note),
    resolve: (actor: Actor, id: string, note: string) => transition(actor, id, 'resolved', note),
    dismiss: (actor: Actor, id: string, reason: string) => transition(actor, id, 'dismissed', reason),
    async note(actor: Actor, id: string, note: string) {
      const a = await reachable(actor, id);
      return eventView(await repos.risk.insertEvent({ alertId: a.id, type: 'note', actorId: actor.sub, note, createdAt: deps.now() }));
    },
    /** R33: the daily 08:00 job; each overdue alert is notified once. */
    async notifyOverdue() {
      const now = deps.now();
      const due = await repos.risk.overdueUnnotified(new Date(now.getTime() - OVERDUE_DAYS * DAY));
      for (const a of due) {
        await deps.withTransaction(async (tx) => {
          await tx.risk.updateAlert(a.id, { overdueNotifiedAt: now, updatedAt: now });
          await tx.outbox.enqueue({
            type: 'ai.risk_alert.overdue',
            key: [a.id, 'overdue'],
            target_roles: ['coordinador'],
            priority: 'normal',
            action_url: '/fichas',
            entity_type: 'risk_alert',
            entity_id: a.id,
            data: { alert_id: a.id, apprentice_name: a.apprenticeName ?? 'Aprendiz', group_number: a.groupNumber ?? '', level: LEVEL_ES[a.level] ?? a.level, days_open: daysOpen(a.openedAt, now) },
          });
        });
      }
      return due.length;
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
