/**
 * RP2 ficha report (US-ATT-18): the ficha's header (G3), its R40 figures, sessions scheduled / taken /
 * missing (R42, R43), one line per student — the active apprentices of G7 plus anyone else with records of
 * the ficha in the period — sorted by attendance ascending (nulls last), and the figures per subject. CSV:
 * the `students` layout, or the `matrix` attendance sheet (planilla), one column per session.
 */
import { summarizeRecords } from '../domain/summary.ts';
import { attendanceErrors } from '../domain/errors.ts';
import type { Access } from './access.ts';
import type { Actor, Deps } from './context.ts';
import { breakdownFigures, csvFile, csvFileName, groupBy, reportErrors, reportPeople, reportPeriod, scheduledSessions, summaryFigures, type PeriodInput, type ReportAnswer } from './reports.common.ts';

export interface GroupReportQuery extends PeriodInput {
  layout?: 'students' | 'matrix';
}

const MAX_PERIOD_DAYS = 366;

export const GROUP_STUDENTS_CSV_COLUMNS = ['student_document', 'student_name', 'total_scheduled', 'present', 'late', 'absent', 'justified', 'excused', 'attendance_pct', 'punctuality_pct', 'consecutive_absent', 'open_alerts'] as const;

/** §6.2 planilla cells. */
const CELL = { PRESENT: 'P', LATE: 'T', ABSENT: 'A', JUSTIFIED: 'J', EXCUSED: 'E' } as const;

const byName = (a: { full_name: string | null; student_id: string }, b: { full_name: string | null; student_id: string }) =>
  (a.full_name === null ? 1 : 0) - (b.full_name === null ? 1 : 0) || (a.full_name ?? '').localeCompare(b.full_name ?? '', 'es') || a.student_id.localeCompare(b.student_id);

export function createGroupReport(deps: Deps, access: Access) {
  const { repos } = deps;
  return {
    async run(actor: Actor, groupId: string, q: GroupReportQuery, format: 'json' | 'csv'): Promise<ReportAnswer<Record<string, unknown>>> {
      const layout = q.layout ?? 'students';
      if (layout === 'matrix' && format === 'json') throw reportErrors.field('layout', 'csv_only', 'La planilla (layout=matrix) solo se entrega con format=csv');
      const { from, to } = reportPeriod(deps, q, MAX_PERIOD_DAYS);
      if (actor.role === 'instructor') {
        // O2: a ficha assigned today, or one whose sessions this instructor taught.
        const reach = (await access.reach(actor))!;
        if (!reach.groupIds.includes(groupId) && !(await repos.records.taughtBy(actor.sub, { groupId }))) throw attendanceErrors.outOfScope('group_id');
      }
      const group = await deps.schedules.group(groupId);
      if (!group) throw reportErrors.groupNotFound();
      const [roster, records, sessions] = await Promise.all([
        deps.schedules.apprentices(groupId),
        repos.reports.recordsOf({ groupId }, from, to),
        scheduledSessions(deps, from, to, { group_id: groupId }).then((list) => list.filter((s) => s.group.id === groupId)),
      ]);
      const rolls = await repos.reports.sessionRolls(from, to, sessions.map((s) => s.schedule_id));
      const takenKeys = new Set(rolls.filter((r) => r.records > 0).map((r) => `${r.scheduleId}|${r.sessionDate}`));
      const isTaken = (s: { schedule_id: string; date: string }) => takenKeys.has(`${s.schedule_id}|${s.date}`);

      const byStudent = groupBy(records, (r) => r.studentId);
      const ids = [...new Set([...roster.map((a) => a.id), ...byStudent.keys()])];
      const people = await reportPeople(deps, ids, format === 'csv');
      const rosterById = new Map(roster.map((a) => [a.id, a]));
      const alertTypes = groupBy(await repos.reports.unresolvedAlerts(ids), (a) => a.studentId);
      const students = ids
        .map((id) => {
          const recs = byStudent.get(id) ?? [];
          const person = people.byId.get(id);
          return {
            student_id: id,
            full_name: person?.full_name ?? rosterById.get(id)?.full_name ?? null,
            document_number: person?.document_number ?? rosterById.get(id)?.document_number ?? null,
            in_roster: rosterById.has(id),
            ...breakdownFigures(recs),
            consecutive_absent: summarizeRecords(recs).consecutive_absent,
            open_alerts: [...new Set((alertTypes.get(id) ?? []).map((a) => a.type))],
          };
        })
        .sort((a, b) => (a.attendance_pct === null ? 1 : 0) - (b.attendance_pct === null ? 1 : 0) || (a.attendance_pct ?? 0) - (b.attendance_pct ?? 0) || byName(a, b));

      if (format === 'csv' && layout === 'students') {
        const rows = students.map((s) => [s.document_number, s.full_name, s.total_scheduled, s.present, s.late, s.absent, s.justified, s.excused, s.attendance_pct, s.punctuality_pct, s.consecutive_absent, s.open_alerts.join(';')]);
        return { kind: 'csv', file: csvFile(csvFileName('ficha', group.number, from, to), GROUP_STUDENTS_CSV_COLUMNS, rows) };
      }
      if (format === 'csv') {
        // One column per session in order: the scheduled ones and any other session with records.
        const columns = new Map<string, { date: string; start: string; subject: string }>();
        for (const s of sessions) columns.set(`${s.schedule_id}|${s.date}`, { date: s.date, start: s.start_time, subject: s.subject });
        for (const r of records) if (!columns.has(`${r.scheduleId}|${r.sessionDate}`)) columns.set(`${r.scheduleId}|${r.sessionDate}`, { date: r.sessionDate, start: r.startTime, subject: r.subject });
        const ordered = [...columns.entries()].sort(([ka, a], [kb, b]) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.subject.localeCompare(b.subject) || ka.localeCompare(kb));
        const header = ['student_document', 'student_name', ...ordered.map(([, c]) => `${c.date} ${c.start} ${c.subject}`), 'attendance_pct'];
        const rows = [...students].sort(byName).map((s) => {
          const cells = new Map((byStudent.get(s.student_id) ?? []).map((r) => [`${r.scheduleId}|${r.sessionDate}`, CELL[r.status]]));
          return [s.document_number, s.full_name, ...ordered.map(([k]) => cells.get(k) ?? null), s.attendance_pct];
        });
        return { kind: 'csv', file: csvFile(csvFileName('planilla', group.number, from, to), header, rows) };
      }

      const subjects = new Set([...sessions.map((s) => s.subject), ...records.map((r) => r.subject)]);
      const recordsBySubject = groupBy(records, (r) => r.subject);
      const taken = sessions.filter(isTaken).length;
      const data = {
        group: { id: group.id, number: group.number, program_code: group.program.code, campus_name: group.campus.name },
        start_date: from,
        end_date: to,
        summary: summaryFigures(records),
        sessions: { scheduled: sessions.length, taken, missing: sessions.length - taken },
        students,
        by_subject: [...subjects]
          .sort((a, b) => a.localeCompare(b, 'es'))
          .map((subject) => {
            const list = sessions.filter((s) => s.subject === subject);
            return { subject, sessions_scheduled: list.length, sessions_taken: list.filter(isTaken).length, ...breakdownFigures(recordsBySubject.get(subject) ?? []) };
          }),
      };
      return { kind: 'json', data, warnings: people.warnings };
    },
  };
}
