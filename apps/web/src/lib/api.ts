/**
 * The one API client of the app: `@sicora/client` (generated types + openapi-fetch) with a fetch that sets
 * the bearer token from the session, refreshes first when the token is about to expire, retries a request
 * once after a 401 TOKEN_EXPIRED, and ends the session on the refusals web.md §3 lists.
 */
import { createSicoraClient, type SicoraClient } from '@sicora/client';
import { endingMessage, type RefreshOutcome, type Session } from './session.ts';

const ENDING = new Set(['REFRESH_TOKEN_REUSED', 'INVALID_REFRESH_TOKEN', 'TOKEN_REVOKED', 'INVALID_TOKEN', 'ACCOUNT_DISABLED']);

async function errorCode(response: Response): Promise<{ code?: string; message?: string }> {
  try {
    const body = (await response.clone().json()) as { error?: { code?: string; message?: string } };
    return { code: body.error?.code, message: body.error?.message };
  } catch {
    return {};
  }
}

export function authedFetch(session: Session, base: typeof fetch = (...args) => globalThis.fetch(...args)) {
  return async (request: Request): Promise<Response> => {
    const retry = request.clone();
    let token = session.accessToken();
    if (session.expiringSoon() && session.hasRefreshToken()) token = (await session.refresh()) ?? token;
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    const response = await base(request);
    if (response.status !== 401 && response.status !== 403) return response;
    const { code, message } = await errorCode(response);
    if (code === 'TOKEN_EXPIRED' && token) {
      const next = await session.refresh();
      if (!next) return response;
      retry.headers.set('authorization', `Bearer ${next}`);
      return base(retry);
    }
    if (code && ENDING.has(code) && token) session.end(endingMessage(code, message));
    return response;
  };
}

/** users A2 with the body only (the refresh token never travels in a header or a cookie). */
export function refresher(baseUrl: string, base: typeof fetch = (...args) => globalThis.fetch(...args)) {
  return async (refreshToken: string): Promise<RefreshOutcome> => {
    let response: Response;
    try {
      response = await base(`${baseUrl}/api/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      });
    } catch {
      return { ok: false, kind: 'unavailable' };
    }
    if (response.ok) {
      const body = (await response.json()) as { data: { access_token: string; refresh_token: string; must_change_password: boolean } };
      return { ok: true, pair: body.data };
    }
    if (response.status === 429 || response.status >= 500) return { ok: false, kind: 'unavailable' };
    const { code, message } = await errorCode(response);
    return { ok: false, kind: 'rejected', code: code ?? 'INVALID_REFRESH_TOKEN', message };
  };
}

export function createApi(session: Session, baseUrl: string): SicoraClient {
  return createSicoraClient({ baseUrl, fetch: authedFetch(session) });
}
