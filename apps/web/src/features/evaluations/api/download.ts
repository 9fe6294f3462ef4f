import { useServices } from '../../../app/context.tsx';
import { errorFromResponse, networkError } from '../../../lib/errors.ts';

/** A file behind the token (web.md §3: fetched with the token and saved from a blob, never linked). */
export function useDownload() {
  const { authedFetch, baseUrl } = useServices();
  return async (path: string, fallbackName: string) => {
    let response: Response;
    try {
      response = await authedFetch(new Request(`${baseUrl}${path}`));
    } catch {
      throw networkError();
    }
    if (!response.ok) throw errorFromResponse(response, await response.json().catch(() => null));
    const blob = await response.blob();
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
}

export interface BulkSummary {
  total_rows: number;
  created: number;
  updated: number;
  skipped: number;
  dry_run: boolean;
}

/** evalin E7: the CSV as multipart `file`, all or nothing (§6.1); `dry_run` checks without writing. */
export function useBulkUpload() {
  const { authedFetch, baseUrl } = useServices();
  return async (file: File, opts: { onDuplicate: 'error' | 'skip' | 'update'; dryRun: boolean }): Promise<BulkSummary> => {
    const form = new FormData();
    form.append('file', file, file.name);
    const query = new URLSearchParams({ on_duplicate: opts.onDuplicate, dry_run: String(opts.dryRun) });
    let response: Response;
    try {
      response = await authedFetch(new Request(`${baseUrl}/api/v1/evalin/questions/bulk-upload?${query}`, { method: 'POST', body: form }));
    } catch {
      throw networkError();
    }
    const body = (await response.json().catch(() => null)) as { data?: BulkSummary } | null;
    if (!response.ok || !body?.data) throw errorFromResponse(response, body);
    return body.data;
  };
}
