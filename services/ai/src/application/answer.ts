/**
 * The answer pipeline of a question (R4–R17): retrieval from the kb with the caller's token, selection,
 * then a generated answer (LLM configured and reachable), an extractive one, or an honest no-answer.
 * Nothing here throws for kb or LLM failures (R9, R16): they become the documented degraded answers.
 */
import {
  chatMessages,
  estimateTokens,
  extractiveAnswer,
  KB_UNAVAILABLE_TEXT,
  LLM_SOURCES,
  noAnswerText,
  postProcess,
  selectPassages,
  type AnswerMode,
  type Citation,
  type FallbackReason,
  type HistoryMessage,
  type Passage,
} from '../domain/answers.ts';
import { alnumCount, cut, isRegulatory, wordCount } from '../domain/text.ts';
import type { Actor, Deps } from './context.ts';
import { KbUnavailableError, LlmError, type LlmUsage } from './ports.ts';

export interface AnswerResult {
  content: string;
  answer_mode: AnswerMode;
  fallback_reason: FallbackReason | null;
  citations: Citation[];
  retrieval: { query: string; category: string | null; regulatory: boolean; mode_used: string | null; passages_received: number; passages_used: number };
  model: string | null;
  usage: { prompt_tokens: number | null; completion_tokens: number | null };
  status: 'complete' | 'interrupted';
}

export type StreamEvent =
  | { type: 'meta'; answer_mode: AnswerMode; fallback_reason: FallbackReason | null; citations: Citation[] }
  | { type: 'delta'; text: string }
  | { type: 'end'; result: AnswerResult; error?: { code: string; message: string } };

interface Retrieved {
  query: string;
  selected: Passage[];
  retrieval: AnswerResult['retrieval'];
  kbDown: boolean;
}

/** A counting semaphore with a bounded wait (R16's `AI_LLM_MAX_CONCURRENCY` and 10 s slot wait). */
function createSlots(max: number) {
  let used = 0;
  const waiting: Array<() => void> = [];
  return {
    async acquire(waitMs: number): Promise<(() => void) | null> {
      if (used < max) {
        used++;
        return release;
      }
      return new Promise((resolve) => {
        const grant = () => {
          clearTimeout(timer);
          used++;
          resolve(release);
        };
        const timer = setTimeout(() => {
          const i = waiting.indexOf(grant);
          if (i >= 0) waiting.splice(i, 1);
          resolve(null);
        }, waitMs);
        waiting.push(grant);
      });
    },
  };
  function release() {
    used--;
    const next = waiting.shift();
    if (next) next();
  }
}

