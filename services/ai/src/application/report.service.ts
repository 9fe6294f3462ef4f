/**
 * The ficha risk report (R34, §6 CSV) and one apprentice's risk history. Names come from the users
 * service; when it cannot answer, rows come from the assessments' snapshots with a USERS_UNAVAILABLE warning.
 */
import { aiErrors } from '../domain/errors.ts';
import { LEVEL_ES, levelRank, recommendedActions, type Factor, type Level } from '../domain/risk.ts';
import type { Access } from './access.ts';
import type { Actor, Deps } from './context.ts';
import type { AssessmentRow, Person } from './ports.ts';
import { fullName } from './runs.service.ts';
import { alertView, assessmentView } from './risk.views.ts';
import type { RiskSettingsService } from './settings.service.ts';

const ALERT_ES: Record<string, string> = { active: 'activa', acknowledged: 'reconocida' };

export function createReportService(deps: Deps, access: Access, settings: RiskSettingsService) {
  return {
    async groupReport(actor: Actor, groupId: string, levels?: string[]) {
      const group = await access.group(actor, groupId);
      const warnings: string[] = [];
      let people: Array<Pick<Person, 'id' | 'document_number'> & { full_name: string | null }>;
      try {
        people = (await deps.users.apprentices(groupId)).map((p) => ({ id: p.id, full_name: fullName(p), document_number: p.document_number ?? null }));
      } catch {
        warnings.push('USERS_UNAVAILABLE');
        people = (await deps.repos.risk.groupApprenticeIds(groupId)).map((r) => ({ id: r.id, full_name: r.name, document_number: null }));
      }
      const ids = people.map((p) => p.id);
      const latest = await deps.repos.risk.latestTwo(ids);
      const byApprentice = new Map<string, AssessmentRow[]>();
      for (const a of latest) byApprentice.set(a.apprenticeId, [...(byApprentice.get(a.apprenticeId) ?? []), a]);
      for (const list of byApprentice.values()) list.sort((x, y) => y.computedAt.getTime() - x.computedAt.getTime());
      const alerts = new Map((await deps.repos.risk.openAlerts(ids)).map((a) => [a.apprenticeId, a]));
      const now = deps.now();
      const counts = { low: 0, medium: 0, high: 0, critical: 0, insufficient_data: 0 };
      let rows = people.map((p) => {
        const [cur, prev] = byApprentice.get(p.id) ?? [];
        if (cur?.status === 'assessed' && cur.level) counts[cur.level as 'low']++;
        else if (cur) counts.insufficient_data++;
        const open = alerts.get(p.id);
        return {
          apprentice_id: p.id,
          full_name: p.full_name ?? cur?.apprenticeName ?? null,
          document_number: p.document_number,
          assessment: cur ? { id: cur.id, score: cur.score, level: cur.level as Level | null, confidence: cur.confidence, factors: cur.factors as Factor[], computed_at: cur.computedAt.toISOString(), stale: assessmentView(cur, now).stale } : null,
          previous_score: prev?.score ?? null,
          delta: cur?.score != null && prev?.score != null ? cur.score - prev.score : null,
          open_alert: open ? { id: open.id, status: open.status, level: open.level } : null,
          recommended_actions: recommendedActions(cur?.level ?? null),
          _inputs: cur?.inputs as { attendance?: { W?: { scheduled: number; present: number; late: number; justified: number; absent: number; consecutive_absent: number } } } | undefined,
        };
      });
      if (levels?.length) rows = rows.filter((r) => (r.assessment?.level ? levels.includes(r.assessment.level) : levels.includes('insufficient_data')));
      rows.sort((a, b) => (b.assessment?.score ?? -1) - (a.assessment?.score ?? -1) || (a.full_name ?? '').localeCompare(b.full_name ?? '', 'es'));
      const run = await deps.repos.risk.latestFinishedRun(groupId);
      const cur = await settings.current();
      return {
        data: {
          group: { id: group.id, number: group.number },
          settings_version: cur.version,
          latest_run: run ? { id: run.id, finished_at: run.finishedAt?.toISOString() ?? null } : null,
          counts,
          apprentices: rows.map(({ _inputs, ...r }) => r),
        },
        csvRows: rows,
        warnings,
      };
    },

    async apprentice(actor: Actor, apprenticeId: string, history: number) {
      const p = await deps.users.user(apprenticeId);
      if (!p || p.role !== 'aprendiz' || !p.group_id) throw aiErrors.apprenticeNotFound();
      await access.assertGroup(actor, p.group_id);
      const rows = await deps.repos.risk.history(apprenticeId, history);
      const open = (await deps.repos.risk.openAlerts([apprenticeId]))[0];
      const now = deps.now();
      return {
        apprentice: { id: p.id, full_name: fullName(p), group_id: p.group_id, group_number: p.group_number ?? rows[0]?.groupNumber ?? null },
        latest: rows[0] ? assessmentView(rows[0], now) : null,
        history: rows.map((r) => ({ computed_at: r.computedAt.toISOString(), score: r.score, level: r.level as Level | null, status: r.status })),
        open_alert: open ? alertView(open, now, (rows[0]?.factors as Factor[]) ?? []) : null,
      };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;

/** §6 columns, one row per apprentice in the JSON order. */
export const CSV_COLUMNS = ['ficha', 'documento', 'aprendiz', 'nivel', 'puntaje', 'confianza', 'asistencia_pct', 'inasistencias_seguidas', 'inasistencias_sin_justificar', 'tendencia_pp', 'factores', 'alerta', 'calculado_el'] as const;

export function csvRecord(groupNumber: string, r: Awaited<ReturnType<ReportService['groupReport']>>['csvRows'][number], localStamp: (iso: string) => string): Record<(typeof CSV_COLUMNS)[number], string> {
  const a = r.assessment;
  const f = (code: string) => a?.factors.find((x) => x.code === code);
  const w = r._inputs?.attendance?.W;
  const rate = w && w.scheduled > 0 ? Math.round(((w.present + w.late + w.justified) / w.scheduled) * 1000) / 10 : null;
  const trend = f('DECLINING_TREND')?.value;
  return {
    ficha: groupNumber,
    documento: r.document_number ?? '',
    aprendiz: r.full_name ?? '',
    nivel: a?.level ? LEVEL_ES[a.level] : 'sin datos',
    puntaje: a?.score != null ? String(a.score) : '',
    confianza: a?.confidence ?? '',
    asistencia_pct: rate !== null ? String(rate) : '',
    inasistencias_seguidas: w ? String(w.consecutive_absent) : '',
    inasistencias_sin_justificar: w ? String(w.absent) : '',
    tendencia_pp: trend != null ? String(-trend) : '',
    factores: (a?.factors ?? []).filter((x) => x.status === 'applied').map((x) => x.label).join(' | '),
    alerta: r.open_alert ? (ALERT_ES[r.open_alert.status] ?? '') : '',
    calculado_el: a ? localStamp(a.computed_at) : '',
  };
}

export const severity = levelRank;
