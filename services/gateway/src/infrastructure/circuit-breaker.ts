/**
 * One opossum breaker per upstream (gateway.md R30). The state is read before `fire()` and refusals are
 * answered by the caller, because opossum counts its own open-state rejections as requests.
 */
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import type { CircuitState } from '../core/health-aggregation.ts';

export interface CircuitOptions {
  resetTimeoutMs: number;
  volumeThreshold: number;
  windowMs?: number;
  buckets?: number;
  onStateChange?: (state: CircuitState) => void;
}

/** Thrown by an attempt; `counted` tells the breaker whether it is a failure (R30) or just an outcome. */
export interface CountableError {
  counted: boolean;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export interface Circuit {
  state(): CircuitState;
  admit(): Admission;
  fire<T>(attempt: () => Promise<T>): Promise<T>;
  /** A successful readiness probe after the reset timeout closes an open circuit (R35). */
  probeSucceeded(): void;
  /** Window statistics for the status API (S1, V1). */
  stats(): { openedAt: Date | null; failureRatio: number; windowRequests: number };
  shutdown(): void;
}

export function isBreakerRefusal(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'EOPENBREAKER';
}

export function createCircuit(opts: CircuitOptions): Circuit {
  const windowMs = opts.windowMs ?? 10_000;
  const buckets = opts.buckets ?? 10;
  // Rotating the window ourselves lets a close start from empty statistics (§3.8), whatever the reset timeout.
  const rotator = new EventEmitter();
  const rotation = setInterval(() => rotator.emit('rotate'), Math.floor(windowMs / buckets));
  rotation.unref();
  const breaker = new CircuitBreaker(async (attempt: () => Promise<unknown>) => attempt(), {
    rollingCountTimeout: windowMs,
    rollingCountBuckets: buckets,
    volumeThreshold: opts.volumeThreshold,
    errorThresholdPercentage: 49.99,
    resetTimeout: opts.resetTimeoutMs,
    timeout: false,
    errorFilter: (err: unknown) => (err as CountableError | null)?.counted !== true,
    rotateBucketController: rotator,
    enableSnapshots: false,
    rollingPercentilesEnabled: false,
  });
  let openedAt = 0;
  breaker.on('open', () => {
    openedAt = Date.now();
    opts.onStateChange?.('open');
  });
  breaker.on('halfOpen', () => opts.onStateChange?.('half_open'));
  breaker.on('close', () => {
    for (let i = 0; i < buckets; i++) rotator.emit('rotate');
    opts.onStateChange?.('closed');
  });

  const state = (): CircuitState => (breaker.opened ? 'open' : breaker.halfOpen ? 'half_open' : 'closed');

  return {
    state,
    admit() {
      if (breaker.closed) return { admitted: true };
      // Half-open admits exactly one trial: opossum clears pendingClose when it takes it.
      if (breaker.halfOpen && breaker.pendingClose) return { admitted: true };
      const untilHalfOpen = breaker.opened ? openedAt + opts.resetTimeoutMs - Date.now() : 0;
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(untilHalfOpen / 1000)) };
    },
    fire: <T>(attempt: () => Promise<T>) => breaker.fire(attempt) as Promise<T>,
    stats() {
      const st = breaker.stats as { fires: number; failures: number; timeouts: number };
      const failures = st.failures + st.timeouts;
      return {
        openedAt: breaker.opened && openedAt ? new Date(openedAt) : null,
        failureRatio: st.fires > 0 ? Math.round((failures / st.fires) * 10_000) / 10_000 : 0,
        windowRequests: st.fires,
      };
    },
    probeSucceeded() {
      if (breaker.halfOpen) breaker.close();
    },
    shutdown() {
      clearInterval(rotation);
      breaker.shutdown();
    },
  };
}
