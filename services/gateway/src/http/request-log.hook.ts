/**
 * One request-log row per request (gateway.md R47, §3.6) — never for `/health*` or `/metrics` — and the
 * gateway's log line (R45): ids, route, status, outcome, timing; never tokens, query values or bodies.
 */
import { hostname } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { maskClientIp } from '@sicora/platform/client-ip';
import type { App } from '@sicora/platform/server';
import { pathOf } from '../core/route-matching.ts';
import { queryKeys, requestOutcome } from '../core/request-outcome.ts';
import type { RequestLogWriter } from '../infrastructure/request-log.ts';

export const INSTANCE_ID = `${hostname()}-${process.pid}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerRequestLog(app: App, opts: { writer: RequestLogWriter | undefined; instanceId: string }): void {
  /**
   * Writes the row and the log line once per request: at the response's end, or when the client went
   * away first (R33: outcome `client_aborted`, status 499 in logs only), since no response then
   * finishes and Fastify runs no onResponse hook for it.
   */
  function record(request: FastifyRequest, reply: FastifyReply | null): void {
    const ctx = request.gw;
    if (!ctx || ctx.logged) return;
    ctx.logged = true;
    const rawUrl = request.raw.url ?? '/';
    const path = pathOf(rawUrl);
    if (path === '/metrics' || path === '/health' || path.startsWith('/health/')) return;
    const clientAborted = reply === null || ctx.clientAborted;
    const status = clientAborted || reply === null ? 499 : reply.statusCode;
    const outcome = requestOutcome(status, clientAborted ? null : ctx.errorCode, clientAborted);
    const durationMs = Math.round((reply ? reply.elapsedTime : performance.now() - ctx.startedMs) * 100) / 100;
    // §3.6: IPv4 /24, IPv6 /48, stored in CIDR notation.
    const ipMasked = maskClientIp(request.ip, 'cidr');
    if (ctx.routeName) {
      request.log.info(
        {
          request_id: request.id,
          route_name: ctx.routeName,
          upstream: ctx.service,
          status,
          outcome,
          attempts: ctx.attempts,
          upstream_ms: ctx.upstreamMs,
          circuit: ctx.circuit,
          role: ctx.role,
          ip_masked: ipMasked,
        },
        'proxied request',
      );
    }
    if (!opts.writer) return;
    const length = clientAborted || reply === null ? Number.NaN : Number(reply.getHeader('content-length'));
    opts.writer.add({
      requestId: request.id,
      occurredAt: ctx.startedAt,
      method: request.method,
      path: path.length > 2048 ? path.slice(0, 2048) : path,
      queryKeys: queryKeys(rawUrl),
      routeName: ctx.routeName,
      service: ctx.service,
      status,
      outcome,
      errorCode: clientAborted ? null : ctx.errorCode,
      durationMs,
      upstreamMs: ctx.upstreamMs,
      attempts: ctx.attempts,
      circuitState: ctx.circuit,
      userId: ctx.userId && UUID.test(ctx.userId) ? ctx.userId : null,
      role: ctx.role,
      ipMasked,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
      requestBytes: ctx.requestBytes,
      responseBytes: Number.isFinite(length) ? length : null,
      instanceId: opts.instanceId,
    });
  }

  // Callback hooks, not async ones: they run on every request. A logging fault never fails a request.
  app.addHook('onResponse', (request, reply, done) => {
    safely(request, () => record(request, reply));
    done();
  });
  // Runs when the client closed the connection before the response finished.
  app.addHook('onRequestAbort', (request, done) => {
    safely(request, () => record(request, null));
    done();
  });
}

function safely(request: FastifyRequest, write: () => void): void {
  try {
    write();
  } catch (err) {
    request.log.error({ err: (err as Error).message, request_id: request.id }, 'request log row not recorded');
  }
}
