/**
 * Forwards one request to its upstream with undici (gateway.md R27–R31): per-attempt timeout inside a
 * deadline, retries for replayable idempotent requests, every attempt through the service's breaker,
 * and the final outcome mapped to the envelope errors of R31 and R7.
 */
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { isBreakerRefusal, type Breaker } from '@sicora/platform/breaker';
import { errors, isAppError } from '@sicora/platform/errors';
import type { UpstreamName } from '@sicora/platform/services';
import type { HeaderMap, OutgoingHeaders } from '../core/header-filter.ts';
import { proxyErrors } from '../core/proxy-errors.ts';
import { attemptTimeoutMs, planRetry, type FailureKind } from '../core/retry-schedule.ts';
import type { CircuitOverride, Timing } from '../core/gateway-config.ts';
import { ENVELOPE_READ_LIMIT, isErrorEnvelope, statusClass } from '../core/upstream-answer.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { upstreamTarget, type UpstreamAgents } from './upstream-agents.ts';

/** A counted failure (R30) of one attempt; a 5xx response travels along so R7 can still use it. */
class AttemptFailure extends Error {
  readonly counted = true;
  constructor(
    readonly kind: FailureKind,
    readonly response?: Dispatcher.ResponseData,
    /** The client library's code behind a `malformed` failure, for the R46 log line. */
    readonly detail?: string,
    readonly durationMs?: number,
  ) {
    super(kind);
  }
}

function errorName(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } } | null;
  return String(e?.code ?? e?.cause?.code ?? e?.name ?? 'unknown').slice(0, 60);
}

/** The client went away mid-attempt: not the upstream's fault, so not counted. */
class ClientAborted extends Error {
  readonly counted = false;
}

/** R30 for the upstream breakers: only an attempt's own failure counts; client faults and aborts do not. */
export function isCountedFailure(err: unknown): boolean {
  return (err as { counted?: unknown } | null)?.counted === true;
}

const COUNTED_STATUSES = new Set([500, 502, 503, 504]);
const BODY_IDLE_MS = 60_000;
const CLIENT_FAULTS = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH']);

export interface ForwardRequest {
  service: UpstreamName;
  method: string;
  rawUrl: string;
  headers: OutgoingHeaders;
  /** A Buffer can be replayed on a retry; a stream is sent once. */
  body: Buffer | Readable | undefined;
  timing: Timing;
  /** V5's forced state, which bypasses the breaker's statistics (R30, R43). */
  override?: CircuitOverride | null;
  /** Filled while forwarding, for the request log (R45, §3.6). */
  stats?: { attempts: number; upstreamMs: number | null };
  /** Aborted when the client disconnects (R33). */
  signal: AbortSignal;
  log: { warn(obj: object, msg: string): void };
}

export type ForwardResult =
  | { kind: 'response'; status: number; headers: HeaderMap; body: Readable | Buffer }
  | { kind: 'client_aborted' };

export interface ForwarderDeps {
  /** The effective base URL of a service in the live configuration (overrides change it at run time). */
  baseUrlOf: (service: UpstreamName) => string;
  agents: UpstreamAgents;
  circuits: Map<UpstreamName, Breaker>;
  metrics: GatewayMetrics;
  random?: () => number;
}

function failureKind(err: unknown): FailureKind {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  switch (e?.code ?? e?.cause?.code) {
    case 'ECONNREFUSED':
      return 'connect_refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'connect_reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'malformed';
  }
}

