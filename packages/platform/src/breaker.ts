/**
 * The one circuit breaker of the platform (00-conventions §8, gateway.md R30, notification.md R40): opossum 9
 * counts the rolling window and decides when the failure rate opens the breaker; the open → half-open →
 * closed steps are kept here, on an injectable clock. The known traps (01-architecture §2) are handled once:
 *
 * - `timeout` is off unless `timeoutMs` is given (opossum would time every call out after 10 s); its own
 *   timeouts then count as failures, whatever `isFailure` says.
 * - opossum opens only strictly above `errorThresholdPercentage`: pass 49.99 for "at least 50 %".
 * - opossum counts its own open-state refusals as fires, which would keep the rate high: the state is read
 *   here before `fire()` and refused calls never reach opossum.
 * - half-open lets exactly one trial through; the others are refused until it ends.
 *
 * Why the clock: the window's buckets rotate from `now()` (opossum's `rotateBucketController`) and the
 * half-open time is `opened at + resetTimeoutMs` on that clock, so a test that moves the service clock sees
 * what real time would do. opossum's own reset timer is parked (it only works on real time); an unref'd
 * timer re-reads the state at the half-open time so that `onStateChange` still hears of it promptly.
 */
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';

export type BreakerState = 'closed' | 'open' | 'half_open';
/** An operator's override: forced open refuses every call, forced closed lets every call through uncounted. */
export type BreakerForce = 'open' | 'closed';

export interface BreakerOptions {
  /** Calls in the rolling window before the breaker may open (default 10). */
  volumeThreshold?: number;
  /** Opens when the failure rate is strictly above this percentage (opossum's rule; default 50). */
  errorThresholdPercentage?: number;
  /** Time open before one trial call is let through (default 30 s). */
  resetTimeoutMs?: number;
  /** Length of the rolling window (default 10 s). */
  rollingCountTimeoutMs?: number;
  /** Buckets of the rolling window (default 10). */
  rollingCountBuckets?: number;
  /** Per-call timeout counted as a failure; `false` (default) when the caller times its own attempts. */
  timeoutMs?: number | false;
  /** Which errors thrown by an action count against the target (default: `CountedFailure`). Others pass through uncounted. */
  isFailure?: (err: unknown) => boolean;
  /** A close starts from empty window statistics (gateway.md §3.8). Default false. */
  resetStatsOnClose?: boolean;
  /** The service clock (default: real time). */
  now?: () => Date;
  onStateChange?: (state: BreakerState) => void;
}

/** Thrown by an action for an outcome that counts against the target (connection error, timeout, 5xx). */
export class CountedFailure extends Error {
  constructor(readonly inner: unknown) {
    super('counted failure');
    this.name = 'CountedFailure';
  }
}

/** Thrown by `fire()` when the breaker refuses the call; `code` is opossum's, for callers that test it. */
export class BreakerOpenError extends Error {
  readonly code = 'EOPENBREAKER';
  constructor(readonly breaker: string, readonly retryAt: Date) {
    super(`Breaker ${breaker} is open`);
    this.name = 'BreakerOpenError';
  }
}

export function isBreakerRefusal(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EOPENBREAKER';
}

/** An opossum timeout (only with `timeoutMs`). */
export function isBreakerTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && CircuitBreaker.isOurError(err as Error) && (err as { code?: unknown }).code === 'ETIMEDOUT';
}

export type Admission = { admitted: true } | { admitted: false; retryAt: Date; retryAfterSeconds: number };

export interface BreakerStats {
  state: BreakerState;
  forced: BreakerForce | null;
  /** The latest opening, while not closed (the half-open time counts from it). */
  openedAt: Date | null;
  /** The first opening since the breaker was last closed: how long it has stayed unclosed. */
  downSince: Date | null;
  /** Failures ÷ calls in the window, 4 decimals. */
  failureRatio: number;
  windowRequests: number;
}

export interface Breaker {
  readonly name: string;
  /** The breaker's own state on the clock (an override does not change it; see `stats().forced`). */
  state(): BreakerState;
  /** Whether a call would be let through now, and if not, when to try again. */
  admit(): Admission;
  /** When a refused call may try again: the half-open time, the end of the trial in flight; at least 1 s ahead. */
  retryAt(): Date;
  /**
   * Runs `action` through the breaker, or returns `undefined` without running it when the breaker
   * refuses (open, forced open, or a half-open trial already in flight). Errors of the action are rethrown.
   */
  run<T>(action: () => Promise<T>): Promise<{ value: T } | undefined>;
  /** As `run`, but a refusal throws `BreakerOpenError`. */
  fire<T>(action: () => Promise<T>): Promise<T>;
  /** An out-of-band success (a readiness probe, gateway.md R35) closes the breaker once it is half-open. */
  probeSucceeded(): void;
  force(mode: BreakerForce | null): void;
  /** Closed with empty statistics (an operator's reset). */
  reset(): void;
  stats(): BreakerStats;
  shutdown(): void;
}

// The longest delay setTimeout accepts: opossum's own reset timer must never fire (the clock here decides).
const PARKED_MS = 2_147_483_647;

