/**
 * Applies rate-limit policies to one request (gateway.md R18–R25): each check counts when allowed,
 * a refusal is 429 with Retry-After and the policy's details, and a failing store follows the policy's
 * failure mode (open: allowed without headers; closed: 503 rate_limit_store_unavailable). All the
 * policies of one decision go to the store together, so Redis costs one round trip per request.
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

/** One policy a request is checked against, with the key it counts under (R17, R21). */
export interface LimitCheck {
  policy: Policy | undefined;
  key: string;
}

export function createRateLimiter(deps: { store: RateLimitStore; metrics: GatewayMetrics; now: () => Date }) {
  let lastErrorAt = 0;
  return {
    store: deps.store,
    healthy: () => deps.store.healthy() && deps.now().getTime() - lastErrorAt > 5_000,
    /**
     * Checks one request against its policies, in the order given, in one store call (one Redis round
     * trip): resolves the verdicts of the enabled ones (none when the store failed open) or throws the
     * first refusal; the policies before it stay counted, the refusing one and those after it do not.
     */
    async check(checks: readonly LimitCheck[], mode: FailureMode): Promise<PolicyVerdict[]> {
      const active = checks.filter((c): c is { policy: Policy; key: string } => c.policy?.enabled === true);
      if (active.length === 0) return [];
      let decided: LimitVerdict[];
      try {
        decided = await deps.store.hitAll(
          active.map(({ policy, key }) => ({ policy: policy.name, key, limit: policy.limit, windowSeconds: policy.window_seconds })),
        );
      } catch {
        lastErrorAt = deps.now().getTime();
        deps.metrics.rateLimitStoreError();
        if (mode === 'closed') throw errors.unavailable({ reason: 'rate_limit_store_unavailable' }, 'El control de tráfico no está disponible');
        return [];
      }
      const verdicts = decided.map((v, i) => ({ ...v, policy: active[i].policy.name }));
      const refused = verdicts.find((v) => !v.allowed);
      if (refused) {
        deps.metrics.rateLimitRejection(refused.policy);
        throw new AppError(
          'RATE_LIMITED',
          'rate_limited',
          'Demasiadas solicitudes; intente más tarde',
          { policy: refused.policy, limit: refused.limit, window_seconds: refused.windowSeconds, retry_after_seconds: refused.retryAfterSeconds },
          { headers: { ...rateLimitHeaders(refused), 'Retry-After': String(refused.retryAfterSeconds) } },
        );
      }
      return verdicts;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
