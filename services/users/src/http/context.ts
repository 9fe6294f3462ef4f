/**
 * Per-request context for use cases: masked client IP (R14), user agent and the acting user.
 */
import type { FastifyRequest } from 'fastify';
import type { BlockList } from 'node:net';
import type { RequestContext } from '../application/ports.ts';
import { clientIp, maskClientIp } from '../infrastructure/client-ip.ts';
import type { RateLimiter } from '../infrastructure/rate-limiter.ts';
import { errors } from '@sicora/platform/errors';

export interface HttpKit {
  ip(request: FastifyRequest): string;
  context(request: FastifyRequest): RequestContext;
  /** Counts a hit on `limiter` for `key` (default: the client IP); 429 RATE_LIMITED when over. */
  limit(limiter: RateLimiter, request: FastifyRequest, key?: string): Promise<void>;
}

export function createHttpKit(trust: BlockList): HttpKit {
  const ip = (request: FastifyRequest) => clientIp(trust, request.socket?.remoteAddress ?? request.ip, request.headers['x-forwarded-for']);
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
    async limit(limiter, request, key) {
      const wait = await limiter.hit(key ?? ip(request));
      if (wait > 0) throw errors.rateLimited(wait);
    },
  };
}

/** preValidation: an absent body counts as `{}` for routes whose body is optional. */
export async function optionalBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