export function createAnswerer(deps: Deps) {
  const slots = createSlots(deps.options.llmMaxConcurrency);
  const { llm, kb } = deps;

  /** R4 */
  function retrievalQuery(message: string, previousUserMessage: string | undefined): string {
    const q = cut(message.trim(), 1000);
    return wordCount(q) < 6 && previousUserMessage ? cut(`${previousUserMessage.trim()} ${q}`, 1000) : q;
  }

  async function retrieve(actor: Actor, message: string, previousUserMessage: string | undefined, category: string | undefined): Promise<Retrieved> {
    const query = retrievalQuery(message, previousUserMessage);
    const regulatory = isRegulatory(message);
    const base = { query, category: category ?? null, regulatory, mode_used: null as string | null, passages_received: 0, passages_used: 0 };
    if (alnumCount(query) < 2) return { query, selected: [], retrieval: base, kbDown: false };
    const as = { token: actor.token, requestId: actor.requestId };
    try {
      let res = await kb.searchPassages(as, { q: query, category });
      let selected = selectPassages(res.passages, deps.options.minPassageScore, regulatory);
      // R8: nothing passes within the category → once more without it.
      if (selected.length === 0 && category) {
        res = await kb.searchPassages(as, { q: query });
        selected = selectPassages(res.passages, deps.options.minPassageScore, regulatory);
        base.category = null;
      }
      return { query, selected, retrieval: { ...base, mode_used: res.mode_used, passages_received: res.passages.length }, kbDown: false };
    } catch (err) {
      if (err instanceof KbUnavailableError) return { query, selected: [], retrieval: base, kbDown: true };
      throw err;
    }
  }

  const noUsage = { prompt_tokens: null, completion_tokens: null };

  async function degraded(actor: Actor, r: Retrieved, reason: FallbackReason | null): Promise<AnswerResult> {
    if (r.kbDown) return { content: KB_UNAVAILABLE_TEXT, answer_mode: 'no_answer', fallback_reason: 'kb_unavailable', citations: [], retrieval: r.retrieval, model: null, usage: noUsage, status: 'complete' };
    if (r.selected.length === 0) {
      const hints = alnumCount(r.query) >= 2 ? await kb.suggest({ token: actor.token, requestId: actor.requestId }, cut(r.query, 100)) : [];
      return { content: noAnswerText(hints), answer_mode: 'no_answer', fallback_reason: null, citations: [], retrieval: r.retrieval, model: null, usage: noUsage, status: 'complete' };
    }
    const { content, citations } = extractiveAnswer(r.selected, llm.configured);
    return { content, answer_mode: 'extractive', fallback_reason: reason, citations, retrieval: { ...r.retrieval, passages_used: citations.length }, model: null, usage: noUsage, status: 'complete' };
  }

  function generated(r: Retrieved, text: string, usage: LlmUsage | null, promptChars: number, status: 'complete' | 'interrupted'): AnswerResult {
    const sources = r.selected.slice(0, LLM_SOURCES);
    const { content, citations } = postProcess(text, sources);
    return {
      content,
      answer_mode: 'generated',
      fallback_reason: null,
      citations,
      retrieval: { ...r.retrieval, passages_used: sources.length },
      model: llm.model,
      usage: { prompt_tokens: usage?.prompt_tokens ?? estimateTokens(promptChars), completion_tokens: usage?.completion_tokens ?? estimateTokens(text.length) },
      status,
    };
  }

  const llmReason = (err: unknown): FallbackReason => (err instanceof LlmError ? err.reason : 'llm_unavailable');

  return {
    /** The whole answer (JSON requests). */
    async answer(actor: Actor, message: string, history: HistoryMessage[], category?: string): Promise<AnswerResult> {
      const previous = [...history].reverse().find((m) => m.role === 'user')?.content;
      const r = await retrieve(actor, message, previous, category);
      if (r.kbDown || r.selected.length === 0 || !llm.configured) return degraded(actor, r, null);
      const release = await slots.acquire(deps.options.llmTimeouts.slotWaitMs);
      if (!release) return degraded(actor, r, 'llm_busy');
      try {
        const messages = chatMessages(actor.role, history, r.selected, message);
        const { text, usage } = await llm.complete(messages);
        return generated(r, text, usage, messages.reduce((n, m) => n + m.content.length, 0), 'complete');
      } catch (err) {
        return degraded(actor, r, llmReason(err));
      } finally {
        release();
      }
    },

    /** R17: the same answer as events; a failure before the first chunk falls back inside the stream. */
    async *stream(actor: Actor, message: string, history: HistoryMessage[], category: string | undefined, signal: AbortSignal): AsyncGenerator<StreamEvent> {
      const previous = [...history].reverse().find((m) => m.role === 'user')?.content;
      const r = await retrieve(actor, message, previous, category);
      const fallback = async function* (reason: FallbackReason | null): AsyncGenerator<StreamEvent> {
        const result = await degraded(actor, r, reason);
        yield { type: 'meta', answer_mode: result.answer_mode, fallback_reason: result.fallback_reason, citations: result.citations };
        yield { type: 'delta', text: result.content };
        yield { type: 'end', result };
      };
      if (r.kbDown || r.selected.length === 0 || !llm.configured) return yield* fallback(null);
      const release = await slots.acquire(deps.options.llmTimeouts.slotWaitMs);
      if (!release) return yield* fallback('llm_busy');
      const messages = chatMessages(actor.role, history, r.selected, message);
      const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
      let usage: LlmUsage | null = null;
      let text = '';
      let started = false;
      try {
        for await (const chunk of llm.stream(messages, signal, (u) => (usage = u))) {
          if (!started) {
            started = true;
            const sources = r.selected.slice(0, LLM_SOURCES);
            yield { type: 'meta', answer_mode: 'generated', fallback_reason: null, citations: postProcess('', sources).citations };
          }
          text += chunk;
          yield { type: 'delta', text: chunk };
        }
        if (!started) return yield* fallback('llm_unavailable');
        yield { type: 'end', result: generated(r, text, usage, promptChars, 'complete') };
      } catch (err) {
        if (!started) return yield* fallback(llmReason(err));
        yield { type: 'end', result: generated(r, text, usage, promptChars, 'interrupted'), error: { code: 'LLM_STREAM_INTERRUPTED', message: 'El modelo de lenguaje interrumpió la respuesta' } };
      } finally {
        release();
      }
    },
  };
}

export type Answerer = ReturnType<typeof createAnswerer>;
