/**
 * Files of users B1, B2 and B5 (web.md §3: files behind a token are fetched with the token and saved from a
 * blob, never linked directly). B1 goes as multipart with the bearer; its 422 CSV_VALIDATION_FAILED carries
 * the ImportReport in `error.details`.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useServices } from '../../../app/context.tsx';
import { errorFromResponse, networkError } from '../../../lib/errors.ts';
import { filterQuery, peopleKeys, type UserFilters } from './people.ts';

/** users §6.1's ImportReport. */
export interface ImportReport {
  dry_run: boolean;
  total_rows: number;
  valid_rows: number;
  error_rows: number;
  created: number;
  skipped: number;
  errors_truncated?: boolean;
  errors: Array<{ line: number; column: string | null; code: string; message: string; value: string | null }>;
  created_users: Array<{ line: number; id: string; email: string; document_number: string; role: 'aprendiz' | 'instructor'; group_number: string | null }>;
}

/** The report, also when the file had row errors (then `ok` is false and nothing was written). */
export type ImportOutcome = { ok: true; report: ImportReport } | { ok: false; report: ImportReport; message: string };

export function isImportReport(value: unknown): value is ImportReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as ImportReport).errors) && typeof (value as ImportReport).total_rows === 'number';
}

/** users §6.1: 5 MiB. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

async function send(fetcher: (r: Request) => Promise<Response>, request: Request): Promise<Response> {
  try {
    return await fetcher(request);
  } catch {
    throw networkError();
  }
}

export interface ImportInput {
  file: File;
  dryRun: boolean;
  onExisting: 'error' | 'skip';
  /** The role of rows when the file has no `role` column. */
  role?: 'aprendiz' | 'instructor';
}

export function useImportUsers() {
  const { authedFetch, baseUrl } = useServices();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, dryRun, onExisting, role }: ImportInput): Promise<ImportOutcome> => {
      const form = new FormData();
      form.append('file', file, file.name);
      const query = new URLSearchParams({ dry_run: String(dryRun), on_existing: onExisting, ...(role ? { role } : {}) });
      const response = await send(authedFetch, new Request(`${baseUrl}/api/v1/users/import?${query}`, { method: 'POST', body: form }));
      const body = (await response.json().catch(() => null)) as { data?: unknown; error?: { message?: string; details?: unknown } } | null;
      if (response.ok && isImportReport(body?.data)) return { ok: true, report: body.data };
      if (response.status === 422 && isImportReport(body?.error?.details)) {
        return { ok: false, report: body.error.details, message: body.error.message ?? 'El archivo tiene errores' };
      }
      throw errorFromResponse(response, body);
    },
    onSuccess: (outcome) => {
      if (outcome.ok && !outcome.report.dry_run) void qc.invalidateQueries({ queryKey: peopleKeys.all });
    },
  });
}

/** The file name of a `Content-Disposition` header (RFC 5987 `filename*` first), or null. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // A malformed encoding falls back to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/.exec(disposition) ?? /filename\s*=\s*([^;]+)/.exec(disposition);
  return plain ? plain[1].trim() : null;
}

/** GET a file with the session's token; a refusal becomes the envelope's ApiError. */
export async function fetchFile(fetcher: (r: Request) => Promise<Response>, url: string, fallbackName: string): Promise<{ blob: Blob; fileName: string }> {
  const response = await send(fetcher, new Request(url));
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw errorFromResponse(response, body);
  }
  return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition')) ?? fallbackName };
}

/** Hands a blob to the browser as a download under `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** B2: `plantilla_usuarios.csv`. */
export function useTemplateDownload() {
  const { authedFetch, baseUrl } = useServices();
  return useMutation({
    mutationFn: () => fetchFile(authedFetch, `${baseUrl}/api/v1/users/import/template`, 'plantilla_usuarios.csv'),
    onSuccess: (file) => saveBlob(file.blob, file.fileName),
  });
}

/** B5 with the list's filters (no paging): `usuarios_<YYYYMMDD>.csv`. */
export function useExport() {
  const { authedFetch, baseUrl } = useServices();
  return useMutation({
    mutationFn: (filters: UserFilters) => {
      const query = new URLSearchParams(Object.entries(filterQuery(filters)).map(([k, v]) => [k, String(v)]));
      const qs = query.toString();
      return fetchFile(authedFetch, `${baseUrl}/api/v1/users/export${qs ? `?${qs}` : ''}`, 'usuarios.csv');
    },
    onSuccess: (file) => saveBlob(file.blob, file.fileName),
  });
}
