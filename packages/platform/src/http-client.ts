/**
 * Service-to-service HTTP client (00-conventions §8): a timeout per attempt, retries with backoff for
 * idempotent requests only, one circuit breaker per target, request-id and bearer propagation, and every
 * failure mapped to a coded AppError (503 / 504 / 502), never a raw error or a hang.
 *
 * On top of `request` (raw status and body), the typed calls (`getData`, `findData`, `postData`, `call`,
 * `getPage`, `listAll`) unwrap the callee's envelope and map every unwanted answer in one way: 404 →
 * not_found, another 4xx → BAD_GATEWAY, 429 / 5xx / timeout / unreachable / open breaker →
 * SERVICE_UNAVAILABLE, each a ServiceCallError the caller may turn into its own code with `mapError`.
 */
import { Agent, request as undiciRequest, type Dispatcher } from 'undici';
import { AppError, errors, isAppError, type ErrorKind } from './errors.ts';
import { createBreaker, CountedFailure, type BreakerOptions, type BreakerState } from './breaker.ts';
import type { Links, Meta, PaginationMeta } from './envelope.ts';

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
  /** Turns the typed calls' errors into this caller's own (return undefined to keep the mapped one). */
  mapError?: ErrorMapper;
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

export function createServiceClient(opts: ServiceClientOptions): TypedServiceClient {
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

  const client: ServiceClient = {
    target,
    request,
    breakerState: () => breaker.state(),
    async close() {
      breaker.shutdown();
      if (ownDispatcher) await ownDispatcher.close();
    },
  };
  return withTypedCalls(client, { mapError: opts.mapError });
}

/** The success envelope of 00-conventions §2 as a caller receives it. */
export interface ServiceEnvelope<T> {
  success?: true;
  message?: string;
  data: T;
  links?: Links;
  meta?: Partial<Meta>;
}

export interface Page<T> {
  items: T[];
  pagination: PaginationMeta;
  /** `meta.warnings` of the callee (a degraded answer, 00-conventions §2). */
  warnings: string[];
}

/** A callee's answer or failure as the caller sees it; an AppError the error handler already knows. */
export class ServiceCallError extends AppError {
  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    readonly service: string,
    /** Why: `not_found`, `refused` (a 4xx), `rate_limited`, `upstream_error`, `timeout`, `circuit_open`, … */
    readonly reason: string,
    /** The callee's status when it answered (undefined when it did not). */
    readonly calleeStatus: number | undefined,
    /** The callee's `error.code` when it answered with an error envelope. */
    readonly calleeCode: string | undefined,
    /** The callee's `error.details`, kept off the response: a caller maps them deliberately or not at all. */
    readonly calleeDetails: unknown,
    cause?: unknown,
  ) {
    const details: Record<string, unknown> = { service, reason };
    if (calleeStatus !== undefined) details.status = calleeStatus;
    if (calleeCode !== undefined) details.code = calleeCode;
    super(code, kind, message, details, cause === undefined ? undefined : { cause });
    this.name = 'ServiceCallError';
  }
}

export function isServiceCallError(value: unknown): value is ServiceCallError {
  return value instanceof ServiceCallError;
}

export type ErrorMapper = (err: ServiceCallError) => Error | undefined;

export interface CallOptions extends Omit<ServiceRequest, 'method' | 'path'> {
  /** Takes precedence over the client's `mapError`. */
  mapError?: ErrorMapper;
}

export interface TypedCalls {
  /** Any method; resolves to the whole envelope (data, meta, links) of a 2xx. */
  call<T>(method: HttpMethod, path: string, opts?: CallOptions): Promise<ServiceEnvelope<T>>;
  /** GET → `data`. */
  getData<T>(path: string, opts?: CallOptions): Promise<T>;
  /** GET → `data`, or undefined when the callee answers 404. */
  findData<T>(path: string, opts?: CallOptions): Promise<T | undefined>;
  /** POST → `data`. Retried only with `idempotent: true` (reads such as lookups, or an idempotency key). */
  postData<T>(path: string, body: unknown, opts?: CallOptions): Promise<T>;
  /** One page of a list (00-conventions §3). */
  getPage<T>(path: string, opts?: CallOptions & { page?: number; pageSize?: number }): Promise<Page<T>>;
  /** Every page of a list, `pageSize` (default 100, the largest page) at a time, until `has_next` is false. */
  listAll<T>(path: string, opts?: CallOptions & { pageSize?: number }): Promise<T[]>;
}

export type TypedServiceClient = ServiceClient & TypedCalls;

const callError = (target: string, kind: ErrorKind, reason: string, status?: number, code?: string, details?: unknown, cause?: unknown) =>
  kind === 'not_found'
    ? new ServiceCallError(kind, 'NOT_FOUND', 'Recurso no encontrado', target, reason, status, code, details, cause)
    : kind === 'bad_gateway'
      ? new ServiceCallError(kind, 'BAD_GATEWAY', 'El servicio dependiente rechazó la solicitud', target, reason, status, code, details, cause)
      : new ServiceCallError('unavailable', 'SERVICE_UNAVAILABLE', 'Servicio no disponible temporalmente', target, reason, status, code, details, cause);

