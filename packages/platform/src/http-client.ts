/**
 * Service-to-service HTTP client (00-conventions §8): a timeout per attempt, retries with backoff for
 * idempotent requests only, one circuit breaker per target, request-id and bearer propagation, and every
 * failure mapped to a coded AppError (503 / 504 / 502), never a raw error or a hang.
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { AppError, errors } from './errors.ts';
import { createBreaker, CountedFailure, type BreakerOptions, type BreakerState } from './breaker.ts';

export type { BreakerState } from './breaker.ts';

export interface TokenProvider {
  getToken(): Promise<string>;
  invalidate(): void;
}

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type QueryValue = string | number | boolean | null | undefined;

export interface ServiceRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue | QueryValue[]>;
  body?: unknown;
  headers?: Record<string, string>;
  requestId?: string;
  /** The user's bearer token, or 'service' for this service's own token. */
  token?: string;
  timeoutMs?: number;
  /** Allows retries of POST/PATCH, e.g. when the request carries an idempotency key. */
  idempotent?: boolean;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export interface ServiceClientOptions {
  target: string;
  baseUrl: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  tokenProvider?: TokenProvider;
  breaker?: BreakerOptions;
  dispatcher?: Dispatcher;
  onBreakerStateChange?: (state: BreakerState) => void;
}

export interface ServiceClient {
  readonly target: string;
  request<T = unknown>(req: ServiceRequest): Promise<ServiceResponse<T>>;
  breakerState(): BreakerState;
  close(): Promise<void>;
}

const IDEMPOTENT = new Set<string>(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([502, 503, 504]);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What went wrong in one attempt, before it is mapped to the caller's error. */
type AttemptFailure =
  | { kind: 'timeout' }
  | { kind: 'status'; status: number }
  | { kind: 'network'; reason: 'connection_refused' | 'connection_reset' | 'dns_failure' | 'unreachable' };

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown }; errors?: Array<{ code?: unknown }> } | undefined;
  const code = e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

function classify(err: unknown, aborted: boolean): AttemptFailure {
  const code = errorCode(err);
  if (aborted || (code && TIMEOUT_CODES.has(code))) return { kind: 'timeout' };
  if (code === 'ECONNREFUSED') return { kind: 'network', reason: 'connection_refused' };
  if (code && RESET_CODES.has(code)) return { kind: 'network', reason: 'connection_reset' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'network', reason: 'dns_failure' };
  return { kind: 'network', reason: 'unreachable' };
}

async function readBody(res: Dispatcher.ResponseData, target: string): Promise<unknown> {
  const text = await res.body.text();
  const type = String(res.headers['content-type'] ?? '');
  if (!/[/+]json\b/i.test(type)) return text;
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw errors.badGateway({ service: target, reason: 'invalid_response' });
  }
}

function buildUrl(baseUrl: string, path: string, query: ServiceRequest['query']): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null) url.searchParams.append(key, String(v));
    }
  }
  return url.toString();
}

export function createServiceClient(opts: ServiceClientOptions): ServiceClient {
  const { target, baseUrl, retries = 2, backoffMs = 50 } = opts;
  const ownDispatcher = opts.dispatcher ? undefined : new Agent({ keepAliveTimeout: 4000, connections: 64 });
  const dispatcher = opts.dispatcher ?? ownDispatcher!;
  const breaker = createBreaker(`sicora:${target}`, opts.breaker, opts.onBreakerStateChange);

  /** One HTTP exchange. Throws CountedFailure for what counts against the target, AppError otherwise. */
  async function attempt(req: ServiceRequest, token: string | undefined): Promise<ServiceResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    if (req.requestId) headers['x-request-id'] = req.requestId;
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | Uint8Array | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string' || req.body instanceof Uint8Array) payload = req.body;
      else {
        payload = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), req.timeoutMs ?? opts.timeoutMs ?? 5000);
    try {
      const res = await undiciRequest(buildUrl(baseUrl, req.path, req.query), {
        method: req.method,
        headers,
        body: payload,
        dispatcher,
        signal: controller.signal,
      });
      if (res.statusCode >= 500) {
        // The callee's error body is never passed on (it may hold internals); drain it to free the socket.
        await res.body.dump();
        throw new CountedFailure({ kind: 'status', status: res.statusCode } satisfies AttemptFailure);
      }
      return { status: res.statusCode, headers: res.headers, body: await readBody(res, target) };
    } catch (err) {
      if (err instanceof CountedFailure || err instanceof AppError) throw err;
      // A request this client could not even build is a bug here, not a fault of the target.
      if (errorCode(err) === 'UND_ERR_INVALID_ARG') throw errors.internal(err);
      throw new CountedFailure(classify(err, controller.signal.aborted));
    } finally {
      clearTimeout(timer);
    }
  }

  function toAppError(failure: AttemptFailure): AppError {
    if (failure.kind === 'timeout') return errors.gatewayTimeout({ service: target, reason: 'timeout' });
    if (failure.kind === 'status') return errors.badGateway({ service: target, reason: 'upstream_error', status: failure.status });
    return errors.unavailable({ service: target, reason: failure.reason });
  }

  function retryable(failure: AttemptFailure): boolean {
    if (failure.kind === 'timeout') return true;
    if (failure.kind === 'status') return RETRYABLE_STATUS.has(failure.status);
    return failure.reason === 'connection_refused' || failure.reason === 'connection_reset';
  }

  async function resolveToken(token: string | undefined, fresh: boolean): Promise<string | undefined> {
    if (token !== 'service') return token;
    if (!opts.tokenProvider) throw errors.internal(new Error(`no service token provider for ${target}`));
    if (fresh) opts.tokenProvider.invalidate();
    return opts.tokenProvider.getToken();
  }

  async function request<T>(req: ServiceRequest): Promise<ServiceResponse<T>> {
    const mayRetry = req.idempotent ?? IDEMPOTENT.has(req.method);
    let renewed = false;
    let token = await resolveToken(req.token, false);
    for (let retried = 0; ; ) {
      let outcome: { value: ServiceResponse } | undefined;
      try {
        outcome = await breaker.run(() => attempt(req, token));
      } catch (err) {
        if (!(err instanceof CountedFailure)) throw err instanceof AppError ? err : errors.internal(err);
        const failure = err.inner as AttemptFailure;
        // A breaker that opened on this failure ends the retries: the target is known to be down.
        if (!mayRetry || retried >= retries || !retryable(failure) || breaker.state() !== 'closed') throw toAppError(failure);
        const delay = backoffMs * 2 ** retried++;
        await sleep(delay / 2 + Math.random() * (delay / 2));
        continue;
      }
      if (!outcome) throw errors.unavailable({ service: target, reason: 'circuit_open' });
      const res = outcome.value;
      // A 401 to the service token means it expired or was rotated: renew once; the request was not processed.
      if (res.status === 401 && req.token === 'service' && !renewed) {
        renewed = true;
        token = await resolveToken('service', true);
        continue;
      }
      return res as ServiceResponse<T>;
    }
  }

  return {
    target,
    request,
    breakerState: () => breaker.state(),
    async close() {
      breaker.shutdown();
      if (ownDispatcher) await ownDispatcher.close();
    },
  };
}
