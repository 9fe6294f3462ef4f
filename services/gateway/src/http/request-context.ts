/**
 * What the gateway learns about one request on its way (rule, service, identity, attempts, error code),
 * read by the request log and the log line (gateway.md R45, §3.6).
 */
import type { FastifyRequest } from 'fastify';
import type { App } from '@sicora/platform/server';

export interface GatewayContext {
  startedAt: Date;
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
}

declare module 'fastify' {
  interface FastifyRequest {
    gw: GatewayContext;
  }
}

export function registerRequestContext(app: App): void {
  app.decorateRequest('gw', null as unknown as GatewayContext);
  app.addHook('onRequest', async (request) => {
    const length = Number(request.headers['content-length']);
    request.gw = {
      startedAt: new Date(),
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
    };
  });
  app.addHook('onError', async (request, _reply, error) => {
    if (request.gw) request.gw.errorCode = (error as { code?: string }).code ?? 'INTERNAL_ERROR';
  });
}

export function contextOf(request: FastifyRequest): GatewayContext {
  return request.gw;
}
