import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useServices } from '../../../app/context.tsx';
import { aiKeys } from './assistant.ts';
import { streamAnswer, type StreamMeta, type StreamOutcome } from './answer-stream.ts';

/** A random Idempotency-Key; `crypto.randomUUID` needs a secure context, getRandomValues does not. */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface PendingAnswer {
  conversationId: string;
  question: string;
  meta: StreamMeta | null;
  text: string;
}

/**
 * One question at a time per screen (the user may hold 2 streams, ai R17; a third answers 429). The
 * question stays pending on screen while the answer streams in; when it ends the conversation is read
 * again and the stored messages replace it. A failed question keeps its Idempotency-Key, so sending the
 * same text again cannot produce a second answer (R19).
 */
export function useAsk() {
  const { authedFetch, baseUrl } = useServices();
  const qc = useQueryClient();
  const [pending, setPending] = useState<PendingAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const failed = useRef<{ content: string; key: string } | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  const ask = useCallback(
    async (conversationId: string, content: string): Promise<StreamOutcome | null> => {
      const key = failed.current?.content === content ? failed.current.key : newKey();
      const controller = new AbortController();
      abort.current = controller;
      setError(null);
      setNotice(null);
      setPending({ conversationId, question: content, meta: null, text: '' });
      let outcome: StreamOutcome | null = null;
      try {
        outcome = await streamAnswer({
          fetch: authedFetch,
          url: `${baseUrl}/api/v1/ai/conversations/${encodeURIComponent(conversationId)}/messages`,
          content,
          idempotencyKey: key,
          signal: controller.signal,
          handlers: {
            onMeta: (meta) => setPending((p) => (p ? { ...p, meta } : p)),
            onDelta: (text) => setPending((p) => (p ? { ...p, text: p.text + text } : p)),
          },
        });
        failed.current = null;
        if (outcome.kind === 'error') setNotice(`La respuesta se interrumpió: ${outcome.message}`);
        else if (outcome.kind === 'cut') setNotice('Se perdió la conexión mientras llegaba la respuesta. Lo que alcanzó a llegar quedó guardado.');
        else if (outcome.kind === 'aborted') setNotice('Detuvo la respuesta.');
      } catch (err) {
        failed.current = { content, key };
        setError(err);
      } finally {
        abort.current = null;
        await qc.invalidateQueries({ queryKey: aiKeys.conversation(conversationId) });
        void qc.invalidateQueries({ queryKey: [...aiKeys.all, 'conversations'] });
        void qc.invalidateQueries({ queryKey: aiKeys.status() });
        setPending(null);
      }
      return outcome;
    },
    [authedFetch, baseUrl, qc],
  );

  const stop = useCallback(() => abort.current?.abort(), []);
  return { ask, stop, pending, error, notice, clearError: () => setError(null) };
}
