/**
 * RP4 period report (coordination): R40 totals over the centre (or a campus, program or ficha) for a
 * period of at most 184 days, one line per ficha with its figures, open alerts and sessions scheduled /
 * taken (R42), and one line per instructor with their R44 compliance. Counts come aggregated from the
 * database; sessions from W2 in 31-day windows.
 */
import { percentOneDecimal, ratioOneDecimal } from '../domain/summary.ts';
import type { Deps } from './context.ts';
import type { Session } from './ports.ts';
import { csvFile, csvFileName, groupBy, reportPeople, reportPeriod, scheduledSessions, type PeriodInput, type ReportAnswer } from './reports.common.ts';
import type { GroupCountsRow } from '../infrastructure/reports.repo.ts';

export interface PeriodReportQuery extends PeriodInput {
  campus_id?: string;
  program_id?: string;
  group_id?: string;
}

const MAX_PERIOD_DAYS = 184;

export const PERIOD_CSV_COLUMNS = ['group_number', 'program_code', 'campus_name', 'students', 'total_scheduled', 'attendance_pct', 'absence_pct', 'open_alerts', 'sessions_scheduled', 'sessions_taken', 'compliance_pct'] as const;

type Counts = Omit<GroupCountsRow, 'groupId' | 'students'>;

/** R40 figures from the aggregated counts (the same integer rounding as domain/summary.ts). */
function figures(c: Counts) {
  const scheduled = c.records - c.excused;
  return {
    total_records: c.records,
    total_scheduled: scheduled,
    total_present: c.present,
    total_late: c.late,
    total_absent: c.absent,
    total_justified: c.justified,
    total_excused: c.excused,
    attendance_pct: percentOneDecimal(c.present + c.late + c.justified, scheduled),
    absence_pct: percentOneDecimal(c.absent, scheduled),
    justified_pct: percentOneDecimal(c.justified, scheduled),
    punctuality_pct: percentOneDecimal(c.present, c.present + c.late),
    average_lateness_minutes: ratioOneDecimal(c.lateSum, c.lateWithMinutes, 1),
    consecutive_absent: c.longestRun,
  };
}

const ZERO: Counts = { records: 0, present: 0, late: 0, absent: 0, justified: 0, excused: 0, lateSum: 0, lateWithMinutes: 0, longestRun: 0 };

export function createPeriodReport(deps: Deps) {
  const { repos } = deps;
  return {
    async run(q: PeriodReportQuery, format: 'json' | 'csv'): Promise<ReportAnswer<Record<string, unknown>>> {
      const { from, to } = reportPeriod(deps, q, MAX_PERIOD_DAYS);
      const sessions = (await scheduledSessions(deps, from, to, { group_id: q.group_id })).filter(
        (s) => (!q.group_id || s.group.id === q.group_id) && (!q.campus_id || s.venue.campus.id === q.campus_id) && (!q.program_id || s.group.program.id === q.program_id),
      );
      const [counts, taken] = await Promise.all([
        repos.reports.groupCounts(from, to, { campusId: q.campus_id, programId: q.program_id, groupId: q.group_id }),
        repos.reports.takenSessions(from, to),
      ]);
      const isTaken = (s: Session) => taken.has(`${s.schedule_id}|${s.date}`);
      const countsByGroup = new Map(counts.byGroup.map((c) => [c.groupId, c]));
      const sessionsByGroup = groupBy(sessions, (s) => s.group.id);
      const groupIds = [...new Set([...sessionsByGroup.keys(), ...countsByGroup.keys()])];
      // A ficha with records but no session in W2 (all cancelled since) is named from G3.
      const headers = new Map<string, { number: string | null; program_code: string | null; campus_name: string | null }>();
      for (const id of groupIds) {
        const s = sessionsByGroup.get(id)?.[0];
        if (s) headers.set(id, { number: s.group.number, program_code: s.group.program.code, campus_name: s.venue.campus.name });
        else {
          const g = await deps.schedules.group(id);
          headers.set(id, { number: g?.number ?? null, program_code: g?.program.code ?? null, campus_name: g?.campus.name ?? null });
        }
      }
      const openAlerts = await repos.reports.openAlertsByGroup(groupIds);
      const byGroup = groupIds
        .map((id) => {
          const c = countsByGroup.get(id);
          const list = sessionsByGroup.get(id) ?? [];
          const f = figures(c ?? ZERO);
          const sessionsTaken = list.filter(isTaken).length;
          return {
            group_id: id,
            ...headers.get(id)!,
            students: c?.students ?? 0,
            ...f,
            open_alerts: openAlerts.get(id) ?? 0,
            sessions_scheduled: list.length,
            sessions_taken: sessionsTaken,
            compliance_pct: percentOneDecimal(sessionsTaken, list.length),
          };
        })
        .sort((a, b) => (a.number ?? '').localeCompare(b.number ?? '') || a.group_id.localeCompare(b.group_id));

      if (format === 'csv') {
        const rows = byGroup.map((g) => [g.number, g.program_code, g.campus_name, g.students, g.total_scheduled, g.attendance_pct, g.absence_pct, g.open_alerts, g.sessions_scheduled, g.sessions_taken, g.compliance_pct]);
        return { kind: 'csv', file: csvFile(csvFileName('periodo', 'centro', from, to), PERIOD_CSV_COLUMNS, rows) };
      }

      const byInstructorSessions = groupBy(sessions, (s) => s.instructor.id);
      const people = await reportPeople(deps, [...byInstructorSessions.entries()].filter(([, list]) => !list[0].instructor.full_name).map(([id]) => id), false);
      const total = counts.byGroup.reduce<Counts>(
        (sum, c) => ({ records: sum.records + c.records, present: sum.present + c.present, late: sum.late + c.late, absent: sum.absent + c.absent, justified: sum.justified + c.justified, excused: sum.excused + c.excused, lateSum: sum.lateSum + c.lateSum, lateWithMinutes: sum.lateWithMinutes + c.lateWithMinutes, longestRun: 0 }),
        ZERO,
      );
      const data = {
        start_date: from,
        end_date: to,
        scope: { campus_id: q.campus_id ?? null, program_id: q.program_id ?? null, group_id: q.group_id ?? null },
        totals: figures({ ...total, longestRun: counts.longestRun }),
        by_group: byGroup,
        by_instructor: [...byInstructorSessions.entries()]
          .map(([id, list]) => {
            const rollsTaken = list.filter(isTaken).length;
            return { instructor_id: id, full_name: list[0].instructor.full_name ?? people.byId.get(id)?.full_name ?? null, sessions_scheduled: list.length, rolls_taken: rollsTaken, compliance_pct: percentOneDecimal(rollsTaken, list.length) };
          })
          .sort((a, b) => (a.compliance_pct ?? 101) - (b.compliance_pct ?? 101) || (a.full_name ?? '').localeCompare(b.full_name ?? '', 'es') || a.instructor_id.localeCompare(b.instructor_id)),
      };
      return { kind: 'json', data, warnings: people.warnings };
    },
  };
}
