/**
 * The SMS channel (R37, R38, R40): GSM-7 text, then the configured providers in SMS_PROVIDER_ORDER
 * within one attempt, skipping open breakers; transient or provider-unavailable → the next one
 * (recorded as `failover_from`); permanent → no failover; all failed → transient.
 */
import { createBreaker, CountedFailure, type Breaker } from '@sicora/platform/breaker';
import { toGsm7 } from '../../domain/gsm.ts';
import { ChannelError, type ChannelProvider, type OutgoingMessage } from '../../application/ports.ts';

/** R40: 60 s window, volume 5, strictly above 49.99 % errors, 60 s open. */
export function providerBreaker(name: string): Breaker {
  return createBreaker(`notification:${name}`, { volumeThreshold: 5, errorThresholdPercentage: 49.99, resetTimeoutMs: 60_000, rollingCountTimeoutMs: 60_000 });
}

export function createSmsChannel(providers: ChannelProvider[]): ChannelProvider & { breakers: Map<string, Breaker> } {
  const breakers = new Map(providers.map((p) => [p.name, providerBreaker(p.name)]));
  return {
    name: 'sms',
    channel: 'sms',
    breakers,
    async send(m: OutgoingMessage) {
      const gsm = toGsm7(m.text);
      const message = { ...m, text: gsm.text };
      const warnings = gsm.truncated ? ['truncated'] : [];
      let last: ChannelError | undefined;
      let failedFrom: string | undefined;
      for (const p of providers) {
        const breaker = breakers.get(p.name)!;
        let outcome;
        try {
          outcome = await breaker.run(async () => {
            try {
              return await p.send(message);
            } catch (err) {
              // Only what says the provider is unwell counts against its breaker; permanent refusals do not.
              if (err instanceof ChannelError && err.kind !== 'permanent') throw new CountedFailure(err);
              throw err;
            }
          });
        } catch (err) {
          const e = err instanceof CountedFailure ? (err.inner as ChannelError) : err;
          if (e instanceof ChannelError && e.kind === 'permanent') throw e;
          last = e instanceof ChannelError ? e : new ChannelError('transient', 'SMS_ERROR', String((e as Error).message));
          failedFrom ??= p.name;
          continue;
        }
        if (!outcome) {
          last = new ChannelError('transient', 'BREAKER_OPEN', `Proveedor ${p.name} suspendido temporalmente`);
          failedFrom ??= p.name;
          continue;
        }
        return { ...outcome.value, warnings, ...(failedFrom ? { failover_from: failedFrom } : {}) };
      }
      throw new ChannelError('transient', last?.code ?? 'SMS_NO_PROVIDER', last?.message ?? 'Ningún proveedor de SMS disponible', last?.httpStatus);
    },
    async close() {
      for (const b of breakers.values()) b.shutdown();
      for (const p of providers) await p.close?.();
    },
  };
}
