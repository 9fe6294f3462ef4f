/**
 * Semantic search when it is available (R12): the provider probe (at start, not awaited, then every
 * 60 s), the status readiness and `meta.search` report, query embeddings (5 s, cached 1 h × 1 000), and
 * the `kb.embed-item` work: provider calls outside any transaction (batches of ≤ 64, 30 s, 3 retries at
 * 1, 2, 4 s), then one short transaction with the rows.
 */
import { randomUUID } from 'node:crypto';
import { kbErrors } from '../domain/errors.ts';
import { fold } from '../domain/text.ts';
import type { EmbeddingsProvider } from '../infrastructure/embeddings.client.ts';
import type { EmbeddingsRepo } from '../infrastructure/embeddings.repo.ts';
import type { Deps } from './context.ts';
import type { SemanticPort, SemanticStatus } from './semantic.ts';

export const DIMENSIONS = 1536;

export interface SemanticService extends SemanticPort {
  model: string;
  queryVector(q: string): Promise<number[] | null>;
  enqueue(itemId: string): void;
  rebuild(scope: 'missing' | 'all'): Promise<{ job_id: string; queued_items: number }>;
  probe(): Promise<void>;
  pending(): number;
  lastError(): { at: string; message: string } | null;
  idle(): Promise<void>;
  stop(): void;
  embeddings: EmbeddingsRepo;
}

/** Zero-padding keeps cosine similarity (R12 c). */
export const pad = (v: number[]) => (v.length >= DIMENSIONS ? v : [...v, ...new Array<number>(DIMENSIONS - v.length).fill(0)]);

export function createSemanticService(o: {
  deps: Deps;
  provider: EmbeddingsProvider;
  embeddings: EmbeddingsRepo;
  model: string;
  vector: boolean;
  withTransaction: <T>(fn: (repo: EmbeddingsRepo) => Promise<T>) => Promise<T>;
  counted(outcome: string): void;
  log: { warn(obj: unknown, msg: string): void };
  sleep?: (ms: number) => Promise<void>;
}): SemanticService {
  const { deps, provider, embeddings, model } = o;
  const sleep = o.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  let probe: { status: 'ok' | 'unreachable' | 'misconfigured'; dimensions: number | null } | null = null;
  let lastError: { at: string; message: string } | null = null;
  const queue = new Set<string>();
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const cache = new Map<string, { v: number[]; at: number }>();

  function status(): SemanticStatus {
    const embeddingsStatus = probe?.status ?? 'unreachable';
    const base = { vectorExtension: o.vector, embeddings: { status: embeddingsStatus, model, dimensions: probe?.dimensions ?? null } } as const;
    if (!o.vector) return { ...base, available: false, reason: 'vector_extension_missing' };
    if (!probe || probe.status === 'unreachable') return { ...base, available: false, reason: 'provider_unavailable' };
    if (probe.status === 'misconfigured') return { ...base, available: false, reason: 'misconfigured' };
    if (!provider.breakerClosed()) return { ...base, available: false, reason: 'provider_unavailable' };
    return { ...base, available: true, reason: null };
  }

  async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await fn();
        o.counted('ok');
        return out;
      } catch (err) {
        o.counted('error');
        if (attempt >= 3 || !(err as { retryable?: boolean }).retryable || stopped) throw err;
        await sleep(1000 * 2 ** attempt);
      }
    }
  }

  async function embedItem(itemId: string): Promise<void> {
    const inputs = await embeddings.inputs(itemId);
    if (!inputs) return;
    const texts = [inputs.item.text, ...inputs.passages.map((p) => p.text)];
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i += 64) vectors.push(...(await withRetries(() => provider.embed(texts.slice(i, i + 64), 30_000))));
    if (vectors.some((v) => v.length > DIMENSIONS)) throw Object.assign(new Error('vectors larger than 1536 dimensions'), { retryable: false });
    const at = deps.now();
    await o.withTransaction((repo) =>
      repo.write(itemId, model, vectors[0]!.length, { vector: pad(vectors[0]!), hash: inputs.item.hash }, inputs.passages.map((p, i) => ({ id: p.id, vector: pad(vectors[i + 1]!), hash: p.hash })), at),
    );
  }

  async function drain(): Promise<void> {
    while (queue.size > 0 && !stopped) {
      if (!status().available) return;
      const [id] = queue;
      queue.delete(id!);
      try {
        await embedItem(id!);
      } catch (err) {
        lastError = { at: deps.now().toISOString(), message: (err as Error).message.slice(0, 300) };
        o.log.warn({ err, item_id: id }, 'kb embedding failed');
      }
    }
  }

  const kick = () => {
    running ??= drain().finally(() => {
      running = null;
    });
    return running;
  };

  async function enqueueMissing(all: boolean): Promise<number> {
    const ids = await embeddings.missingItems(model, all, 100_000);
    for (const id of ids) queue.add(id);
    void kick();
    return ids.length;
  }

  return {
    model,
    embeddings,
    status,
    async probe() {
      const wasAvailable = status().available;
      try {
        const { dimensions } = await provider.probe();
        probe = { status: dimensions > 0 && dimensions <= DIMENSIONS ? 'ok' : 'misconfigured', dimensions };
      } catch (err) {
        probe = { status: 'unreachable', dimensions: probe?.dimensions ?? null };
        lastError = { at: deps.now().toISOString(), message: (err as Error).message.slice(0, 300) };
      }
      // R15: when semantic search becomes available, a `missing` rebuild is queued by itself.
      if (!wasAvailable && status().available) await enqueueMissing(false);
      if (!timer && !stopped) {
        timer = setInterval(() => void this.probe(), 60_000);
        timer.unref();
      }
    },
    async queryVector(q: string) {
      if (!status().available) return null;
      const key = `${model}\u0000${fold(q)}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < 3_600_000) return hit.v;
      try {
        const [v] = await provider.embed([q], 5000);
        o.counted('ok');
        if (!v || v.length > DIMENSIONS) return null;
        if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
        cache.set(key, { v: pad(v), at: Date.now() });
        return pad(v);
      } catch {
        o.counted('error');
        return null;
      }
    },
    enqueue(itemId: string) {
      if (!o.vector) return;
      queue.add(itemId);
      void kick();
    },
    async rebuild(scope) {
      const s = status();
      if (!s.available) throw kbErrors.semanticUnavailable(s.reason ?? 'provider_unavailable');
      if (running || queue.size > 0) throw kbErrors.embeddingJobRunning();
      return { job_id: randomUUID(), queued_items: await enqueueMissing(scope === 'all') };
    },
    pending: () => queue.size + (running ? 1 : 0),
    lastError: () => lastError,
    idle: async () => {
      while (running) await running;
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      provider.close();
    },
  };
}
