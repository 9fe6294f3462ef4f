/**
 * P39 with upload progress: fetch cannot report how much of a request body has left, XMLHttpRequest can
 * (`upload.onprogress`), so a submission goes through XHR with the session's bearer token (refreshed first
 * when about to expire, and once more after a 401 TOKEN_EXPIRED, as `authedFetch` does).
 */
import type { AppServices } from '../../../app/context.tsx';
import { ApiError, errorFromResponse, networkError } from '../../../lib/errors.ts';
import type { Submission, UploadLimits } from './types.ts';

export interface SubmissionDraft {
  repository_url?: string;
  deployment_url?: string;
  notes?: string;
  files: File[];
}

const MiB = 1024 * 1024;
export const formatBytes = (n: number) => (n >= MiB ? `${(n / MiB).toLocaleString('es-CO', { maximumFractionDigits: 1 })} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
const extensionOf = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

/** The reasons §6 (as P81 states it) would refuse these files, in Spanish; empty when they may go. */
export function fileProblems(files: File[], limits: UploadLimits): string[] {
  const out: string[] = [];
  if (files.length > limits.max_submission_files) out.push(`Máximo ${limits.max_submission_files} archivos por entrega.`);
  for (const f of files) {
    if (!limits.allowed_extensions.includes(extensionOf(f.name))) out.push(`${f.name}: tipo de archivo no permitido.`);
    else if (f.size > limits.max_file_bytes) out.push(`${f.name}: supera ${formatBytes(limits.max_file_bytes)}.`);
    else if (f.size === 0) out.push(`${f.name}: el archivo está vacío.`);
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.max_submission_bytes) out.push(`Los archivos suman ${formatBytes(total)}; el máximo por entrega es ${formatBytes(limits.max_submission_bytes)}.`);
  return out;
}

function send(url: string, token: string | null, form: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; body: unknown; response: Response }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader('retry-after');
      if (retry) headers.set('retry-after', retry);
      resolve({ status: xhr.status, body, response: new Response(null, { status: xhr.status === 204 ? 200 : xhr.status, headers }) });
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(networkError());
    xhr.send(form);
  });
}

export async function uploadSubmission(services: Pick<AppServices, 'session' | 'baseUrl'>, deliverableId: string, draft: SubmissionDraft, onProgress: (fraction: number) => void): Promise<Submission> {
  const form = new FormData();
  for (const key of ['repository_url', 'deployment_url', 'notes'] as const) {
    const value = draft[key]?.trim();
    if (value) form.append(key, value);
  }
  for (const f of draft.files) form.append('files', f, f.name);
  const url = `${services.baseUrl}/api/v1/projecteval/deliverables/${deliverableId}/submissions`;
  const { session } = services;
  let token = session.accessToken();
  if (session.expiringSoon() && session.hasRefreshToken()) token = (await session.refresh()) ?? token;
  let result = await send(url, token, form, onProgress);
  const code = (result.body as { error?: { code?: string } } | null)?.error?.code;
  if (result.status === 401 && code === 'TOKEN_EXPIRED') {
    const next = await session.refresh();
    if (next) {
      onProgress(0);
      result = await send(url, next, form, onProgress);
    }
  }
  if (result.status < 200 || result.status >= 300) throw errorFromResponse(result.response, result.body);
  const data = (result.body as { data?: Submission } | null)?.data;
  if (!data) throw new ApiError({ code: 'BAD_RESPONSE', status: result.status, message: 'Respuesta inesperada del servidor' });
  return data;
}
