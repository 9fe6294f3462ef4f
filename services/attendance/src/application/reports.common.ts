/**
 * What the reports (RP1–RP5, §4.5) share: the period (R41), the scheduled sessions of a period (R42),
 * names from U12 with R45's two answers (JSON goes on with warnings, CSV is refused with 503), the CSV file
 * of §6.2, and the report error codes of §8.
 */
import { AppError, errors } from '@sicora/platform/errors';
import { summarizeRecords, type FigureRecord } from '../domain/summary.ts';
import { addDays, daysBetween } from '../domain/time.ts';
import { today, type Deps } from './context.ts';
import { lookupPeople, type PeopleResult } from './people.ts';
import type { Session, SessionQuery } from './ports.ts';

export const reportErrors = {
  groupNotFound: () => errors.notFound('GROUP_NOT_FOUND', 'Ficha no encontrada'),
  instructorNotFound: () => errors.notFound('INSTRUCTOR_NOT_FOUND', 'Instructor no encontrado'),
  dateInFuture: () => new AppError('DATE_IN_FUTURE', 'invalid', 'La fecha no puede ser posterior a hoy', { field: 'date' }),
  field: (field: string, reason: string, message: string) => errors.validation([{ field, reason, message }], message),
  exportTooLarge: (total: number) => new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 100 000 filas', { max_rows: CSV_MAX_ROWS, total }),
};

/** §6.2: no CSV holds more rows than this. */
export const CSV_MAX_ROWS = 100_000;
/** R42: W2 answers at most 31 days per call. */
const W2_WINDOW_DAYS = 31;

export interface PeriodInput {
  start_date?: string;
  end_date?: string;
}

/** R41: `start_date ≤ end_date`, at most `maxDays`, default the 30 days ending today. */
export function reportPeriod(deps: Pick<Deps, 'now' | 'timeZone'>, q: PeriodInput, maxDays: number): { from: string; to: string } {
  const to = q.end_date ?? (q.start_date ? addDays(q.start_date, 29) : today(deps));
  const from = q.start_date ?? addDays(to, -29);
  if (from > to) throw errors.validation([{ field: 'end_date', reason: 'before_start', message: 'end_date no puede ser anterior a start_date' }], 'end_date no puede ser anterior a start_date');
  if (daysBetween(from, to) + 1 > maxDays) throw new AppError('RANGE_TOO_LONG', 'invalid', `El periodo no puede superar ${maxDays} días`, { field: 'end_date', max_days: maxDays });
  return { from, to };
}

/**
 * R42: the SCHEDULED sessions of `from`–`to` that have ended by now, read from W2 in consecutive windows
 * of ≤31 days (cancelled sessions and holidays are not in W2 with `include_cancelled=false`).
 */
export async function scheduledSessions(deps: Pick<Deps, 'schedules' | 'now' | 'timeZone'>, from: string, to: string, query: Omit<SessionQuery, 'date' | 'from' | 'to'>): Promise<Session[]> {
  const last = to < today(deps) ? to : today(deps);
  const out: Session[] = [];
  for (let start = from; start <= last; start = addDays(start, W2_WINDOW_DAYS)) {
    const end = addDays(start, W2_WINDOW_DAYS - 1) < last ? addDays(start, W2_WINDOW_DAYS - 1) : last;
    out.push(...(await deps.schedules.sessions({ from: start, to: end, ...query })));
  }
  const now = deps.now().getTime();
  return out
    .filter((s) => s.status === 'SCHEDULED' && new Date(s.end_at).getTime() <= now)
    .sort((a, b) => a.date.localeCompare(b.date) || a.start_time.localeCompare(b.start_time) || a.schedule_id.localeCompare(b.schedule_id));
}

/**
 * Names and documents from U12. R45: a JSON report goes on with them null and a warning; a CSV is refused
 * (503 from the port) rather than written incomplete.
 */
export async function reportPeople(deps: Pick<Deps, 'users'>, ids: Array<string | null | undefined>, csv: boolean): Promise<PeopleResult> {
  if (!csv) return lookupPeople(deps.users, ids);
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return { byId: new Map(), warnings: [] };
  const found = await deps.users.lookup(wanted);
  return { byId: new Map(found.map((p) => [p.id, p])), warnings: [] };
}

/** §6.2 `asistencia_<kind>_<key>_<start YYYYMMDD>_<end YYYYMMDD>.csv`. */
export function csvFileName(kind: string, key: string, from: string, to: string): string {
  return `asistencia_${kind}_${key}_${from.replaceAll('-', '')}_${to.replaceAll('-', '')}.csv`;
}

/** A whole report as CSV (§6.2): small enough to be built in memory, at most 100 000 rows. */
export interface CsvFile {
  filename: string;
  columns: readonly string[];
  rows: ReadonlyArray<readonly unknown[]>;
}

export function csvFile(filename: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): CsvFile {
  if (rows.length > CSV_MAX_ROWS) throw reportErrors.exportTooLarge(rows.length);
  return { filename, columns, rows };
}

/** What a report use case answers: the JSON data with R45's warnings, or the CSV file. */
export type ReportAnswer<D> = { kind: 'json'; data: D; warnings: string[]; total?: number } | { kind: 'csv'; file: CsvFile };


/** The records grouped by `keyOf`, in first-seen order. */
export function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/** A breakdown line's R40 counts and percentages (by subject, month, weekday, student). */
export function breakdownFigures(rows: readonly FigureRecord[]) {
  const f = summarizeRecords(rows);
  return {
    total_scheduled: f.total_scheduled,
    present: f.total_present,
    late: f.total_late,
    absent: f.total_absent,
    justified: f.total_justified,
    excused: f.total_excused,
    attendance_pct: f.attendance_pct,
    punctuality_pct: f.punctuality_pct,
  };
}

/** R40 figures of a report's `summary` (the current run is a per-student figure: RP1 adds it). */
export function summaryFigures(rows: readonly FigureRecord[]) {
  const { current_consecutive_absent: _current, ...figures } = summarizeRecords(rows);
  return figures;
}
