/**
 * One request-log row per request (gateway.md R47, §3.6) — never for `/health*` or `/metrics` — and the
 * gateway's log line (R45): ids, route, status, outcome, timing; never tokens, query values or bodies.
 */
import { hostname } from 'node:os';
import type { App } from '@sicora/platform/server';
import { pathOf } from '../core/route-matching.ts';
import { maskClientIp, queryKeys, requestOutcome } from '../core/request-outcome.ts';
import type { RequestLogWriter } from '../infrastructure/request-log.ts';

export const INSTANCE_ID = `${hostname()}-${process.pid}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerRequestLog(app: App, opts: { writer: RequestLogWriter | undefined; instanceId: string }): void {
  app.addHook('onResponse', async (request, reply) => {
    const ctx = request.gw;
    if (!ctx) return;
    const rawUrl = request.raw.url ?? '/';
    const path = pathOf(rawUrl);
    if (path === '/metrics' || path === '/health' || path.startsWith('/health/')) return;
    const status = ctx.clientAborted ? 499 : reply.statusCode;
    const outcome = requestOutcome(status, ctx.errorCode, ctx.clientAborted);
    const durationMs = Math.round(reply.elapsedTime * 100) / 100;
    if (ctx.routeName) {
      request.log.info(
        {
          request_id: request.id,
          route_name: ctx.routeName,
          service: ctx.service,
          outcome,
          attempts: ctx.attempts,
          upstream_ms: ctx.upstreamMs,
          circuit: ctx.circuit,
          role: ctx.role,
          ip_masked: maskClientIp(request.ip),
        },
        'proxied request',
      );
    }
    const length = Number(reply.getHeader('content-length'));
    opts.writer?.add({
      requestId: request.id,
      occurredAt: ctx.startedAt,
      method: request.method,
      path: path.slice(0, 2048),
      queryKeys: queryKeys(rawUrl),
      routeName: ctx.routeName,
      service: ctx.service,
      status,
      outcome,
      errorCode: ctx.errorCode,
      durationMs,
      upstreamMs: ctx.upstreamMs,
      attempts: ctx.attempts,
      circuitState: ctx.circuit,
      userId: ctx.userId && UUID.test(ctx.userId) ? ctx.userId : null,
      role: ctx.role,
      ipMasked: maskClientIp(request.ip),
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
      requestBytes: ctx.requestBytes,
      responseBytes: Number.isFinite(length) ? length : null,
      instanceId: opts.instanceId,
    });
  });
}
