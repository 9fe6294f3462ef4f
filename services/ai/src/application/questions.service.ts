/**
 * Asking (§4.1 POST …/messages and /ask, R1, R2, R17–R19): the checks made before anything is stored or
 * streamed, the idempotency key, the rate limit, the user message, the answer, and the stored answer with
 * its usage event — two short transactions around the remote calls (§7).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { HistoryMessage } from '../domain/answers.ts';
import { aiErrors } from '../domain/errors.ts';
import { cut, fold, titleFrom } from '../domain/text.ts';
import type { AnswerResult, Answerer, StreamEvent } from './answer.ts';
import type { Actor, Deps } from './context.ts';
import { MAX_MESSAGES } from './conversations.service.ts';
import type { ConversationRow, MessageRow } from './ports.ts';
import type { RateHeaders, RateLimiter } from './rate-limit.ts';
import { messageView, type MessageView } from './views.ts';

export const CONTEXT_CATEGORY: Record<string, string> = {
  asistencia: 'asistencia',
  justificaciones: 'justificaciones',
  evaluacion: 'evaluacion-instructores',
  horarios: 'horarios',
  proyectos: 'proyectos-formativos',
  reglamento: 'reglamento',
};

export interface Idempotency {
  key: string;
  /** sha-256 of path + body (R19). */
  hash: string;
}

export const requestHash = (path: string, body: unknown) => createHash('sha256').update(`${path}\n${JSON.stringify(body ?? null)}`).digest('hex');

export type Replay = { replayed: true; status: number; body: unknown };

export interface Metrics {
  answered(result: AnswerResult, latencyMs: number): void;
  rateLimited(): void;
}

const later = (a: Date, b: Date | null | undefined) => (b && b.getTime() >= a.getTime() ? new Date(b.getTime() + 1) : a);

