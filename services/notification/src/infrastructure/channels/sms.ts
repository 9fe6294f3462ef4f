/**
 * The SMS channel (R37, R38, R40): GSM-7 text, then the configured providers in SMS_PROVIDER_ORDER
 * within one attempt, skipping open breakers; transient or provider-unavailable → the next one
 * (recorded as `failover_from`); permanent → no failover; all failed → transient; every provider
 * refused by its breaker (none tried) → BreakerOpenError at the earliest half-open time.
 */
import { toGsm7 } from '../../domain/gsm.ts';
import { BreakerOpenError, ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';
import type { ProviderBreaker } from './provider-breaker.ts';

export function createSmsChannel(providers: ChannelProvider[], breakers: Map<string, ProviderBreaker>): ChannelProvider {
  return {
    name: 'sms',
    channel: 'sms',
    async send(m: OutgoingMessage) {
      const gsm = toGsm7(m.text);
      const message = { ...m, text: gsm.text };
      const warnings = gsm.truncated ? ['truncated'] : [];
      let last: ChannelError | undefined;
      let failedFrom: string | undefined;
      let refused: { provider: string; at: Date } | undefined;
      for (const p of providers) {
        const breaker = breakers.get(p.name)!;
        let outcome;
        try {
          // The breaker counts transient and provider-unavailable answers and timeouts, not permanent ones.
          outcome = await breaker.run(() => p.send(message));
        } catch (err) {
          if (err instanceof ChannelError && err.kind === 'permanent') throw err;
          last = err instanceof ChannelError ? err : new ChannelError('transient', 'SMS_ERROR', String((err as Error).message));
          failedFrom ??= p.name;
          continue;
        }
        if (!outcome) {
          const at = breaker.retryAt();
          if (!refused || at < refused.at) refused = { provider: p.name, at };
          failedFrom ??= p.name;
          continue;
        }
        return { ...outcome.value, warnings, ...(failedFrom ? { failover_from: failedFrom } : {}) };
      }
      if (!last && refused) throw new BreakerOpenError(refused.provider, refused.at);
      throw new ChannelError('transient', last?.code ?? 'SMS_NO_PROVIDER', last?.message ?? 'Ningún proveedor de SMS disponible', last?.httpStatus);
    },
    async close() {
      for (const p of providers) await p.close?.();
    },
  };
}
