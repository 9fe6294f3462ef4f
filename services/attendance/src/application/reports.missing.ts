/**
 * RP5 missing rolls (R43): the SCHEDULED sessions of one date (W2, so holidays and cancelled sessions never
 * show) that have no record. For a past date every session has ENDED; for today a session ENDED when
 * `end_at ≤ now`, is IN_PROGRESS while started and not ended (listed only on request), and one not yet
 * started is counted in `sessions_total` only.
 */
import { addDays, localDateOf } from '../domain/time.ts';
import type { Deps } from './context.ts';
import { csvFile, csvFileName, reportErrors, reportPeople, type ReportAnswer } from './reports.common.ts';
import type { Session } from './ports.ts';

export interface MissingRollsQuery {
  date?: string;
  campus_id?: string;
  program_id?: string;
  group_id?: string;
  instructor_id?: string;
  include_in_progress?: boolean;
}

/** R43: how far back the report reaches. */
const MAX_DAYS_BACK = 366;

export const MISSING_CSV_COLUMNS = ['date', 'instructor_name', 'group_number', 'program_code', 'subject', 'blocks', 'start_time', 'end_time', 'venue_code', 'campus_name', 'state', 'minutes_since_end'] as const;

export interface MissingItem {
  instructor_id: string;
  instructor_name: string | null;
  group_id: string;
  group_number: string;
  program_code: string;
  schedule_id: string;
  subject: string;
  blocks: string[];
  start_time: string;
  end_time: string;
  venue_code: string;
  campus_name: string;
  state: 'ENDED' | 'IN_PROGRESS';
  minutes_since_end: number | null;
}

export interface MissingRollsData {
  date: string;
  sessions_total: number;
  sessions_taken: number;
  sessions_missing: number;
  affected_instructors: number;
  affected_groups: number;
  items: MissingItem[];
}

export function createMissingRollsReport(deps: Deps) {
  return {
    /** `now` is the clock's unless given: R46's reminder and digest ask as of their job slot. */
    async run(q: MissingRollsQuery, format: 'json' | 'csv', page?: { offset: number; limit: number }, now: Date = deps.now()): Promise<ReportAnswer<MissingRollsData>> {
      const todayDate = localDateOf(now, deps.timeZone);
      const date = q.date ?? todayDate;
      if (date > todayDate) throw reportErrors.dateInFuture();
      if (date < addDays(todayDate, -MAX_DAYS_BACK)) throw reportErrors.field('date', 'minimum', `La fecha no puede ser anterior a ${MAX_DAYS_BACK} días`);
      const sessions = (await deps.schedules.sessions({ date, instructor_id: q.instructor_id, group_id: q.group_id })).filter(
        (s) =>
          s.status === 'SCHEDULED' &&
          (!q.instructor_id || s.instructor.id === q.instructor_id) &&
          (!q.group_id || s.group.id === q.group_id) &&
          (!q.campus_id || s.venue.campus.id === q.campus_id) &&
          (!q.program_id || s.group.program.id === q.program_id),
      );
      const taken = await deps.repos.records.takenOn(date, sessions.map((s) => s.schedule_id));
      const stateOf = (s: Session): MissingItem['state'] | undefined => {
        // A past date: every session has ended, whatever its clock times say.
        if (date < todayDate || new Date(s.end_at).getTime() <= now.getTime()) return 'ENDED';
        return new Date(s.start_at).getTime() <= now.getTime() ? 'IN_PROGRESS' : undefined;
      };
      const missing = sessions
        .filter((s) => !taken.has(s.schedule_id))
        .map((s) => ({ s, state: stateOf(s) }))
        .filter((m): m is { s: Session; state: MissingItem['state'] } => m.state === 'ENDED' || (m.state === 'IN_PROGRESS' && q.include_in_progress === true));
      const people = await reportPeople(deps, missing.filter((m) => !m.s.instructor.full_name).map((m) => m.s.instructor.id), format === 'csv');
      const items: MissingItem[] = missing
        .map(({ s, state }) => ({
          instructor_id: s.instructor.id,
          instructor_name: s.instructor.full_name ?? people.byId.get(s.instructor.id)?.full_name ?? null,
          group_id: s.group.id,
          group_number: s.group.number,
          program_code: s.group.program.code,
          schedule_id: s.schedule_id,
          subject: s.subject,
          blocks: s.blocks ?? [],
          start_time: s.start_time,
          end_time: s.end_time,
          venue_code: s.venue.code,
          campus_name: s.venue.campus.name,
          state,
          minutes_since_end: state === 'ENDED' ? Math.floor((now.getTime() - new Date(s.end_at).getTime()) / 60_000) : null,
        }))
        // By instructor name (unnamed last), then start time; the ids keep the order total.
        .sort(
          (a, b) =>
            (a.instructor_name === null ? 1 : 0) - (b.instructor_name === null ? 1 : 0) ||
            (a.instructor_name ?? '').localeCompare(b.instructor_name ?? '', 'es') ||
            a.instructor_id.localeCompare(b.instructor_id) ||
            a.start_time.localeCompare(b.start_time) ||
            a.schedule_id.localeCompare(b.schedule_id),
        );
      if (format === 'csv') {
        const rows = items.map((i) => [date, i.instructor_name, i.group_number, i.program_code, i.subject, i.blocks.join(';'), i.start_time, i.end_time, i.venue_code, i.campus_name, i.state, i.minutes_since_end]);
        return { kind: 'csv', file: csvFile(csvFileName('tomas_pendientes', date.replaceAll('-', ''), date, date), MISSING_CSV_COLUMNS, rows) };
      }
      const data: MissingRollsData = {
        date,
        sessions_total: sessions.length,
        sessions_taken: sessions.filter((s) => taken.has(s.schedule_id)).length,
        sessions_missing: items.length,
        affected_instructors: new Set(items.map((i) => i.instructor_id)).size,
        affected_groups: new Set(items.map((i) => i.group_id)).size,
        items: page ? items.slice(page.offset, page.offset + page.limit) : items,
      };
      return { kind: 'json', data, warnings: people.warnings, total: items.length };
    },
  };
}
