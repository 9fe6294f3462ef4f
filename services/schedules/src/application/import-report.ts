/** The ImportReport of §6.1 and its outcome: 422 CSV_VALIDATION_FAILED with the report, else 200/201. */
import { AppError } from '@sicora/platform/errors';

export interface RowError {
  line: number;
  column: string | null;
  code: string;
  message: string;
  value: string | null;
}

export function createReport(dryRun: boolean, totalRows: number) {
  const errors: RowError[] = [];
  const badLines = new Set<number>();
  return {
    errors,
    add(e: RowError) {
      badLines.add(e.line);
      errors.push(e);
    },
    hasErrors: () => errors.length > 0,
    isBad: (line: number) => badLines.has(line),
    build(extra: { created: number; skipped: number; created_ids: Array<{ line: number; id: string }> }) {
      errors.sort((a, b) => a.line - b.line);
      return {
        dry_run: dryRun,
        total_rows: totalRows,
        valid_rows: totalRows - badLines.size,
        error_rows: badLines.size,
        created: extra.created,
        skipped: extra.skipped,
        errors: errors.slice(0, 1000),
        errors_truncated: errors.length > 1000,
        created_ids: extra.created_ids,
      };
    },
  };
}

export type ImportReport = ReturnType<ReturnType<typeof createReport>['build']>;

export function validationFailed(report: ImportReport) {
  return new AppError('CSV_VALIDATION_FAILED', 'invalid', `El archivo tiene ${report.error_rows} filas con errores; no se guardó nada`, report as unknown as Record<string, unknown>);
}

export function auditLine(log: { info: (o: object, m: string) => void }, kind: string, report: ImportReport) {
  // Counts only: no personal data in logs (R27).
  log.info({ import: kind, total_rows: report.total_rows, created: report.created, skipped: report.skipped, error_rows: report.error_rows, dry_run: report.dry_run }, 'csv import');
}
