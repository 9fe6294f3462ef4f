/**
 * X1: the one catch-all route that forwards to the owning service (gateway.md R27, §4.8). Its content
 * type parser leaves the body unread, so uploads stream through instead of being buffered here.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { App } from '@sicora/platform/server';
import type { UpstreamName } from '@sicora/platform/services';
import { clientResponseHeaders, traceparentFor, upstreamRequestHeaders } from '../core/header-filter.ts';
import { proxyErrors } from '../core/proxy-errors.ts';
import { REPLAYABLE_BODY_LIMIT, RETRYABLE_METHODS } from '../core/retry-schedule.ts';
import { bodyLimitFor, isMultipart, pathOf, type RouteMatcher } from '../core/route-matching.ts';
import type { UpstreamService } from '../core/service-catalog.ts';
import { limitStream, readWhole } from '../infrastructure/body-limit.ts';
import type { UpstreamForwarder } from '../infrastructure/upstream-forwarder.ts';

export interface ProxyRoutesOptions {
  matchRoute: RouteMatcher;
  services: Map<UpstreamName, UpstreamService>;
  forwarder: UpstreamForwarder;
}

/** OPTIONS is not here: preflights are answered by the gateway's CORS layer and never forwarded (R53). */
const PROXIED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

async function requestBody(request: FastifyRequest, limit: number, declared: number) {
  if (!hasBody(request)) return undefined;
  const replayable =
    RETRYABLE_METHODS.includes(request.method) && !isMultipart(request.headers['content-type']) && declared <= REPLAYABLE_BODY_LIMIT;
  return replayable ? readWhole(request.raw, Math.min(limit, REPLAYABLE_BODY_LIMIT)) : limitStream(request.raw, limit);
}

export async function proxyRoutes(app: App, opts: ProxyRoutesOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.route({
    method: PROXIED_METHODS,
    url: '/*',
    schema: {
      summary: 'Proxy to the owning service',
      description: 'Any path under a service prefix of 00-conventions §1 is forwarded unchanged to that service.',
      tags: ['proxy'],
      hide: true,
    },
    handler: async (request, reply) => {
      const rawUrl = request.raw.url ?? '/';
      const rule = opts.matchRoute(pathOf(rawUrl), request.method);
      if (!rule) throw proxyErrors.routeNotFound(request.method);
      const limit = bodyLimitFor(rule, request.headers['content-type']);
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      if (declared > limit) throw proxyErrors.payloadTooLarge(limit);

      const service = opts.services.get(rule.service)!;
      const timing = rule.deadlineMs
        ? { ...service.timing, attemptTimeoutMs: rule.deadlineMs, deadlineMs: rule.deadlineMs }
        : service.timing;
      const clientGone = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) clientGone.abort();
      });
      const headers = upstreamRequestHeaders(request.headers, {
        requestId: request.id,
        clientIp: request.socket.remoteAddress,
        proto: request.protocol,
        host: request.headers.host,
        traceparent: traceparentFor(request.headers.traceparent, randomBytes(24).toString('hex')),
      });
      const result = await opts.forwarder.forward({
        service: rule.service,
        method: request.method,
        rawUrl,
        headers,
        body: await requestBody(request, limit, declared),
        timing,
        signal: clientGone.signal,
        log: request.log,
      });
      // 499 appears in logs only: nobody is left to read it (R33).
      if (result.kind === 'client_aborted') return reply.code(499).send();

      reply.code(result.status).headers(clientResponseHeaders(result.headers));
      if (request.method === 'HEAD' || result.status === 204 || result.status === 304) {
        if (!Buffer.isBuffer(result.body)) result.body.resume();
        return reply.send();
      }
      return reply.send(result.body);
    },
  });
}
