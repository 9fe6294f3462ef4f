/**
 * CSV files behind a token (web.md §3): imports (V7, P6, G6, S8) go as multipart with the bearer, and the
 * S9 templates are fetched with the token and saved from a blob, never linked directly.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useServices } from '../../../app/context.tsx';
import { ApiError, errorFromResponse, networkError } from '../../../lib/errors.ts';
import { programmingKeys } from './programming.ts';

export type ImportKind = 'schedules' | 'groups' | 'programs' | 'venues';

export const IMPORT_PATH: Record<ImportKind, string> = {
  schedules: '/api/v1/schedules/import',
  groups: '/api/v1/groups/import',
  programs: '/api/v1/programs/import',
  venues: '/api/v1/venues/import',
};

/** §6.1's ImportReport. */
export interface ImportReport {
  dry_run: boolean;
  total_rows: number;
  valid_rows: number;
  error_rows: number;
  created: number;
  skipped: number;
  errors: Array<{ line: number; column: string | null; code: string; message: string; value: string | null }>;
  errors_truncated: boolean;
  created_ids: Array<{ line: number; id: string }>;
}

/** An import's outcome: the report (also for 422 CSV_VALIDATION_FAILED, whose details are the report). */
export type ImportOutcome = { ok: true; report: ImportReport } | { ok: false; report: ImportReport; message: string };

export function isImportReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as ImportReport).errors) && typeof (value as ImportReport).total_rows === 'number';
}

async function send(fetcher: (r: Request) => Promise<Response>, request: Request): Promise<Response> {
  try {
    return await fetcher(request);
  } catch {
    throw networkError();
  }
}

export function useImport() {
  const { authedFetch, baseUrl } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ kind, file, dryRun, onExisting }: { kind: ImportKind; file: File; dryRun: boolean; onExisting: 'error' | 'skip' }): Promise<ImportOutcome> => {
      const form = new FormData();
      form.append('file', file, file.name);
      const query = new URLSearchParams({ dry_run: String(dryRun), on_existing: onExisting });
      const response = await send(authedFetch, new Request(`${baseUrl}${IMPORT_PATH[kind]}?${query}`, { method: 'POST', body: form }));
      const body = (await response.json().catch(() => null)) as { data?: unknown; error?: { message?: string; details?: unknown } } | null;
      if (response.ok && isImportReport(body?.data)) return { ok: true, report: body.data };
      if (response.status === 422 && isImportReport(body?.error?.details)) return { ok: false, report: body.error.details, message: body.error.message ?? 'El archivo tiene errores' };
      throw errorFromResponse(response, body);
    },
    onSuccess: (outcome) => {
      if (outcome.ok && !outcome.report.dry_run) void qc.invalidateQueries({ queryKey: programmingKeys.all });
    },
  });
}

/** Saves a blob under `name` through a temporary object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** S9 with the token, saved as `plantilla_<kind>.csv`. */
export function useTemplateDownload() {
  const { authedFetch, baseUrl } = useServices();
  return useMutation({
    mutationFn: async (kind: ImportKind) => {
      const response = await send(authedFetch, new Request(`${baseUrl}/api/v1/schedules/import/templates/${kind}`));
      if (!response.ok) throw errorFromResponse(response, await response.json().catch(() => null));
      saveBlob(await response.blob(), `plantilla_${kind}.csv`);
    },
  });
}

export { ApiError };
