import { describe, expect, it } from 'vitest';
import { createSseParser, streamAnswer, type AnswerRequest, type StreamMeta } from '../src/features/assistant/api/answer-stream.ts';
import { ApiError } from '../src/lib/errors.ts';
import { envelope, failure } from './helpers.tsx';

const enc = new TextEncoder();
const message = { id: 'm2', role: 'assistant', content: 'Según el reglamento [1]', answer_mode: 'generated', citations: [], status: 'complete' };
const meta: StreamMeta = { conversation_id: 'c1', user_message_id: 'm1', assistant_message_id: 'm2', answer_mode: 'generated', fallback_reason: null, context: [] };

/** An SSE response whose body arrives in exactly these byte pieces, one per read. */
function sse(pieces: Uint8Array[], opts: { end?: boolean; signal?: AbortSignal } = {}) {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of pieces) controller.enqueue(p);
      if (opts.end !== false) controller.close();
      opts.signal?.addEventListener('abort', () => controller.error(new DOMException('Abortado', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
}

/** Cuts a text's bytes at the given byte offsets. */
function cut(text: string, at: number[]): Uint8Array[] {
  const bytes = enc.encode(text);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const a of [...at, bytes.length]) {
    out.push(bytes.slice(from, a));
    from = a;
  }
  return out;
}

function request(respond: (r: Request) => Promise<Response> | Response, signal = new AbortController().signal) {
  const seen: Request[] = [];
  const deltas: string[] = [];
  const metas: StreamMeta[] = [];
  const req: AnswerRequest = {
    fetch: async (r) => {
      seen.push(r);
      return respond(r);
    },
    url: 'http://gw/api/v1/ai/conversations/c1/messages',
    content: '¿Cuántos días tengo para justificar?',
    idempotencyKey: 'clave-1',
    signal,
    handlers: { onMeta: (m) => metas.push(m), onDelta: (t) => deltas.push(t) },
  };
  return { req, seen, deltas, metas };
}

describe('SSE parser', () => {
  it('when events arrive split at every position, with CRLF and ping comments, then each event is emitted once and whole', () => {
    const text = `: ping\r\n\r\nevent: delta\r\ndata: {"text":"a"}\r\n\r\nevent: delta\ndata: línea 1\ndata: línea 2\n\n`;
    for (let i = 1; i < text.length; i++) {
      const events: Array<{ event: string; data: string }> = [];
      const parse = createSseParser((e) => events.push(e));
      parse(text.slice(0, i));
      parse(text.slice(i));
      expect(events, `cut at ${i}`).toEqual([
        { event: 'delta', data: '{"text":"a"}' },
        { event: 'delta', data: 'línea 1\nlínea 2' },
      ]);
    }
  });
});

describe('the assistant answer stream (ai R17)', () => {
  it('when meta, deltas and done arrive in byte pieces cut inside lines and inside an accented letter, then the text is whole and the stored message is returned', async () => {
    const text = [
      `event: meta\ndata: ${JSON.stringify(meta)}\n\n`,
      ': ping\n\n',
      `event: delta\ndata: ${JSON.stringify({ text: 'Según ' })}\n\n`,
      `event: delta\ndata: ${JSON.stringify({ text: 'el reglamento [1]' })}\n\n`,
      `event: done\ndata: ${JSON.stringify({ assistant_message: message })}\n\n`,
    ].join('');
    const bytes = enc.encode(text);
    const accent = bytes.indexOf(0xc3); // first byte of "ú" in "Según"
    const { req, seen, deltas, metas } = request(() => sse(cut(text, [5, 17, 40, accent + 1, accent + 9, bytes.length - 3])));
    const outcome = await streamAnswer(req);
    expect(outcome).toEqual({ kind: 'done', message });
    expect(deltas.join('')).toBe('Según el reglamento [1]');
    expect(metas).toEqual([meta]);
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers.get('accept')).toBe('text/event-stream');
    expect(seen[0].headers.get('idempotency-key')).toBe('clave-1');
    expect(await seen[0].json()).toEqual({ content: '¿Cuántos días tengo para justificar?', stream: true });
  });

  it('when the model fails after the first words, then the error event ends the stream with its code and the text so far was delivered', async () => {
    const text = `event: meta\ndata: ${JSON.stringify(meta)}\n\nevent: delta\ndata: {"text":"Los aprendices"}\n\nevent: error\ndata: {"code":"LLM_STREAM_INTERRUPTED","message":"El modelo dejó de responder"}\n\n`;
    const { req, deltas } = request(() => sse(cut(text, [30, 90])));
    expect(await streamAnswer(req)).toEqual({ kind: 'error', code: 'LLM_STREAM_INTERRUPTED', message: 'El modelo dejó de responder' });
    expect(deltas).toEqual(['Los aprendices']);
  });

  it('when the user stops the answer while it streams, then the read ends as aborted', async () => {
    const controller = new AbortController();
    const text = `event: meta\ndata: ${JSON.stringify(meta)}\n\nevent: delta\ndata: {"text":"Primero"}\n\n`;
    const { req, deltas } = request((r) => sse([enc.encode(text)], { end: false, signal: r.signal }), controller.signal);
    const running = streamAnswer(req);
    await expect.poll(() => deltas.length).toBe(1);
    controller.abort();
    expect(await running).toEqual({ kind: 'aborted' });
  });

  it('when the connection closes without done or error, then the outcome says the answer was cut', async () => {
    const { req, deltas } = request(() => sse([enc.encode('event: delta\ndata: {"text":"Hola"}\n\nevent: delta\ndata: {"te')]));
    expect(await streamAnswer(req)).toEqual({ kind: 'cut' });
    expect(deltas).toEqual(['Hola']);
  });

  it('when a third stream is refused with 429, then an ApiError carries Retry-After for the screen', async () => {
    const { req } = request(() => failure(429, 'RATE_LIMITED', 'Demasiadas solicitudes', { limit: 2 }, { 'retry-after': '12' }));
    const err = await streamAnswer(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    expect((err as ApiError).display).toBe('Demasiadas solicitudes. Intente de nuevo en 12 s.');
  });

  it('when the Idempotency-Key was already answered, then the JSON replay is returned as the stored message', async () => {
    const { req } = request(() => envelope({ conversation_id: 'c1', user_message: { id: 'm1' }, assistant_message: message }, 201, { 'idempotent-replayed': 'true' }));
    expect(await streamAnswer(req)).toEqual({ kind: 'replayed', message });
  });

  it('when the network fails before any answer, then a network ApiError is thrown; when aborted first, then aborted', async () => {
    const { req } = request(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(streamAnswer(req)).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    const controller = new AbortController();
    controller.abort();
    const aborted = request(() => Promise.reject(new DOMException('Abortado', 'AbortError')), controller.signal);
    expect(await streamAnswer(aborted.req)).toEqual({ kind: 'aborted' });
  });
});