export function createBreaker(name: string, opts: BreakerOptions = {}, onStateChange?: (state: BreakerState) => void): Breaker {
  const now = () => (opts.now ? opts.now().getTime() : Date.now());
  const resetMs = opts.resetTimeoutMs ?? 30_000;
  const windowMs = opts.rollingCountTimeoutMs ?? 10_000;
  const buckets = opts.rollingCountBuckets ?? 10;
  const bucketMs = windowMs / buckets;
  const timeoutMs = opts.timeoutMs ?? false;
  const isFailure = opts.isFailure ?? ((err: unknown) => err instanceof CountedFailure);
  const listener = opts.onStateChange ?? onStateChange;
  const counts = (err: unknown) => isBreakerTimeout(err) || isFailure(err);

  const rotation = new EventEmitter();
  let rotatedAt = now();
  const cb = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
    name,
    timeout: timeoutMs,
    volumeThreshold: opts.volumeThreshold ?? 10,
    errorThresholdPercentage: opts.errorThresholdPercentage ?? 50,
    resetTimeout: PARKED_MS,
    rollingCountTimeout: windowMs,
    rollingCountBuckets: buckets,
    rotateBucketController: rotation,
    enableSnapshots: false,
    rollingPercentilesEnabled: false,
    // Called on every error before opossum weighs the window: bring the window to the clock first.
    // true = not a failure (opossum then counts it as a success).
    errorFilter: (err: unknown) => {
      tick();
      return !counts(err);
    },
  });

  let openedAt: number | null = null;
  let downSince: number | null = null;
  let probing = false;
  let forced: BreakerForce | null = null;
  let reported: BreakerState = 'closed';
  let nudge: NodeJS.Timeout | undefined;

  /** Moves the rolling window to the clock (a clock set back just restarts the count of time). */
  function tick(): number {
    const t = now();
    if (t < rotatedAt) rotatedAt = t;
    const n = Math.floor((t - rotatedAt) / bucketMs);
    for (let i = 0; i < Math.min(n, buckets); i++) rotation.emit('rotate');
    rotatedAt += n * bucketMs;
    return t;
  }

  function state(): BreakerState {
    const t = tick();
    if (probing) return 'half_open';
    if (cb.closed) return 'closed';
    return openedAt !== null && t < openedAt + resetMs ? 'open' : 'half_open';
  }

  function observe(): BreakerState {
    const s = state();
    if (s !== reported) {
      reported = s;
      listener?.(s);
    }
    return s;
  }

  function clearStats() {
    for (let i = 0; i < buckets; i++) rotation.emit('rotate');
    rotatedAt = now();
  }

  function closeNow() {
    openedAt = downSince = null;
    if (nudge) clearTimeout(nudge);
    if (!cb.closed) cb.close();
    if (opts.resetStatsOnClose) clearStats();
  }

  /** Re-reads the state at the half-open time (again later if the clock is not there yet). */
  function armNudge() {
    if (nudge) clearTimeout(nudge);
    if (openedAt === null) return;
    nudge = setTimeout(() => {
      if (observe() === 'open') armNudge();
    }, Math.max(1, openedAt + resetMs - now()));
    nudge.unref();
  }

  cb.on('open', () => {
    openedAt = now();
    downSince ??= openedAt;
    armNudge();
    observe();
  });

  /** Epoch ms of the next try for a refused call, or null when a call would be admitted. */
  function refusedUntil(): number | null {
    if (forced === 'closed') return null;
    const t = now();
    if (forced === 'open') return t + resetMs;
    const s = state();
    if (s === 'closed' || (s === 'half_open' && !probing)) return null;
    if (probing) return t + (timeoutMs || 1000);
    return Math.max(t + 1000, (openedAt ?? t) + resetMs);
  }

  function retryAt(): Date {
    const t = now();
    return new Date(Math.max(t + 1000, refusedUntil() ?? t));
  }

  async function run<T>(action: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (forced === 'open') return undefined;
    if (forced === 'closed') return { value: await action() };
    const s = state();
    if (s === 'open' || (s === 'half_open' && probing)) return undefined;
    const trial = s === 'half_open';
    if (trial) {
      probing = true;
      observe();
      // opossum lets a call through only when closed (or its own half-open): the trial goes through by hand.
      if (!cb.closed) cb.close();
    }
    try {
      const value = (await cb.fire(action)) as T;
      if (trial) closeNow();
      return { value };
    } catch (err) {
      if (trial) {
        // A failed trial opens the breaker for another full reset period; an uncounted answer means the target answers.
        if (counts(err)) {
          if (!cb.opened) cb.open();
        } else closeNow();
      }
      throw err;
    } finally {
      if (trial) {
        probing = false;
        observe();
      }
    }
  }

  return {
    name,
    state,
    admit() {
      const until = refusedUntil();
      if (until === null) return { admitted: true };
      return { admitted: false, retryAt: new Date(until), retryAfterSeconds: Math.max(1, Math.ceil((until - now()) / 1000)) };
    },
    retryAt,
    run,
    async fire<T>(action: () => Promise<T>) {
      const out = await run(action);
      if (!out) throw new BreakerOpenError(name, retryAt());
      return out.value;
    },
    probeSucceeded() {
      if (forced === null && state() === 'half_open' && !probing) {
        closeNow();
        observe();
      }
    },
    force(mode) {
      forced = mode;
    },
    reset() {
      closeNow();
      clearStats();
      observe();
    },
    stats() {
      const s = state();
      const st = cb.stats as { fires: number; failures: number };
      return {
        state: s,
        forced,
        openedAt: s !== 'closed' && openedAt !== null ? new Date(openedAt) : null,
        downSince: s !== 'closed' && downSince !== null ? new Date(downSince) : null,
        failureRatio: st.fires > 0 ? Math.round((st.failures / st.fires) * 10_000) / 10_000 : 0,
        windowRequests: st.fires,
      };
    },
    shutdown() {
      if (nudge) clearTimeout(nudge);
      cb.shutdown();
      rotation.removeAllListeners();
    },
  };
}
