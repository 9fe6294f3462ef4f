/**
 * The calling service's own short-lived token (00-conventions §4): obtained from the users service with
 * the client credentials, cached until shortly before it expires, one request shared by concurrent callers.
 */
import { errors } from './errors.ts';
import type { TokenProvider } from './http-client.ts';

export interface ServiceTokenProviderOptions {
  usersUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  /** Renew this long before expiry, so a token never expires on its way to the callee. */
  renewBeforeMs?: number;
  timeoutMs?: number;
}

export function createServiceTokenProvider(opts: ServiceTokenProviderOptions): TokenProvider {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const now = opts.now ?? (() => new Date());
  const renewBeforeMs = opts.renewBeforeMs ?? 60_000;
  const url = `${opts.usersUrl.replace(/\/+$/, '')}/api/v1/auth/service-token`;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const unavailable = (reason: string) => errors.unavailable({ service: 'users', reason });

  async function fetchToken(): Promise<string> {
    const requestedAt = now().getTime();
    let res: Response;
    try {
      res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_id: opts.clientId, client_secret: opts.clientSecret }),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
    } catch {
      throw unavailable('service_token_unreachable');
    }
    const payload = (await res.json().catch(() => undefined)) as { data?: { access_token?: unknown; expires_in?: unknown } } | undefined;
    const token = payload?.data?.access_token;
    const expiresIn = payload?.data?.expires_in;
    if (!res.ok || typeof token !== 'string' || typeof expiresIn !== 'number') {
      throw unavailable(res.ok ? 'service_token_invalid_response' : `service_token_status_${res.status}`);
    }
    const lifetimeMs = expiresIn * 1000;
    // A token shorter-lived than the renewal margin is still reused for half of its life.
    cached = { token, renewAt: requestedAt + lifetimeMs - Math.min(renewBeforeMs, lifetimeMs / 2) };
    return token;
  }

  return {
    async getToken() {
      if (cached && now().getTime() < cached.renewAt) return cached.token;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