async function readUpTo(body: Readable, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function createUpstreamForwarder(deps: ForwarderDeps) {
  const random = deps.random ?? Math.random;
  const targets = new Map<string, ReturnType<typeof upstreamTarget>>();
  const targetOf = (service: UpstreamName) => {
    const url = deps.baseUrlOf(service);
    let t = targets.get(url);
    if (!t) targets.set(url, (t = upstreamTarget(url)));
    return t;
  };

  async function attempt(req: ForwardRequest, timeoutMs: number): Promise<Dispatcher.ResponseData> {
    const agent = deps.agents.get(req.service)!;
    const target = targetOf(req.service);
    if (req.stats) req.stats.attempts++;
    // One controller per attempt, aborted by its timeout or by the client leaving (cheaper than
    // AbortSignal.any, which allocates a composite signal and its weak references per call).
    const abort = new AbortController();
    let timedOut = false;
    const timeout = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    const onClientGone = () => abort.abort();
    if (req.signal.aborted) abort.abort();
    else req.signal.addEventListener('abort', onClientGone, { once: true });
    const started = performance.now();
    const observe = (cls: string) =>
      deps.metrics.upstreamDuration(req.service, req.method, cls, (performance.now() - started) / 1000);
    try {
      const res = await agent.request({
        origin: target.origin,
        path: target.basePath + req.rawUrl,
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal: abort.signal,
        bodyTimeout: BODY_IDLE_MS,
      });
      observe(statusClass(res.statusCode));
      const ms = performance.now() - started;
      if (req.stats) req.stats.upstreamMs = Math.round(ms * 100) / 100;
      if (COUNTED_STATUSES.has(res.statusCode)) throw new AttemptFailure('http_status', res, undefined, ms);
      return res;
    } catch (err) {
      if (err instanceof AttemptFailure) throw err;
      if (req.signal.aborted) throw new ClientAborted('client aborted');
      // A body cut at its limit (R50) is the client's doing: it surfaces as is and is not counted.
      const appError = isAppError(err) ? err : isAppError((err as { cause?: unknown }).cause) ? (err as { cause: unknown }).cause : undefined;
      if (appError) throw appError;
      // A request undici cannot send as given (e.g. fewer body bytes than declared) is the client's
      // fault: answered 400 and never counted, so no client can trip a breaker for everyone.
      if (CLIENT_FAULTS.has((err as { code?: string }).code ?? '')) throw errors.invalidInput('La solicitud no se pudo reenviar', { reason: 'malformed_request' });
      const kind = timedOut ? 'timeout' : failureKind(err);
      observe(kind === 'timeout' ? 'timeout' : 'error');
      throw new AttemptFailure(kind, undefined, kind === 'malformed' ? errorName(err) : undefined, performance.now() - started);
    } finally {
      clearTimeout(timeout);
      req.signal.removeEventListener('abort', onClientGone);
    }
  }

  async function finish(req: ForwardRequest, failure: AttemptFailure): Promise<ForwardResult> {
    if (failure.kind === 'timeout') throw proxyErrors.gatewayTimeout(req.service);
    if (failure.kind !== 'http_status' || !failure.response) throw proxyErrors.badGateway(req.service, failure.kind);
    const res = failure.response;
    const body = await readUpTo(res.body, ENVELOPE_READ_LIMIT);
    if (!isErrorEnvelope(body)) throw proxyErrors.badGateway(req.service, `upstream_${res.statusCode}`);
    const headers = { ...res.headers };
    delete headers['content-length'];
    return { kind: 'response', status: res.statusCode, headers, body: body! };
  }

  async function forward(req: ForwardRequest): Promise<ForwardResult> {
    const circuit = deps.circuits.get(req.service)!;
    const deadlineAt = performance.now() + req.timing.deadlineMs;
    const replayable = req.body === undefined || Buffer.isBuffer(req.body);
    let last: AttemptFailure | undefined;
    if (req.override === 'forced_open') {
      deps.metrics.circuitRejection(req.service);
      throw proxyErrors.circuitOpen(req.service, 30);
    }
    const bypass = req.override === 'forced_closed';
    for (let retriesDone = 0; ; retriesDone++) {
      const admission = bypass ? ({ admitted: true } as const) : circuit.admit();
      if (!admission.admitted) {
        if (last) break;
        deps.metrics.circuitRejection(req.service);
        throw proxyErrors.circuitOpen(req.service, admission.retryAfterSeconds);
      }
      const timeoutMs = attemptTimeoutMs(req.timing.attemptTimeoutMs, deadlineAt - performance.now());
      try {
        const run = () => attempt(req, timeoutMs);
        const res = bypass ? await run() : await circuit.fire(run);
        return { kind: 'response', status: res.statusCode, headers: res.headers, body: res.body };
      } catch (err) {
        if (err instanceof ClientAborted) return { kind: 'client_aborted' };
        if (isBreakerRefusal(err)) {
          if (last) break;
          throw proxyErrors.circuitOpen(req.service, 1);
        }
        if (!(err instanceof AttemptFailure)) throw err;
        last = err;
      }
      req.log.warn(
        {
          service: req.service,
          attempt: retriesDone + 1,
          error_code: last.response ? `http_${last.response.statusCode}` : last.kind,
          ...(last.detail ? { error_detail: last.detail } : {}),
          duration_ms: last.durationMs === undefined ? null : Math.round(last.durationMs * 100) / 100,
        },
        'upstream attempt failed',
      );
      const plan = planRetry({
        method: req.method,
        replayable,
        failure: { kind: last.kind, status: last.response?.statusCode },
        retriesDone,
        maxRetries: req.timing.maxRetries,
        remainingMs: deadlineAt - performance.now(),
        random: random(),
      });
      if (!plan.retry) break;
      deps.metrics.retry(req.service, last.response ? `http_${last.response.statusCode}` : last.kind);
      await last.response?.body.dump();
      const waited = await sleep(plan.delayMs, true, { signal: req.signal }).catch(() => false);
      if (!waited) return { kind: 'client_aborted' };
    }
    return finish(req, last!);
  }

  return { forward };
}

export type UpstreamForwarder = ReturnType<typeof createUpstreamForwarder>;
