/**
 * The assistant's answer stream (ai R17): `POST /conversations/{id}/messages` with `stream: true`, read
 * with fetch (EventSource cannot POST nor send the bearer). Events: `meta` (mode and sources), `delta`
 * (text pieces), `done` (the stored message) or `error` (LLM_STREAM_INTERRUPTED, text so far kept);
 * `: ping` comments every 15 s. Validation, 404, 409 and 429 come before the stream as JSON errors; a
 * replayed Idempotency-Key answers JSON 201 instead of a stream (R19).
 */
import { errorFromResponse, networkError } from '../../../lib/errors.ts';
import type { Citation, Message } from './assistant.ts';

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Splits an SSE text stream into events. Chunks may end anywhere (inside a line, between `\r` and `\n`,
 * inside a multi-byte character — the caller decodes with `stream: true`); comments and empty blocks are
 * skipped; several `data:` lines join with `\n`.
 */
export function createSseParser(onEvent: (e: SseEvent) => void) {
  let buffer = '';
  return (chunk: string) => {
    buffer = (buffer + chunk).replace(/\r\n/g, '\n');
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent({ event, data: data.join('\n') });
      cut = buffer.indexOf('\n\n');
    }
  };
}

export interface StreamMeta {
  conversation_id: string;
  user_message_id: string;
  assistant_message_id: string;
  answer_mode: 'generated' | 'extractive' | 'no_answer';
  fallback_reason: string | null;
  context: Citation[];
}

export interface AnswerHandlers {
  onMeta?: (meta: StreamMeta) => void;
  onDelta?: (text: string) => void;
}

export type StreamOutcome =
  | { kind: 'done'; message: Message }
  /** The model failed after its first words (the stored message is `interrupted`). */
  | { kind: 'error'; code: string; message: string }
  /** The connection ended without `done` or `error`. */
  | { kind: 'cut' }
  | { kind: 'aborted' }
  /** The same Idempotency-Key had already been answered: JSON 201 (R19). */
  | { kind: 'replayed'; message: Message };

export interface AnswerRequest {
  fetch: (request: Request) => Promise<Response>;
  url: string;
  content: string;
  category?: string;
  idempotencyKey: string;
  signal: AbortSignal;
  handlers: AnswerHandlers;
}

/** Sends the question and reads the answer; refusals before the stream (429 included) throw ApiError. */
export async function streamAnswer(req: AnswerRequest): Promise<StreamOutcome> {
  let response: Response;
  try {
    response = await req.fetch(
      new Request(req.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'idempotency-key': req.idempotencyKey },
        body: JSON.stringify({ content: req.content, stream: true, ...(req.category ? { category: req.category } : {}) }),
        signal: req.signal,
      }),
    );
  } catch {
    if (req.signal.aborted) return { kind: 'aborted' };
    throw networkError();
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw errorFromResponse(response, body);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) {
    const body = (await response.json()) as { data: { assistant_message: Message } };
    return { kind: 'replayed', message: body.data.assistant_message };
  }
  if (!response.body) return { kind: 'cut' };

  let outcome: StreamOutcome | null = null;
  const parse = createSseParser((e) => {
    if (outcome) return;
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    if (e.event === 'meta') req.handlers.onMeta?.(data as StreamMeta);
    else if (e.event === 'delta') req.handlers.onDelta?.((data as { text: string }).text);
    else if (e.event === 'done') outcome = { kind: 'done', message: (data as { assistant_message: Message }).assistant_message };
    else if (e.event === 'error') {
      const err = data as { code?: string; message?: string };
      outcome = { kind: 'error', code: err.code ?? 'LLM_STREAM_INTERRUPTED', message: err.message ?? 'La respuesta se interrumpió.' };
    }
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parse(decoder.decode(value, { stream: true }));
      if (outcome) break;
    }
    parse(decoder.decode());
  } catch {
    if (req.signal.aborted) return { kind: 'aborted' };
    return outcome ?? { kind: 'cut' };
  } finally {
    if (outcome) void reader.cancel().catch(() => undefined);
  }
  if (req.signal.aborted && !outcome) return { kind: 'aborted' };
  return outcome ?? { kind: 'cut' };
}
