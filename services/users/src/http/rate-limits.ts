/**
 * R14's per-IP (per-client for A7) limits as @fastify/rate-limit route configurations. Windows are fixed
 * and aligned to the service clock: the window start is part of the key (`login:<start>:<ip>`), so every
 * replica and both stores agree on the edges, and a test that moves the clock starts a new window. The
 * 429 is the envelope's RATE_LIMITED with Retry-After = the seconds left in the window; the plugin's own
 * headers are off (see app.ts), as before.
 */
import type { FastifyRequest } from 'fastify';
import type { RateLimitOptions } from '@fastify/rate-limit';
import { errors } from '@sicora/platform/errors';
import { HOUR, MINUTE } from '../domain/time.ts';
import type { HttpKit } from './context.ts';

export const R14_LIMITS = {
  login: { max: 100, windowMs: MINUTE },
  refresh: { max: 300, windowMs: MINUTE },
  forgot: { max: 20, windowMs: HOUR },
  reset: { max: 20, windowMs: 15 * MINUTE },
  service_token: { max: 30, windowMs: MINUTE },
} as const;

export type LimitName = keyof typeof R14_LIMITS;
export type RouteLimits = Record<LimitName, RateLimitOptions>;

/** A7 counts per client id: many services may share one egress address. */
const subjectOf: Partial<Record<LimitName, (request: FastifyRequest) => string>> = {
  service_token: (request) => `client:${(request.body as { client_id: string }).client_id}`,
};

export function routeLimits(kit: HttpKit, now: () => Date): RouteLimits {
  const config = (name: LimitName): RateLimitOptions => {
    const { max, windowMs } = R14_LIMITS[name];
    const windowStart = () => Math.floor(now().getTime() / windowMs) * windowMs;
    const subject = subjectOf[name] ?? kit.ip;
    return {
      max,
      timeWindow: windowMs,
      keyGenerator: (request) => `${name}:${windowStart()}:${subject(request)}`,
      errorResponseBuilder: () => errors.rateLimited((windowStart() + windowMs - now().getTime()) / 1000),
    };
  };
  return { login: config('login'), refresh: config('refresh'), forgot: config('forgot'), reset: config('reset'), service_token: config('service_token') };
}
