/**
 * Per-request context for use cases: the client IP behind trusted proxies (R14, gateway R8), its mask
 * (§3.4), the user agent and the acting user.
 */
import type { FastifyRequest } from 'fastify';
import { maskClientIp, resolveClientIp, type IpList } from '@sicora/platform/client-ip';
import type { RequestContext } from '../application/ports.ts';

export interface HttpKit {
  ip(request: FastifyRequest): string;
  context(request: FastifyRequest): RequestContext;
}

export function createHttpKit(trusted: IpList): HttpKit {
  const ip = (request: FastifyRequest) => resolveClientIp(trusted, request.socket?.remoteAddress ?? request.ip, request.headers['x-forwarded-for']);
  return {
    ip,
    context(request) {
      const ua = request.headers['user-agent'];
      return {
        ipMasked: maskClientIp(ip(request)),
        userAgent: (typeof ua === 'string' ? ua : '').slice(0, 200),
        actorId: request.user?.sub ?? null,
      };
    },
  };
}

/** preValidation: an absent body counts as `{}` for routes whose body is optional. */
export async function optionalBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
