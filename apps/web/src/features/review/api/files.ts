/**
 * Files behind a token (web.md §3): evidence (attendance J8) and CSV exports are fetched with the session's
 * bearer and shown or saved from a blob, never linked directly (a plain link would carry no token).
 */
import { errorFromResponse, networkError } from '../../../lib/errors.ts';

export interface FetchedFile {
  blob: Blob;
  fileName: string;
  mediaType: string;
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

/** GET `url` with the session; a refusal becomes the envelope's ApiError (Spanish message). */
export async function fetchFile(authedFetch: (r: Request) => Promise<Response>, url: string, fallbackName: string): Promise<FetchedFile> {
  let response: Response;
  try {
    response = await authedFetch(new Request(url));
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw errorFromResponse(response, body);
  }
  const blob = await response.blob();
  return { blob, fileName: fileNameOf(response.headers.get('content-disposition')) ?? fallbackName, mediaType: response.headers.get('content-type')?.split(';')[0] ?? blob.type };
}

/** Hands a blob to the browser as a download under `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL can go once the event loop has moved on.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** `path` + query string of the defined values, on the gateway's origin. */
export function urlOf(baseUrl: string, path: string, query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
}
