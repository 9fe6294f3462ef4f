/**
 * Per-request context for use cases: the client IP behind trusted proxies (R14, gateway R8), its mask
 * (§3.4), the user agent and the acting user; and the type of this service's route plugins.
 */
import type { FastifyPluginAsync, FastifyRequest, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { maskClientIp, resolveClientIp, type IpList } from '@sicora/platform/client-ip';
import type { RequestContext } from '../application/ports.ts';

/** A route plugin with TypeBox-typed requests, registered by app.ts with its services as options. */
export type RoutesPlugin<Options extends object> = FastifyPluginAsync<Options, RawServerDefault, TypeBoxTypeProvider>;

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
