/**
 * Applies rate-limit policies to one request (gateway.md R18–R25): each check counts when allowed,
 * a refusal is 429 with Retry-After and the policy's details, and a failing store follows the policy's
 * failure mode (open: allowed without headers; closed: 503 rate_limit_store_unavailable).
 */
import { AppError, errors } from '@sicora/platform/errors';
import type { FailureMode, Policy } from '../core/gateway-config.ts';
import type { LimitVerdict } from '../core/sliding-window.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

export interface PolicyVerdict extends LimitVerdict {
  policy: string;
}

export function rateLimitHeaders(v: PolicyVerdict): Record<string, string> {
  return {
    'RateLimit-Limit': String(v.limit),
    'RateLimit-Remaining': String(v.remaining),
    'RateLimit-Reset': String(v.resetSeconds),
    'RateLimit-Policy': `${v.limit};w=${v.windowSeconds}`,
  };
}

/** R24: the headers of the policy with the lowest remaining. */
export function tightest(verdicts: readonly PolicyVerdict[]): PolicyVerdict | undefined {
  return verdicts.reduce<PolicyVerdict | undefined>((min, v) => (!min || v.remaining < min.remaining ? v : min), undefined);
}

export function createRateLimiter(deps: { store: RateLimitStore; metrics: GatewayMetrics }) {
  let lastErrorAt = 0;
  return {
    store: deps.store,
    healthy: () => deps.store.healthy() && Date.now() - lastErrorAt > 5_000,
    /** Resolves the verdict (undefined when the policy is disabled or the store failed open). */
    async check(policy: Policy | undefined, key: string, mode: FailureMode): Promise<PolicyVerdict | undefined> {
      if (!policy || !policy.enabled) return undefined;
      let v: LimitVerdict;
      try {
        v = await deps.store.hit({ policy: policy.name, key, limit: policy.limit, windowSeconds: policy.window_seconds });
      } catch {
        lastErrorAt = Date.now();
        deps.metrics.rateLimitStoreError();
        if (mode === 'closed') throw errors.unavailable({ reason: 'rate_limit_store_unavailable' }, 'El control de tráfico no está disponible');
        return undefined;
      }
      const verdict = { ...v, policy: policy.name };
      if (!v.allowed) {
        deps.metrics.rateLimitRejection(policy.name);
        throw new AppError(
          'RATE_LIMITED',
          'rate_limited',
          'Demasiadas solicitudes; intente más tarde',
          { policy: policy.name, limit: v.limit, window_seconds: v.windowSeconds, retry_after_seconds: v.retryAfterSeconds },
          { headers: { ...rateLimitHeaders(verdict), 'Retry-After': String(v.retryAfterSeconds) } },
        );
      }
      return verdict;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
