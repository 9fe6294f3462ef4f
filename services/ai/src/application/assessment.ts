/**
 * One apprentice's assessment (R23–R27) and the alert changes it causes (R32), written in one short
 * transaction after every remote read (§7): the assessment row, the alert and its event, the outbox rows.
 */
import { decideAlert, SNOOZE_DAYS, type AlertState, type AlertStatus } from '../domain/alerts.ts';
import { assess, LEVEL_ES, recommendedActions, riskWindows, topFactors, type Counts, type Factor, type RiskInputs, type RiskSettings, type SourceState } from '../domain/risk.ts';
import { today, type Deps } from './context.ts';
import type { AlertRow, AssessmentRow, Repositories } from './ports.ts';

export interface Subject {
  id: string;
  name: string | null;
  groupId: string;
  groupNumber: string | null;
}

export interface Extras {
  project: RiskInputs['project'];
  evalin: RiskInputs['evalin'];
}

export type AlertOutcome = 'created' | 'escalated' | 'resolved' | null;

const DAY = 86_400_000;

export const alertState = (a: AlertRow): AlertState => ({
  id: a.id,
  level: a.level,
  status: a.status as AlertStatus,
  openedAt: a.openedAt,
  acknowledgedAt: a.acknowledgedAt,
  resolvedAt: a.resolvedAt,
  resolvedBy: a.resolvedBy,
  dismissedAt: a.dismissedAt,
  snoozeUntil: a.snoozeUntil,
  lastEscalatedAt: a.lastEscalatedAt,
});

export const reportPath = (groupId: string) => `/api/v1/ai/risk/groups/${groupId}/report`;