export function createQuestionsService(deps: Deps, answerer: Answerer, limiter: RateLimiter, metrics: Metrics) {
  const { repos } = deps;

  function content(raw: string, max: number): string {
    const text = raw.trim();
    if (!text) throw aiErrors.field('content', 'minLength', 'La pregunta no puede estar vacía');
    if (text.length > max) throw aiErrors.field('content', 'maxLength', `La pregunta no puede superar ${max} caracteres`);
    return text;
  }

  /** R19, read only: a Replay, a refusal, or undefined when the key is new (nothing written yet). */
  async function peek(actor: Actor, idem: Idempotency | undefined): Promise<Replay | undefined> {
    if (!idem) return undefined;
    const row = await repos.usage.findKey(actor.sub, idem.key, deps.now());
    return row ? replayOf(row, idem) : undefined;
  }

  function replayOf(row: { requestHash: string; state: string; responseStatus: number | null; responseBody: unknown }, idem: Idempotency): Replay {
    if (row.requestHash !== idem.hash) throw aiErrors.idempotencyMismatch();
    if (row.state !== 'completed') throw aiErrors.requestInProgress();
    return { replayed: true, status: row.responseStatus ?? 201, body: row.responseBody };
  }

  /** R19: claims the key once the request is admitted (after the rate limit, so a refusal writes nothing). */
  async function claim(actor: Actor, idem: Idempotency | undefined): Promise<Replay | undefined> {
    if (!idem) return undefined;
    const now = deps.now();
    const res = await repos.usage.claimKey(actor.sub, idem.key, idem.hash, now, new Date(now.getTime() + 86_400_000));
    return res.claimed ? undefined : replayOf(res.row, idem);
  }

  async function take(actor: Actor): Promise<RateHeaders> {
    try {
      return await limiter.take(actor.sub);
    } catch (err) {
      metrics.rateLimited();
      throw err;
    }
  }

  async function checkedConversation(actor: Actor, id: string): Promise<ConversationRow> {
    const c = await repos.conversations.get(actor.sub, id);
    if (!c) throw aiErrors.conversationNotFound();
    if (c.status === 'archived') throw aiErrors.conversationArchived();
    if (c.messageCount + 2 > MAX_MESSAGES) throw aiErrors.conversationFull(MAX_MESSAGES);
    return c;
  }

  /** Stores the user message (first transaction) and returns it with the history before it. */
  async function storeQuestion(actor: Actor, conversationId: string, text: string) {
    const history = (await repos.conversations.lastMessages(conversationId, 8)).map((m): HistoryMessage => ({ role: m.role as 'user' | 'assistant', content: m.content, answer_mode: m.answerMode }));
    const now = deps.now();
    return deps.withTransaction(async (tx) => {
      const c = await tx.conversations.getForUpdate(actor.sub, conversationId);
      if (!c) throw aiErrors.conversationNotFound();
      if (c.status === 'archived') throw aiErrors.conversationArchived();
      if (c.messageCount + 2 > MAX_MESSAGES) throw aiErrors.conversationFull(MAX_MESSAGES);
      const at = later(now, c.lastMessageAt);
      const user = await tx.conversations.insertMessage({ conversationId, role: 'user', content: text, contentFolded: fold(text), createdAt: at });
      const title = c.titleIsCustom || c.messageCount > 0 ? {} : { title: titleFrom(text), titleFolded: fold(titleFrom(text)) };
      await tx.conversations.update(c.id, { ...title, messageCount: c.messageCount + 1, lastMessageAt: at, updatedAt: now });
      return { user, history, first: c.messageCount === 0 };
    });
  }

  function usageOf(actor: Actor, kind: 'message' | 'ask', r: AnswerResult, latencyMs: number, question: string, first: boolean) {
    const cited = r.citations.filter((c) => c.cited);
    return {
      userId: actor.sub,
      role: actor.role,
      kind,
      conversationStarted: first,
      answerMode: r.answer_mode,
      fallbackReason: r.fallback_reason,
      latencyMs,
      promptTokens: r.usage.prompt_tokens,
      completionTokens: r.usage.completion_tokens,
      passagesUsed: r.retrieval.passages_used,
      citedItemIds: [...new Set(cited.map((c) => c.item_id))],
      citedItemTitles: [...new Map(cited.map((c) => [c.item_id, c.item_title])).values()],
      // R11: only the unanswered questions keep an excerpt.
      questionExcerpt: r.answer_mode === 'no_answer' && r.fallback_reason === null ? cut(question, 200) : null,
      createdAt: deps.now(),
    };
  }

  /** Stores the answer and its usage event (second transaction). */
  async function storeAnswer(actor: Actor, user: MessageRow, r: AnswerResult, latencyMs: number, first: boolean, id?: string): Promise<MessageRow> {
    const now = deps.now();
    const at = later(now, user.createdAt);
    return deps.withTransaction(async (tx) => {
      const m = await tx.conversations.insertMessage({
        ...(id ? { id } : {}),
        conversationId: user.conversationId,
        role: 'assistant',
        content: cut(r.content, 20_000),
        contentFolded: fold(cut(r.content, 20_000)),
        answerMode: r.answer_mode,
        fallbackReason: r.fallback_reason,
        citations: r.citations,
        retrieval: r.retrieval,
        model: r.model,
        promptTokens: r.usage.prompt_tokens,
        completionTokens: r.usage.completion_tokens,
        latencyMs,
        status: r.status,
        createdAt: at,
      });
      const c = await tx.conversations.getForUpdate(actor.sub, user.conversationId);
      if (c) await tx.conversations.update(c.id, { messageCount: c.messageCount + 1, lastMessageAt: at, updatedAt: now });
      await tx.usage.record(usageOf(actor, 'message', r, latencyMs, user.content, first));
      return m;
    });
  }

  const elapsed = (t0: number) => Math.round(performance.now() - t0);

  return {
    /** Checks, claim and count before anything is stored (R17: decided before a stream opens). */
    async begin(actor: Actor, conversationId: string, raw: string, idem: Idempotency | undefined): Promise<Replay | { replayed: false; text: string; headers: RateHeaders }> {
      const text = content(raw, 2000);
      await checkedConversation(actor, conversationId);
      const seen = await peek(actor, idem);
      if (seen) return seen;
      const headers = await take(actor);
      const replay = await claim(actor, idem);
      if (replay) return replay;
      return { replayed: false, text, headers };
    },

    async message(actor: Actor, conversationId: string, text: string, category: string | undefined, idem: Idempotency | undefined) {
      const t0 = performance.now();
      try {
        const { user, history, first } = await storeQuestion(actor, conversationId, text);
        const r = await answerer.answer(actor, text, history, category);
        const latency = elapsed(t0);
        const assistant = await storeAnswer(actor, user, r, latency, first);
        metrics.answered(r, latency);
        const body = { conversation_id: conversationId, user_message: messageView(user), assistant_message: messageView(assistant) };
        if (idem) await repos.usage.completeKey(actor.sub, idem.key, 201, body);
        return body;
      } catch (err) {
        if (idem) await repos.usage.releaseKey(actor.sub, idem.key);
        throw err;
      }
    },

    /** R17's events, with the ids of both messages in `meta`; the answer is stored before `done`. */
    async *stream(actor: Actor, conversationId: string, text: string, category: string | undefined, idem: Idempotency | undefined, signal: AbortSignal): AsyncGenerator<{ event: string; data: unknown }> {
      const t0 = performance.now();
      let stored: { user: MessageRow; history: HistoryMessage[]; first: boolean };
      try {
        stored = await storeQuestion(actor, conversationId, text);
      } catch (err) {
        if (idem) await repos.usage.releaseKey(actor.sub, idem.key);
        throw err;
      }
      const assistantId = randomUUID();
      let final: StreamEvent | undefined;
      for await (const ev of answerer.stream(actor, text, stored.history, category, signal)) {
        if (ev.type === 'meta') {
          yield { event: 'meta', data: { conversation_id: conversationId, user_message_id: stored.user.id, assistant_message_id: assistantId, answer_mode: ev.answer_mode, fallback_reason: ev.fallback_reason, context: ev.citations } };
        } else if (ev.type === 'delta') {
          yield { event: 'delta', data: { text: ev.text } };
        } else final = ev;
      }
      if (!final || final.type !== 'end') return;
      const latency = elapsed(t0);
      const assistant = await storeAnswer(actor, stored.user, final.result, latency, stored.first, assistantId);
      metrics.answered(final.result, latency);
      const view: MessageView = messageView(assistant);
      if (idem) await repos.usage.completeKey(actor.sub, idem.key, 201, { conversation_id: conversationId, user_message: messageView(stored.user), assistant_message: view });
      if (final.error) yield { event: 'error', data: final.error };
      else yield { event: 'done', data: { assistant_message: view } };
    },

    /** POST /ask: not stored as a conversation (only its usage event). */
    async ask(actor: Actor, raw: string, context: string | undefined, idem: Idempotency | undefined) {
      const question = raw.trim();
      if (!question) throw aiErrors.field('question', 'minLength', 'La pregunta no puede estar vacía');
      const seen = await peek(actor, idem);
      if (seen) return { replay: seen };
      const headers = await take(actor);
      const replay = await claim(actor, idem);
      if (replay) return { replay };
      const t0 = performance.now();
      try {
        const r = await answerer.answer(actor, question, [], context ? CONTEXT_CATEGORY[context] : undefined);
        const latency = elapsed(t0);
        await repos.usage.record(usageOf(actor, 'ask', r, latency, question, false));
        metrics.answered(r, latency);
        const body = { question, answer: r.content, answer_mode: r.answer_mode, fallback_reason: r.fallback_reason, citations: r.citations, latency_ms: latency };
        if (idem) await repos.usage.completeKey(actor.sub, idem.key, 200, body);
        return { body, headers };
      } catch (err) {
        if (idem) await repos.usage.releaseKey(actor.sub, idem.key);
        throw err;
      }
    },
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
