/**
 * An OpenAI-compatible embeddings provider (R12, R15): `GET /models` and `POST /embeddings`, bearer key
 * when set, a timeout per call, through the platform breaker (rolling 60 s, ≥ 5 calls, 50 %, half-open
 * after 30 s; timeouts, network errors, 429 and 5xx count).
 */
import { createBreaker, CountedFailure, type Breaker } from '@sicora/platform/breaker';

export interface EmbeddingsProvider {
  probe(): Promise<{ dimensions: number }>;
  embed(inputs: string[], timeoutMs: number): Promise<number[][]>;
  breakerClosed(): boolean;
  close(): void;
}

export class ProviderError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

export function createEmbeddingsProvider(o: { baseUrl: string; model: string; apiKey?: string; now?: () => Date }): EmbeddingsProvider {
  const base = o.baseUrl.replace(/\/+$/, '');
  const breaker: Breaker = createBreaker('kb:embeddings', { volumeThreshold: 5, errorThresholdPercentage: 49.99, resetTimeoutMs: 30_000, rollingCountTimeoutMs: 60_000, rollingCountBuckets: 6, timeoutMs: false, now: o.now });
  const headers = { 'content-type': 'application/json', ...(o.apiKey ? { authorization: `Bearer ${o.apiKey}` } : {}) };

  async function call(path: string, init: RequestInit, timeoutMs: number): Promise<unknown> {
    const out = await breaker.run(async () => {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new CountedFailure(new ProviderError(`provider unreachable: ${(err as Error).message}`, true));
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw new CountedFailure(new ProviderError(`provider answered ${res.status}`, true));
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new ProviderError(`provider refused with ${res.status}`, false);
      }
      return res.json();
    }).catch((err: unknown) => {
      throw err instanceof CountedFailure ? err.inner : err;
    });
    if (!out) throw new ProviderError('circuit open', true);
    return out.value;
  }

  const embed = async (inputs: string[], timeoutMs: number): Promise<number[][]> => {
    const body = (await call('/embeddings', { method: 'POST', body: JSON.stringify({ model: o.model, input: inputs }) }, timeoutMs)) as { data?: Array<{ embedding: number[]; index?: number }> };
    const data = body.data ?? [];
    if (data.length !== inputs.length) throw new ProviderError('provider returned a different number of vectors', false);
    return [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
  };

  return {
    async probe() {
      await call('/models', { method: 'GET' }, 5000);
      const [v] = await embed(['prueba'], 5000);
      return { dimensions: v?.length ?? 0 };
    },
    embed,
    breakerClosed: () => breaker.state() === 'closed',
    close: () => breaker.shutdown(),
  };
}
