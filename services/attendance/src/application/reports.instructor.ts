/**
 * RP3 instructor compliance (R44): the sessions of the period the instructor was effective instructor of
 * (R42: W2, SCHEDULED, ended), which of them have a record (taken) and which had their first mark by the
 * session's end (on time), per ficha too, plus the attendance figures (R40) of their records.
 */
import { localIso } from '@sicora/platform/csv-export';
import { complianceFigures, summarizeRecords } from '../domain/summary.ts';
import { attendanceErrors } from '../domain/errors.ts';
import type { Actor, Deps } from './context.ts';
import { csvFile, csvFileName, reportErrors, reportPeople, reportPeriod, scheduledSessions, type PeriodInput, type ReportAnswer } from './reports.common.ts';
import type { Session } from './ports.ts';
import type { SessionRollRow } from '../infrastructure/reports.repo.ts';

const MAX_PERIOD_DAYS = 366;

export const INSTRUCTOR_CSV_COLUMNS = ['session_date', 'start_time', 'end_time', 'group_number', 'subject', 'venue_code', 'roll_status', 'first_mark_at', 'closed_at', 'close_method', 'present', 'late', 'absent', 'justified', 'excused'] as const;

const sessionKey = (scheduleId: string, date: string) => `${scheduleId}|${date}`;

function compliance(sessions: Session[], rolls: Map<string, SessionRollRow>) {
  return complianceFigures(
    sessions.map((s) => {
      const roll = rolls.get(sessionKey(s.schedule_id, s.date));
      return { endAt: new Date(s.end_at), firstMarkAt: roll?.firstMarkAt ?? null, hasRecord: (roll?.records ?? 0) > 0 };
    }),
  );
}

export function createInstructorReport(deps: Deps) {
  return {
    async run(actor: Actor, instructorId: string, q: PeriodInput, format: 'json' | 'csv'): Promise<ReportAnswer<Record<string, unknown>>> {
      // §2: an instructor reads only their own compliance.
      if (actor.role === 'instructor' && instructorId !== actor.sub) throw attendanceErrors.outOfScope('instructor_id');
      const { from, to } = reportPeriod(deps, q, MAX_PERIOD_DAYS);
      const people = await reportPeople(deps, [instructorId], format === 'csv');
      const person = people.byId.get(instructorId);
      // R45: without users the check is skipped and the report comes from schedules and the records.
      if (people.warnings.length === 0 && (!person || person.role !== 'instructor' || person.is_deleted)) throw reportErrors.instructorNotFound();
      const sessions = (await scheduledSessions(deps, from, to, { instructor_id: instructorId })).filter((s) => s.instructor.id === instructorId);
      const rolls = new Map((await deps.repos.reports.sessionRolls(from, to, sessions.map((s) => s.schedule_id))).map((r) => [sessionKey(r.scheduleId, r.sessionDate), r]));
      const rollOf = (s: Session) => rolls.get(sessionKey(s.schedule_id, s.date));

      if (format === 'csv') {
        const rows = sessions.map((s) => {
          const r = rollOf(s);
          const taken = (r?.records ?? 0) > 0;
          return [s.date, s.start_time, s.end_time, s.group.number, s.subject, s.venue.code, taken ? 'TOMADA' : 'NO_TOMADA', localIso(r?.firstMarkAt, deps.timeZone), localIso(r?.closedAt, deps.timeZone), r?.closeMethod ?? null, r?.present ?? 0, r?.late ?? 0, r?.absent ?? 0, r?.justified ?? 0, r?.excused ?? 0];
        });
        return { kind: 'csv', file: csvFile(csvFileName('instructor', instructorId, from, to), INSTRUCTOR_CSV_COLUMNS, rows) };
      }

      const records = await deps.repos.records.figures({ from, to, instructor_id: instructorId });
      const byGroup = new Map<string, Session[]>();
      for (const s of sessions) byGroup.set(s.group.id, [...(byGroup.get(s.group.id) ?? []), s]);
      const groupPct = new Map<string, number | null>();
      for (const groupId of byGroup.keys()) groupPct.set(groupId, summarizeRecords(await deps.repos.records.figures({ from, to, instructor_id: instructorId, group_id: groupId })).attendance_pct);
      const data = {
        instructor: { id: instructorId, full_name: person?.full_name ?? sessions[0]?.instructor.full_name ?? null },
        start_date: from,
        end_date: to,
        ...compliance(sessions, rolls),
        attendance_pct: summarizeRecords(records).attendance_pct,
        by_group: [...byGroup.values()]
          .map((list) => ({
            group_id: list[0].group.id,
            group_number: list[0].group.number,
            program_code: list[0].group.program.code,
            ...compliance(list, rolls),
            attendance_pct: groupPct.get(list[0].group.id) ?? null,
          }))
          .sort((a, b) => a.group_number.localeCompare(b.group_number)),
        missing: sessions
          .filter((s) => (rollOf(s)?.records ?? 0) === 0)
          .map((s) => ({ schedule_id: s.schedule_id, session_date: s.date, start_time: s.start_time, end_time: s.end_time, group_id: s.group.id, group_number: s.group.number, subject: s.subject, venue_code: s.venue.code })),
      };
      return { kind: 'json', data, warnings: people.warnings };
    },
  };
}