/** A non-2xx answer, mapped. */
function answerError(target: string, status: number, body: unknown): ServiceCallError {
  const err = (body as { error?: { code?: unknown; details?: unknown } } | null)?.error;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (status === 404) return callError(target, 'not_found', 'not_found', status, code, err?.details);
  if (status === 429) return callError(target, 'unavailable', 'rate_limited', status, code, err?.details);
  if (status >= 500) return callError(target, 'unavailable', 'upstream_error', status, code);
  return callError(target, 'bad_gateway', 'refused', status, code, err?.details);
}

/** A failure of the transport (the client's 502/503/504), mapped: the callee is unavailable to us. */
function transportError(target: string, err: AppError): ServiceCallError {
  const d = (err.details ?? {}) as { reason?: unknown; status?: unknown };
  const reason = typeof d.reason === 'string' ? d.reason : err.kind;
  return callError(target, 'unavailable', reason, typeof d.status === 'number' ? d.status : undefined, undefined, undefined, err);
}

/**
 * Adds the typed calls to a client (createServiceClient already has them; this wraps fakes built on
 * `request` alone, as ports' tests do).
 */
export function withTypedCalls<C extends Pick<ServiceClient, 'target' | 'request'>>(client: C, defaults: { mapError?: ErrorMapper } = {}): C & TypedCalls {
  const { target } = client;

  function fail(err: ServiceCallError, opts: CallOptions | undefined): never {
    throw (opts?.mapError ?? defaults.mapError)?.(err) ?? err;
  }

  /** One call to a 2xx envelope; with `missingOk`, a 404 resolves to undefined instead of throwing. */
  async function exchange<T>(method: HttpMethod, path: string, opts: CallOptions = {}, missingOk = false): Promise<ServiceEnvelope<T> | undefined> {
    const { mapError: _mapError, ...req } = opts;
    let res: ServiceResponse;
    try {
      res = await client.request({ ...req, method, path });
    } catch (err) {
      // Bugs of this caller (INTERNAL_ERROR: no token provider, a request undici refuses) stay what they are.
      if (isAppError(err) && (err.kind === 'bad_gateway' || err.kind === 'timeout' || err.kind === 'unavailable')) fail(transportError(target, err), opts);
      throw err;
    }
    if (res.status === 404 && missingOk) return undefined;
    if (res.status < 200 || res.status >= 300) fail(answerError(target, res.status, res.body), opts);
    if (res.status === 204) return { data: undefined as T };
    const body = res.body as ServiceEnvelope<T> | null;
    if (!body || typeof body !== 'object' || !('data' in body)) fail(callError(target, 'unavailable', 'invalid_response', res.status), opts);
    return body;
  }

  async function call<T>(method: HttpMethod, path: string, opts?: CallOptions): Promise<ServiceEnvelope<T>> {
    return (await exchange<T>(method, path, opts))!;
  }

  async function getPage<T>(path: string, opts: CallOptions & { page?: number; pageSize?: number } = {}): Promise<Page<T>> {
    const { page = 1, pageSize, ...rest } = opts;
    const query = { ...rest.query, page, ...(pageSize === undefined ? {} : { page_size: pageSize }) };
    const env = await call<T[]>('GET', path, { ...rest, query });
    if (!Array.isArray(env.data)) fail(callError(target, 'unavailable', 'invalid_response', 200), opts);
    // A list without pagination meta is one whole page.
    const pagination = env.meta?.pagination ?? {
      page, page_size: pageSize ?? env.data.length, total: env.data.length, total_pages: 1, has_next: false, has_prev: page > 1,
    };
    return { items: env.data, pagination, warnings: env.meta?.warnings ?? [] };
  }

  return {
    ...client,
    call,
    getData: async <T>(path: string, opts?: CallOptions) => (await call<T>('GET', path, opts)).data,
    findData: async <T>(path: string, opts?: CallOptions) => (await exchange<T>('GET', path, opts, true))?.data,
    postData: async <T>(path: string, body: unknown, opts?: CallOptions) => (await call<T>('POST', path, { ...opts, body })).data,
    getPage,
    async listAll<T>(path: string, opts: CallOptions & { pageSize?: number } = {}): Promise<T[]> {
      const { pageSize = 100, ...rest } = opts;
      const out: T[] = [];
      for (let page = 1; ; page++) {
        const { items, pagination } = await getPage<T>(path, { ...rest, page, pageSize });
        out.push(...items);
        // An empty page ends the walk too: a callee whose totals moved under us never loops forever.
        if (!pagination.has_next || items.length === 0) return out;
      }
    },
  };
}
