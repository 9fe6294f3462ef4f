/**
 * R40: one breaker per provider and worker process, on the platform's breaker — 60 s window, volume 5,
 * opens strictly above 49.99 % failures, half-open after 60 s, each call timed out at the channel's
 * attempt timeout (R29). Transient and provider-unavailable answers and timeouts count; permanent refusals
 * do not (the provider is answering). The window and the half-open time follow the service clock, like
 * every other due-time decision (R30), so tests move the clock instead of waiting a minute.
 */
import { createBreaker, isBreakerTimeout, type BreakerState } from '@sicora/platform/breaker';
import { BreakerOpenError, ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';

export type { BreakerState };
/** The shape every worker writes to `workers.breakers` (§3.3) and R58 reads. */
export interface BreakerSnapshot { state: BreakerState; opened_at: string | null }

export const BREAKER = { windowMs: 60_000, buckets: 10, volume: 5, errorPercent: 49.99, resetMs: 60_000 } as const;

export interface ProviderBreaker {
  readonly name: string;
  state(): BreakerState;
  /** `opened_at` is the start of the unclosed stretch (a failed probe does not move it), which R58 measures. */
  snapshot(): BreakerSnapshot;
  /** When a refused call may try again: the half-open time, or the end of the probe in flight. */
  retryAt(): Date;
  /** Runs `action`, or returns undefined without running it when the breaker refuses. */
  run<T>(action: () => Promise<T>): Promise<{ value: T } | undefined>;
  shutdown(): void;
}

export function createProviderBreaker(name: string, o: { timeoutMs: number; now: () => Date; onChange?: () => void }): ProviderBreaker {
  const breaker = createBreaker(`notification:${name}`, {
    volumeThreshold: BREAKER.volume, errorThresholdPercentage: BREAKER.errorPercent, resetTimeoutMs: BREAKER.resetMs,
    rollingCountTimeoutMs: BREAKER.windowMs, rollingCountBuckets: BREAKER.buckets, timeoutMs: o.timeoutMs,
    isFailure: (err) => err instanceof ChannelError && err.kind !== 'permanent',
    now: o.now,
    onStateChange: () => o.onChange?.(),
  });
  return {
    name,
    state: () => breaker.state(),
    snapshot() {
      const s = breaker.stats();
      return { state: s.state, opened_at: s.downSince ? s.downSince.toISOString() : null };
    },
    retryAt: () => breaker.retryAt(),
    async run<T>(action: () => Promise<T>) {
      try {
        return await breaker.run(action);
      } catch (err) {
        // The breaker's own timeout is a transient failure of the provider like any other (R29).
        if (isBreakerTimeout(err)) throw new ChannelError('transient', 'TIMEOUT', 'El proveedor no respondió a tiempo');
        throw err;
      }
    },
    shutdown: () => breaker.shutdown(),
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
