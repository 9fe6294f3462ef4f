/**
 * The semantic-search port (R12): whether vector search can run now and, when not, the first R12
 * condition that fails, in `fallback_reason` terms (R13).
 */
import type { EmbeddingsRepo } from '../infrastructure/embeddings.repo.ts';

export type FallbackReason = 'vector_extension_missing' | 'not_configured' | 'misconfigured' | 'provider_unavailable';

export interface SemanticStatus {
  available: boolean;
  reason: FallbackReason | null;
  vectorExtension: boolean;
  embeddings: { status: 'not_configured' | 'ok' | 'unreachable' | 'misconfigured'; model: string | null; dimensions: number | null };
}

export interface SemanticPort {
  status(): SemanticStatus;
  /** Present when a provider is configured: the query's vector, or null when it could not be had (R15). */
  queryVector?(q: string): Promise<number[] | null>;
  model?: string;
  embeddings?: EmbeddingsRepo;
  enqueue?(itemId: string): void;
  rebuild?(scope: 'missing' | 'all'): Promise<{ job_id: string; queued_items: number }>;
  pending?(): number;
  lastError?(): { at: string; message: string } | null;
}

/** Without a provider (the embedded default): full-text only, honestly reported. */
export function staticSemantic(vectorExtension: boolean, model: string | null = null): SemanticPort {
  const status: SemanticStatus = {
    available: false,
    reason: vectorExtension ? 'not_configured' : 'vector_extension_missing',
    vectorExtension,
    embeddings: { status: 'not_configured', model, dimensions: null },
  };
  return { status: () => status };
}
