/**
 * RC6 (§6.2): the records of RC1's filters as CSV — counted first (a refusal stays a JSON envelope),
 * then read in keyset batches, each batch's names from U12. Users down → 503 before the first byte,
 * never an incomplete file (R45).
 */
import { AppError } from '@sicora/platform/errors';
import { keysetBatches, localIso } from '@sicora/platform/csv-export';
import { WEEKDAY_NAMES } from '../domain/alert-rules.ts';
import { isoWeekday } from '../domain/business-days.ts';
import type { Deps } from './context.ts';
import type { Person, RecordFilter } from './ports.ts';

export const EXPORT_MAX_ROWS = 100_000;
const BATCH = 500;

export const RECORD_CSV_COLUMNS = ['record_id', 'session_date', 'day_name', 'start_time', 'end_time', 'group_number', 'subject', 'instructor_name', 'student_document', 'student_name', 'status', 'check_in_at', 'late_minutes', 'method', 'justification_status', 'flags', 'notes', 'updated_at'] as const;

type Row = Awaited<ReturnType<Deps['repos']['records']['exportBatch']>>[number];
interface Enriched extends Row {
  people: Map<string, Person>;
  justification?: { status: string };
}

export function createRecordsExport(deps: Pick<Deps, 'repos' | 'users' | 'timeZone'>) {
  const { repos } = deps;

  async function enrich(rows: Row[]): Promise<Enriched[]> {
    // A users failure propagates: 503 before the first byte, never a file with blank names.
    const found = await deps.users.lookup([...new Set(rows.flatMap((r) => [r.row.studentId, r.row.instructorId]))]);
    const people = new Map(found.map((p) => [p.id, p]));
    const justifications = await repos.justifications.forRecords(rows.map((r) => r.row.id));
    return rows.map((r) => ({ ...r, people, justification: justifications.get(r.row.id) }));
  }

  return {
    async build(filter: RecordFilter) {
      const total = await repos.records.count(filter);
      if (total > EXPORT_MAX_ROWS) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 100 000 filas', { max_rows: EXPORT_MAX_ROWS, total });
      // The first batch is read and named before answering: users down is a 503, not a cut file.
      const first = await enrich(await repos.records.exportBatch(filter, undefined, BATCH));
      async function* batches() {
        yield first;
        if (first.length < BATCH) return;
        const last = first[first.length - 1];
        const rest = keysetBatches((after: { sessionDate: string; startTime: string; id: string } | undefined, limit) => repos.records.exportBatch(filter, after ?? { sessionDate: last.row.sessionDate, startTime: last.roll.startTime, id: last.row.id }, limit), (r) => ({ sessionDate: r.row.sessionDate, startTime: r.roll.startTime, id: r.row.id }), BATCH);
        for await (const rows of rest) yield await enrich(rows);
      }
      return {
        filename: `asistencia_registros_export_${filter.from.replaceAll('-', '')}_${filter.to.replaceAll('-', '')}.csv`,
        columns: RECORD_CSV_COLUMNS,
        batches: batches(),
        toRecord: (e: Enriched) => {
          const r = e.row;
          const student = e.people.get(r.studentId);
          return [
            r.id,
            r.sessionDate,
            WEEKDAY_NAMES[isoWeekday(r.sessionDate) - 1],
            e.roll.startTime,
            e.roll.endTime,
            e.roll.groupNumber,
            e.roll.subject,
            e.people.get(r.instructorId)?.full_name ?? null,
            student?.document_number ?? null,
            student?.full_name ?? null,
            r.status,
            localIso(r.checkInAt, deps.timeZone),
            r.lateMinutes,
            r.method,
            e.justification?.status ?? null,
            r.flags.join(';'),
            r.notes,
            localIso(r.updatedAt, deps.timeZone),
          ];
        },
      };
    },
  };
}

export type RecordsExport = ReturnType<typeof createRecordsExport>;
