/**
 * The provider breakers of one worker process (R40): one per provider, timed out at its channel's
 * attempt timeout (R29), their snapshots for `workers.breakers` (§3.3) and A9, and listeners told of
 * every state change (the heartbeat writes it at once).
 */
import { RETRY } from '../../domain/rules.ts';
import type { Channel } from '../../domain/enums.ts';
import { createProviderBreaker, type BreakerSnapshot, type ProviderBreaker } from './provider-breaker.ts';

const CLOSED: BreakerSnapshot = { state: 'closed', opened_at: null };

export function createBreakerRegistry(now: () => Date) {
  const breakers = new Map<string, ProviderBreaker>();
  const listeners = new Set<() => void>();
  return {
    listeners,
    /** The breaker of provider `name` on `channel`, created on first use. */
    breakerFor(name: string, channel: Channel): ProviderBreaker {
      let b = breakers.get(name);
      if (!b) {
        b = createProviderBreaker(name, { timeoutMs: RETRY[channel].timeoutMs, now, onChange: () => listeners.forEach((l) => l()) });
        breakers.set(name, b);
      }
      return b;
    },
    /** This process's view of one provider: closed when it has no breaker here. */
    snapshot: (name: string): BreakerSnapshot => breakers.get(name)?.snapshot() ?? CLOSED,
    /** `{ "<provider>": { state, opened_at } }` for every provider with a breaker in this process. */
    states: (): Record<string, BreakerSnapshot> => Object.fromEntries([...breakers].map(([name, b]) => [name, b.snapshot()])),
    shutdown(): void {
      for (const b of breakers.values()) b.shutdown();
    },
  };
}

export type BreakerRegistry = ReturnType<typeof createBreakerRegistry>;