export function createAssessor(deps: Deps) {
  /** Project and evalin inputs (R27): an error is `unavailable`, no data is `no_data`. */
  async function extras(apprenticeId: string, groupId: string, periods: Map<string, Promise<{ id: string } | null>>): Promise<Extras> {
    let project: Extras['project'];
    try {
      const p = await deps.projecteval.latestPublished(apprenticeId);
      project = p ? { state: 'ok', value: p } : { state: 'no_data', value: null };
    } catch {
      project = { state: 'unavailable', value: null };
    }
    let evalin: Extras['evalin'];
    try {
      if (!periods.has(groupId)) periods.set(groupId, deps.evalin.latestPeriod(groupId));
      const period = await periods.get(groupId)!;
      evalin = period ? { state: 'ok', value: { assigned: null, submitted: await deps.evalin.submittedCount(apprenticeId, period.id), period_id: period.id } } : { state: 'no_data', value: null };
    } catch {
      periods.delete(groupId);
      evalin = { state: 'unavailable', value: null };
    }
    return { project, evalin };
  }

  function compute(window: Counts, recent: Counts, ex: Extras, settings: RiskSettings) {
    const inputs: RiskInputs = { window, recent, project: ex.project, evalin: ex.evalin };
    return assess(inputs, settings, today(deps));
  }

  function notification(type: 'ai.risk_alert.created' | 'ai.risk_alert.escalated', alert: AlertRow, eventId: string, factors: Factor[], instructors: string[], previousLevel?: string) {
    const critical = alert.level === 'critical';
    const roles: Array<'coordinador'> = type === 'ai.risk_alert.escalated' || critical || instructors.length === 0 ? ['coordinador'] : [];
    return {
      type,
      key: [alert.id, eventId],
      target_users: instructors,
      target_roles: roles,
      priority: 'high' as const,
      action_url: '/fichas',
      entity_type: 'risk_alert',
      entity_id: alert.id,
      data: {
        alert_id: alert.id,
        apprentice_name: alert.apprenticeName ?? 'Aprendiz',
        group_number: alert.groupNumber ?? '',
        level: LEVEL_ES[alert.level] ?? alert.level,
        score: alert.score,
        top_factors: topFactors(factors).map((f) => f.label).join('; '),
        recommended_actions: recommendedActions(alert.level).join('; '),
        report_path: reportPath(alert.groupId),
        ...(previousLevel ? { previous_level: LEVEL_ES[previousLevel] ?? previousLevel } : {}),
      },
    };
  }

  /** R32 inside the caller's transaction. */
  async function applyAlerts(tx: Repositories, a: AssessmentRow, settings: RiskSettings, instructors: string[]): Promise<AlertOutcome> {
    if (a.status !== 'assessed' || !a.level || a.score === null) return null;
    const now = deps.now();
    const open = await tx.risk.openAlert(a.apprenticeId);
    const last = open ? undefined : await tx.risk.lastClosedAlert(a.apprenticeId);
    const d = decideAlert(a.level, settings.alert_min_level, open ? alertState(open) : null, last ? alertState(last) : null, now);
    const factors = a.factors as Factor[];
    const data = (from: string | null) => ({ from_level: from, to_level: a.level, score: a.score });
    if (d.action === 'create') {
      const alert = await tx.risk.insertAlert({ apprenticeId: a.apprenticeId, apprenticeName: a.apprenticeName, groupId: a.groupId, groupNumber: a.groupNumber, assessmentId: a.id, level: a.level, score: a.score, status: 'active', openedAt: now, createdAt: now, updatedAt: now });
      const ev = await tx.risk.insertEvent({ alertId: alert.id, type: 'created', data: data(null), createdAt: now });
      await tx.outbox.enqueue(notification('ai.risk_alert.created', alert, ev.id, factors, instructors));
      return 'created';
    }
    if (!open) return null;
    if (d.action === 'escalate') {
      const alert = await tx.risk.updateAlert(open.id, { level: a.level, score: a.score, status: 'active', assessmentId: a.id, updatedAt: now, ...(d.notify ? { lastEscalatedAt: now } : {}) });
      const ev = await tx.risk.insertEvent({ alertId: open.id, type: 'escalated', data: data(open.level), createdAt: now });
      if (d.notify) await tx.outbox.enqueue(notification('ai.risk_alert.escalated', alert, ev.id, factors, instructors, open.level));
      return 'escalated';
    }
    if (d.action === 'level_changed') {
      await tx.risk.updateAlert(open.id, { level: a.level, score: a.score, assessmentId: a.id, updatedAt: now });
      await tx.risk.insertEvent({ alertId: open.id, type: 'level_changed', data: data(open.level), createdAt: now });
      return null;
    }
    if (d.action === 'auto_resolve') {
      const note = `Riesgo normalizado (puntaje ${a.score})`;
      await tx.risk.updateAlert(open.id, { status: 'resolved', resolvedAt: now, resolvedBy: null, resolutionNote: note, level: open.level, score: a.score, assessmentId: a.id, updatedAt: now });
      await tx.risk.insertEvent({ alertId: open.id, type: 'auto_resolved', note, data: data(open.level), createdAt: now });
      return 'resolved';
    }
    return null;
  }

  return {
    extras,
    compute,
    /** Stores the assessment and applies R32 (one transaction). */
    async store(subject: Subject, window: Counts, recent: Counts, ex: Extras, settings: RiskSettings, opts: { runId?: string; createdBy?: string | null; instructors: string[] }) {
      const result = compute(window, recent, ex, settings);
      const w = riskWindows(today(deps));
      const sources: Record<string, SourceState> = { attendance: 'ok', projecteval: ex.project.state, evalin: ex.evalin.state };
      const now = deps.now();
      return deps.withTransaction(async (tx) => {
        const row = await tx.risk.insertAssessment({
          runId: opts.runId ?? null,
          apprenticeId: subject.id,
          apprenticeName: subject.name,
          groupId: subject.groupId,
          groupNumber: subject.groupNumber,
          windowStart: w.start,
          windowEnd: w.end,
          status: result.status,
          score: result.score,
          level: result.level,
          confidence: result.confidence,
          factors: result.factors,
          inputs: { attendance: { W: window, Wr: recent }, project: ex.project.value, evalin: ex.evalin.value },
          sources,
          settingsVersion: settings.version,
          computedAt: now,
          createdBy: opts.createdBy ?? null,
        });
        const outcome = await applyAlerts(tx, row, settings, opts.instructors);
        return { row, outcome };
      });
    },
    snoozeUntil: (at: Date) => new Date(at.getTime() + SNOOZE_DAYS * DAY),
  };
}

export type Assessor = ReturnType<typeof createAssessor>;
