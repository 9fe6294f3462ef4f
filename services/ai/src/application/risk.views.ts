/** API shapes of assessments and alerts (§4.2, §4.3). */
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { isOverdue } from '../domain/alerts.ts';
import { recommendedActions, topFactors, type Factor, type Level } from '../domain/risk.ts';
import type { AlertRow, AssessmentRow } from './ports.ts';
import type { AlertEventRow } from '../infrastructure/risk.repo.ts';

const STALE_MS = 7 * 86_400_000;

export function assessmentView(a: AssessmentRow, now: Date) {
  return {
    id: a.id,
    run_id: a.runId,
    apprentice_id: a.apprenticeId,
    apprentice_name: a.apprenticeName,
    group_id: a.groupId,
    group_number: a.groupNumber,
    window_start: a.windowStart,
    window_end: a.windowEnd,
    status: a.status as 'assessed' | 'insufficient_data',
    score: a.score,
    level: a.level as Level | null,
    confidence: a.confidence as 'low' | 'medium' | 'high' | null,
    factors: a.factors as Factor[],
    inputs: a.inputs,
    sources: a.sources,
    settings_version: a.settingsVersion,
    computed_at: toIso(a.computedAt),
    stale: now.getTime() - a.computedAt.getTime() > STALE_MS,
    recommended_actions: recommendedActions(a.level),
  };
}

export function alertView(a: AlertRow, now: Date, factors: Factor[] = []) {
  return {
    id: a.id,
    apprentice_id: a.apprenticeId,
    apprentice_name: a.apprenticeName,
    group_id: a.groupId,
    group_number: a.groupNumber,
    level: a.level as Level,
    score: a.score,
    status: a.status as 'active' | 'acknowledged' | 'resolved' | 'dismissed',
    opened_at: toIso(a.openedAt),
    acknowledged_at: toIsoOrNull(a.acknowledgedAt),
    acknowledged_by: a.acknowledgedBy,
    resolved_at: toIsoOrNull(a.resolvedAt),
    resolved_by: a.resolvedBy,
    resolution_note: a.resolutionNote,
    dismissed_at: toIsoOrNull(a.dismissedAt),
    dismissed_by: a.dismissedBy,
    dismiss_reason: a.dismissReason,
    snooze_until: toIsoOrNull(a.snoozeUntil),
    overdue: isOverdue({ status: a.status as 'active', openedAt: a.openedAt }, now),
    top_factors: topFactors(factors).map((f) => f.label),
  };
}

export function eventView(e: AlertEventRow) {
  return { id: e.id, type: e.type, actor_id: e.actorId, note: e.note, data: e.data, created_at: toIso(e.createdAt) };
}
