/**
 * The `outcome` of a request-log row (gateway.md §3.6) from the status sent and the gateway's own
 * error code, if it produced the answer.
 */
/** Every `outcome` a row can hold (§3.6). */
export const OUTCOMES = [
  'ok',
  'client_error',
  'server_error',
  'unauthenticated',
  'forbidden',
  'rate_limited',
  'route_not_found',
  'payload_too_large',
  'bad_request',
  'bad_gateway',
  'gateway_timeout',
  'unavailable',
  'client_aborted',
  'gateway_error',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

const BY_CODE: Record<string, Outcome> = {
  UNAUTHENTICATED: 'unauthenticated',
  TOKEN_EXPIRED: 'unauthenticated',
  INVALID_TOKEN: 'unauthenticated',
  TOKEN_REVOKED: 'unauthenticated',
  INSUFFICIENT_PERMISSIONS: 'forbidden',
  PASSWORD_CHANGE_REQUIRED: 'forbidden',
  RATE_LIMITED: 'rate_limited',
  ROUTE_NOT_FOUND: 'route_not_found',
  PAYLOAD_TOO_LARGE: 'payload_too_large',
  INVALID_INPUT: 'bad_request',
  URI_TOO_LONG: 'bad_request',
  METHOD_NOT_ALLOWED: 'bad_request',
  BAD_GATEWAY: 'bad_gateway',
  GATEWAY_TIMEOUT: 'gateway_timeout',
  SERVICE_UNAVAILABLE: 'unavailable',
  INTERNAL_ERROR: 'gateway_error',
};

export function requestOutcome(status: number, gatewayErrorCode: string | null, clientAborted: boolean): Outcome {
  if (clientAborted) return 'client_aborted';
  if (gatewayErrorCode && BY_CODE[gatewayErrorCode]) return BY_CODE[gatewayErrorCode];
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'ok';
}

/** Parameter names only, never values (O2). */
export function queryKeys(rawUrl: string): string[] {
  const q = rawUrl.indexOf('?');
  if (q === -1) return [];
  const keys = new Set<string>();
  for (const part of rawUrl.slice(q + 1).split('&')) {
    if (!part) continue;
    const name = part.split('=')[0];
    try {
      // NUL cannot be stored in Postgres text: one `?%00=` would fail the whole batch of rows.
      keys.add(decodeURIComponent(name.replace(/\+/g, ' ')).replaceAll('\u0000', '').slice(0, 100));
    } catch {
      keys.add(name.slice(0, 100));
    }
  }
  return [...keys];
}
