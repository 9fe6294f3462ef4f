/**
 * RP1 student report: one apprentice's R40 figures over the period, broken down by subject, month and
 * weekday, with their unresolved alerts and their justifications by status. CSV: one row per record.
 * O1 (an aprendiz reads only their own), O2 (an instructor reads students of fichas assigned today or
 * whom they taught); R45 as S1: without users the STUDENT_NOT_FOUND check is skipped for JSON.
 */
import { localIso } from '@sicora/platform/csv-export';
import { WEEKDAY_NAMES } from '../domain/alert-rules.ts';
import { isoWeekday } from '../domain/business-days.ts';
import { attendanceErrors } from '../domain/errors.ts';
import { summarizeRecords } from '../domain/summary.ts';
import type { Access } from './access.ts';
import type { Actor, Deps } from './context.ts';
import { breakdownFigures, CSV_MAX_ROWS, csvFile, csvFileName, groupBy, reportErrors, reportPeople, reportPeriod, type PeriodInput, type ReportAnswer } from './reports.common.ts';

const MAX_PERIOD_DAYS = 366;

export const STUDENT_CSV_COLUMNS = ['session_date', 'day_name', 'start_time', 'end_time', 'subject', 'instructor_name', 'status', 'check_in_at', 'late_minutes', 'method', 'justification_status', 'notes'] as const;

export function createStudentReport(deps: Deps, access: Access) {
  const { repos } = deps;
  return {
    async run(actor: Actor, studentId: string, q: PeriodInput, format: 'json' | 'csv'): Promise<ReportAnswer<Record<string, unknown>>> {
      const { from, to } = reportPeriod(deps, q, MAX_PERIOD_DAYS);
      if (actor.role === 'aprendiz' && studentId !== actor.sub) throw attendanceErrors.outOfScope('student_id');
      if (actor.role === 'instructor' && !(await access.studentInReach(studentId, (await access.reach(actor))!))) throw attendanceErrors.outOfScope('student_id');
      const people = await reportPeople(deps, [studentId], format === 'csv');
      const person = people.byId.get(studentId);
      if (people.warnings.length === 0 && (!person || person.role !== 'aprendiz' || person.is_deleted)) throw attendanceErrors.studentNotFound();
      // For a CSV, one row over the limit tells a too-large export without reading everything.
      const records = await repos.reports.recordsOf({ studentId }, from, to, format === 'csv' ? CSV_MAX_ROWS + 1 : undefined);

      if (format === 'csv') {
        if (records.length > CSV_MAX_ROWS) throw reportErrors.exportTooLarge(records.length);
        const rows = records;
        const instructors = await reportPeople(deps, rows.map((r) => r.instructorId), true);
        const justified = await repos.justifications.forRecords(rows.map((r) => r.id));
        const lines = rows.map((r) => [
          r.sessionDate,
          WEEKDAY_NAMES[isoWeekday(r.sessionDate) - 1],
          r.startTime,
          r.endTime,
          r.subject,
          instructors.byId.get(r.instructorId)?.full_name ?? null,
          r.status,
          localIso(r.checkInAt, deps.timeZone),
          r.lateMinutes,
          r.method,
          justified.get(r.id)?.status ?? null,
          r.notes,
        ]);
        return { kind: 'csv', file: csvFile(csvFileName('aprendiz', person?.document_number ?? studentId, from, to), STUDENT_CSV_COLUMNS, lines) };
      }

      const [alerts, justifications] = await Promise.all([repos.reports.unresolvedAlerts([studentId]), repos.reports.justificationCounts(studentId, from, to)]);
      const byMonth = groupBy(records, (r) => r.sessionDate.slice(0, 7));
      const byWeekday = groupBy(records, (r) => isoWeekday(r.sessionDate));
      const data = {
        student: {
          id: studentId,
          full_name: person?.full_name ?? null,
          document_number: person?.document_number ?? null,
          group_id: person?.group_id ?? (actor.role === 'aprendiz' ? (actor.groupId ?? null) : null),
          group_number: person?.group_number ?? null,
        },
        start_date: from,
        end_date: to,
        summary: summarizeRecords(records),
        by_subject: [...groupBy(records, (r) => r.subject).entries()].sort(([a], [b]) => a.localeCompare(b, 'es')).map(([subject, list]) => ({ subject, ...breakdownFigures(list) })),
        by_month: [...byMonth.keys()].sort().map((month) => ({ month, ...breakdownFigures(byMonth.get(month)!) })),
        by_weekday: [...byWeekday.keys()].sort((a, b) => a - b).map((weekday) => ({ weekday, day_name: WEEKDAY_NAMES[weekday - 1], ...breakdownFigures(byWeekday.get(weekday)!) })),
        alerts: alerts.map((a) => ({ id: a.id, type: a.type, level: a.level, state: a.state, title: a.title, created_at: a.createdAt.toISOString() })),
        justifications: { pending: justifications.PENDING, approved: justifications.APPROVED, rejected: justifications.REJECTED },
      };
      return { kind: 'json', data, warnings: people.warnings };
    },
  };
}
