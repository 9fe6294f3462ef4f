/**
 * The LLM port: any OpenAI-compatible chat-completions server (R13, R16, R17). Connect/first-token/total
 * timeouts, one retry after 1 s of a non-streamed call on 429/5xx/connect errors, and the platform breaker
 * (rolling 60 s, volume 5, ≥ 50 % errors, open 30 s) during which nothing is called. Nothing is downloaded.
 */
import { createBreaker } from '@sicora/platform/breaker';
import type { ChatMessage } from '../domain/answers.ts';
import { LlmError, type LlmPort, type LlmUsage } from '../application/ports.ts';

export interface LlmClientOptions {
  baseUrl: string | undefined;
  model: string | undefined;
  apiKey: string | undefined;
  timeouts: { connectMs: number; firstTokenMs: number; totalMs: number; retryDelayMs: number };
  now?: () => Date;
}

class Counted extends LlmError {
  readonly counted = true;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createLlmClient(opts: LlmClientOptions): LlmPort & { close(): void } {
  const configured = Boolean(opts.baseUrl && opts.model);
  const base = (opts.baseUrl ?? '').replace(/\/+$/, '');
  const breaker = createBreaker('ai:llm', { volumeThreshold: 5, errorThresholdPercentage: 49.99, resetTimeoutMs: 30_000, rollingCountTimeoutMs: 60_000, rollingCountBuckets: 10, timeoutMs: false, isFailure: (e) => (e as { counted?: boolean }).counted === true });
  const headers = () => ({ 'content-type': 'application/json', accept: 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) });
  const body = (messages: ChatMessage[], stream: boolean) => JSON.stringify({ model: opts.model, messages, temperature: 0.2, max_tokens: 700, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) });

  /** One POST whose headers must arrive within the first-token timeout; the caller reads the body. */
  async function post(messages: ChatMessage[], stream: boolean, outer?: AbortSignal) {
    const ctl = new AbortController();
    const abort = () => ctl.abort();
    outer?.addEventListener('abort', abort);
    const timer = setTimeout(() => ctl.abort(new Counted('llm_timeout')), opts.timeouts.firstTokenMs);
    const total = setTimeout(() => ctl.abort(new Counted('llm_timeout')), opts.timeouts.totalMs);
    try {
      const res = await fetch(`${base}/chat/completions`, { method: 'POST', headers: headers(), body: body(messages, stream), signal: ctl.signal });
      if (res.status === 429 || res.status >= 500) throw new Counted('llm_unavailable', `status ${res.status}`);
      if (!res.ok) throw new LlmError('llm_unavailable', `status ${res.status}`);
      return { res, ctl, timer, total, done: () => (clearTimeout(timer), clearTimeout(total), outer?.removeEventListener('abort', abort)) };
    } catch (err) {
      clearTimeout(timer);
      clearTimeout(total);
      outer?.removeEventListener('abort', abort);
      throw asLlmError(err, ctl.signal);
    }
  }

  function asLlmError(err: unknown, signal: AbortSignal): LlmError {
    if (err instanceof LlmError) return err;
    if (signal.aborted && signal.reason instanceof LlmError) return signal.reason;
    return new Counted('llm_unavailable', (err as Error)?.message ?? 'error');
  }

  async function guarded<T>(fn: () => Promise<T>): Promise<T> {
    if (breaker.state() === 'open') throw new LlmError('llm_unavailable', 'circuit open');
    const out = await breaker.run(fn);
    if (!out) throw new LlmError('llm_unavailable', 'circuit open');
    return out.value;
  }

  async function completeOnce(messages: ChatMessage[], signal?: AbortSignal) {
    const call = await post(messages, false, signal);
    try {
      const json = (await call.res.json()) as { choices?: Array<{ message?: { content?: string } }>; usage?: LlmUsage };
      const text = json.choices?.[0]?.message?.content;
      if (typeof text !== 'string') throw new Counted('llm_unavailable', 'no content');
      return { text, usage: json.usage?.prompt_tokens !== undefined ? { prompt_tokens: json.usage.prompt_tokens, completion_tokens: json.usage.completion_tokens } : null };
    } catch (err) {
      throw asLlmError(err, call.ctl.signal);
    } finally {
      call.done();
    }
  }

  return {
    configured,
    model: configured ? (opts.model ?? null) : null,
    async complete(messages, signal) {
      if (!configured) throw new LlmError('llm_unavailable', 'not configured');
      try {
        return await guarded(() => completeOnce(messages, signal));
      } catch (err) {
        const e = err as LlmError;
        if (e.reason !== 'llm_unavailable' || e.message === 'circuit open' || !(e as Counted).counted) throw err;
        await sleep(opts.timeouts.retryDelayMs);
        return guarded(() => completeOnce(messages, signal));
      }
    },
    async *stream(messages, signal, onUsage) {
      if (!configured) throw new LlmError('llm_unavailable', 'not configured');
      const call = await guarded(() => post(messages, true, signal));
      const reader = call.res.body?.getReader();
      if (!reader) throw new LlmError('llm_unavailable', 'no body');
      const decoder = new TextDecoder();
      let buffer = '';
      let first = true;
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (!line.startsWith('data:')) continue;
            const payload = line.slice(5).trim();
            if (payload === '[DONE]') return;
            const json = JSON.parse(payload) as { choices?: Array<{ delta?: { content?: string } }>; usage?: LlmUsage };
            if (json.usage?.prompt_tokens !== undefined) onUsage({ prompt_tokens: json.usage.prompt_tokens, completion_tokens: json.usage.completion_tokens });
            const chunk = json.choices?.[0]?.delta?.content;
            if (chunk) {
              if (first) {
                first = false;
                clearTimeout(call.timer);
              }
              yield chunk;
            }
          }
        }
      } catch (err) {
        throw asLlmError(err, call.ctl.signal);
      } finally {
        call.done();
        reader.releaseLock?.();
        if (!call.ctl.signal.aborted) call.ctl.abort();
      }
    },
    async probe() {
      if (!configured) return false;
      const ctl = new AbortController();
      const t = setTimeout(() => ctl.abort(), 5000);
      try {
        const res = await fetch(`${base}/models`, { headers: headers(), signal: ctl.signal });
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      } finally {
        clearTimeout(t);
      }
    },
    close() {
      breaker.shutdown();
    },
  };
}
