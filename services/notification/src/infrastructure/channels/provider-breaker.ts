/**
 * R40: one opossum breaker per provider and worker process — 60 s window, volume 5, opens strictly above
 * 49.99 % failures, half-open after 60 s, `timeout` = the channel's attempt timeout (R29). Transient and
 * provider-unavailable answers and timeouts count; permanent refusals do not (the provider is answering).
 *
 * Traps handled as in the platform breaker: the state is read before `fire()` (opossum counts its own
 * open-state rejections as fires) and in half-open exactly one probe goes through. Unlike it, the rolling
 * window and the open → half-open step follow the service clock (`now`), like every other due-time
 * decision (R30): buckets rotate from `now` through opossum's `rotateBucketController`, and once `now`
 * passes the half-open time the probe is let through even if opossum's own (real-time) timer has not
 * fired yet. In production both clocks agree; tests that move the clock see what a real minute would.
 */
import { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { BreakerOpenError, ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';
/** The shape every worker writes to `workers.breakers` (§3.3) and R58 reads. */
export interface BreakerSnapshot { state: BreakerState; opened_at: string | null }

export const BREAKER = { windowMs: 60_000, buckets: 10, volume: 5, errorPercent: 49.99, resetMs: 60_000 } as const;

/** A provider answer that counts against it (transient, provider_unavailable). */
class Counted extends Error {
  constructor(readonly inner: ChannelError) {
    super(inner.message);
  }
}

export interface ProviderBreaker {
  readonly name: string;
  state(): BreakerState;
  snapshot(): BreakerSnapshot;
  /** When a refused call may try again: the half-open time, or the end of the probe in flight. */
  retryAt(): Date;
  /** Runs `action`, or returns undefined without running it when the breaker refuses. */
  run<T>(action: () => Promise<T>): Promise<{ value: T } | undefined>;
  shutdown(): void;
}

export function createProviderBreaker(name: string, o: { timeoutMs: number; now: () => Date; onChange?: () => void }): ProviderBreaker {
  const rotation = new EventEmitter();
  const timeouts = new WeakSet<object>();
  const cb = new CircuitBreaker((action: () => Promise<unknown>) => action(), {
    name: `notification:${name}`, timeout: o.timeoutMs, volumeThreshold: BREAKER.volume, errorThresholdPercentage: BREAKER.errorPercent,
    resetTimeout: BREAKER.resetMs, rollingCountTimeout: BREAKER.windowMs, rollingCountBuckets: BREAKER.buckets, rotateBucketController: rotation, enableSnapshots: false,
    // true = not a failure: everything except counted answers and opossum's own timeouts.
    errorFilter: (err: unknown) => !(err instanceof Counted) && !(typeof err === 'object' && err !== null && timeouts.has(err)),
  });
  cb.on('timeout', (err: unknown) => { if (typeof err === 'object' && err !== null) timeouts.add(err); });

  const bucketMs = BREAKER.windowMs / BREAKER.buckets;
  let rotatedAt = o.now().getTime();
  // `openedAt`: the latest opening (the half-open time counts from it); `downSince`: the first opening since
  // the breaker was last closed, reported as `opened_at` so that R58 sees how long it has stayed unclosed.
  let openedAt: number | null = null;
  let downSince: number | null = null;
  let probing = false;

  /** Moves the rolling window to the service clock (a clock set back just restarts the count of time). */
  function tick(now: number): void {
    if (now < rotatedAt) { rotatedAt = now; return; }
    const n = Math.floor((now - rotatedAt) / bucketMs);
    for (let i = 0; i < Math.min(n, BREAKER.buckets); i++) rotation.emit('rotate');
    rotatedAt += n * bucketMs;
  }

  cb.on('open', () => { openedAt = o.now().getTime(); downSince ??= openedAt; o.onChange?.(); });
  cb.on('halfOpen', () => o.onChange?.());
  cb.on('close', () => { if (!probing) { openedAt = downSince = null; o.onChange?.(); } });

  function state(): BreakerState {
    const now = o.now().getTime();
    tick(now);
    if (probing || cb.halfOpen) return 'half_open';
    if (cb.opened) return openedAt !== null && now >= openedAt + BREAKER.resetMs ? 'half_open' : 'open';
    return 'closed';
  }

  return {
    name,
    state,
    snapshot: () => ({ state: state(), opened_at: downSince === null ? null : new Date(downSince).toISOString() }),
    retryAt() {
      const now = o.now().getTime();
      if (probing) return new Date(now + o.timeoutMs);
      // Never in the past: a delivery deferred to a time already reached would spin.
      return new Date(Math.max(now + 1000, (openedAt ?? now) + BREAKER.resetMs));
    },
    async run<T>(action: () => Promise<T>) {
      const s = state();
      if (s === 'open' || (s === 'half_open' && probing)) return undefined;
      const probe = s === 'half_open';
      if (probe) {
        probing = true;
        // The service clock reached the half-open time before opossum's timer: let the probe through by hand.
        if (cb.opened) cb.close();
      }
      try {
        const value = (await cb.fire(async () => {
          try {
            return await action();
          } catch (err) {
            if (err instanceof ChannelError && err.kind !== 'permanent') throw new Counted(err);
            throw err;
          }
        })) as T;
        if (probe) openedAt = downSince = null;
        return { value };
      } catch (err) {
        const counted = err instanceof Counted || (typeof err === 'object' && err !== null && timeouts.has(err));
        // A failed probe re-opens the breaker for another full reset period.
        if (probe && counted && !cb.opened) cb.open();
        if (err instanceof Counted) throw err.inner;
        if (counted) throw new ChannelError('transient', 'TIMEOUT', 'El proveedor no respondió a tiempo');
        throw err;
      } finally {
        if (probe) {
          probing = false;
          o.onChange?.();
        }
      }
    },
    shutdown() {
      cb.shutdown();
      rotation.removeAllListeners();
    },
  };
}

/** E-mail and push (R40): an open breaker refuses with BreakerOpenError, which dispatch turns into `retrying`. */
export function withBreaker(provider: ChannelProvider, breaker: ProviderBreaker): ChannelProvider {
  return {
    name: provider.name,
    channel: provider.channel,
    async send(m: OutgoingMessage) {
      const out = await breaker.run(() => provider.send(m));
      if (!out) throw new BreakerOpenError(provider.name, breaker.retryAt());
      return out.value;
    },
    close: provider.close ? () => provider.close!() : undefined,
  };
}
