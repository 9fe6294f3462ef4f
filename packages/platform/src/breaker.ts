/**
 * One circuit breaker per target service (00-conventions §8), on opossum 9 with its traps handled
 * (01-architecture §2): `timeout: false` because the HTTP client times its own attempts; the state is read
 * before `fire()` because opossum counts its own open-state rejections as fires, which would keep the
 * error rate high; and in half-open exactly one probe goes through (the others are refused here).
 */
import CircuitBreaker from 'opossum';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Calls in the rolling window before the breaker may open. */
  volumeThreshold?: number;
  /** Opens when the failure rate is strictly above this percentage (opossum's rule). */
  errorThresholdPercentage?: number;
  /** Time open before one probe is let through. */
  resetTimeoutMs?: number;
  rollingCountTimeoutMs?: number;
}

/** Thrown by an action for an outcome that counts against the target (connection error, timeout, 5xx). */
export class CountedFailure extends Error {
  constructor(readonly inner: unknown) {
    super('counted failure');
    this.name = 'CountedFailure';
  }
}

export interface Breaker {
  state(): BreakerState;
  /**
   * Runs `action` through the breaker, or returns `undefined` without running it when the breaker
   * refuses (open, or a half-open probe already in flight). Errors other than `CountedFailure` pass
   * through without counting.
   */
  run<T>(action: () => Promise<T>): Promise<{ value: T } | undefined>;
  shutdown(): void;
}

export function createBreaker(name: string, opts: BreakerOptions = {}, onStateChange?: (state: BreakerState) => void): Breaker {
  const breaker = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
    name,
    timeout: false,
    volumeThreshold: opts.volumeThreshold ?? 10,
    errorThresholdPercentage: opts.errorThresholdPercentage ?? 50,
    resetTimeout: opts.resetTimeoutMs ?? 30_000,
    rollingCountTimeout: opts.rollingCountTimeoutMs ?? 10_000,
    errorFilter: (err: unknown) => !(err instanceof CountedFailure),
  });
  // opossum emits 'failure' with the error; without a listener nothing is logged, which is what we want.
  if (onStateChange) {
    breaker.on('open', () => onStateChange('open'));
    breaker.on('halfOpen', () => onStateChange('half_open'));
    breaker.on('close', () => onStateChange('closed'));
  }

  const state = (): BreakerState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed');

  return {
    state,
    async run<T>(action: () => Promise<T>) {
      // Half-open and no longer pending close means the single probe has already been let through.
      if (breaker.opened || (breaker.halfOpen && !breaker.pendingClose)) return undefined;
      const value = (await breaker.fire(action)) as T;
      return { value };
    },
    shutdown() {
      breaker.shutdown();
    },
  };
}
