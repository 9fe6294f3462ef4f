/**
 * What the gateway learns about one request on its way (rule, service, identity, attempts, error code),
 * read by the request log and the log line (gateway.md R45, §3.6).
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '@sicora/platform/server';

export interface GatewayContext {
  startedAt: Date;
  /** performance.now() at the start, for the duration of a request whose client went away (R33). */
  startedMs: number;
  routeName: string | null;
  service: string | null;
  userId: string | null;
  role: string | null;
  attempts: number;
  upstreamMs: number | null;
  circuit: string | null;
  errorCode: string | null;
  clientAborted: boolean;
  requestBytes: number | null;
  /** Set once the request-log row is written, so an abort and a late response end never write two. */
  logged: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    gw: GatewayContext;
  }
}

export function registerRequestContext(app: App, now: () => Date): void {
  app.decorateRequest('gw', null as unknown as GatewayContext);
  // Callback hooks, not async ones: they run on every request, and a resolved promise per hook is not free.
  app.addHook('onRequest', (request, _reply, done) => {
    const length = Number(request.headers['content-length']);
    request.gw = {
      startedAt: now(),
      startedMs: performance.now(),
      routeName: null,
      service: null,
      userId: null,
      role: null,
      attempts: 0,
      upstreamMs: null,
      circuit: null,
      errorCode: null,
      clientAborted: false,
      requestBytes: Number.isFinite(length) ? length : null,
      logged: false,
    };
    done();
  });
  app.addHook('onError', (request, _reply, error, done) => {
    if (request.gw) request.gw.errorCode = (error as { code?: string }).code ?? 'INTERNAL_ERROR';
    done();
  });
}

export function contextOf(request: FastifyRequest): GatewayContext {
  return request.gw;
}
