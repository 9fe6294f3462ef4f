/**
 * Fakes of the ports (kb per kb.md §4.4's passage shape, with V1 audiences applied to the caller's role
 * as kb would) and a local OpenAI-compatible chat-completions server on 127.0.0.1, port 0.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import type { Passage } from '../src/domain/answers.ts';
import { KbUnavailableError, type KbPort } from '../src/application/ports.ts';

export interface KbItem {
  id: string;
  slug: string;
  title: string;
  kind: string;
  summary: string | null;
  category: { slug: string; name: string };
  source_reference: string | null;
  audience: string[];
  passages: Array<{ heading: string | null; text: string; words: string[]; score: number }>;
}

export interface FakeKb extends KbPort {
  items: KbItem[];
  down: boolean;
  calls: Array<{ token: string; q: string; category?: string }>;
  add(item: Partial<KbItem> & { title: string; words: string[]; text: string; score?: number }): KbItem;
}

const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export function fakeKb(): FakeKb {
  const kb: FakeKb = {
    items: [],
    down: false,
    calls: [],
    add(o) {
      const item: KbItem = {
        id: randomUUID(),
        slug: fold(o.title).replace(/[^a-z0-9]+/g, '-'),
        title: o.title,
        kind: o.kind ?? 'procedure',
        summary: o.summary ?? null,
        category: o.category ?? { slug: 'general', name: 'General' },
        source_reference: o.source_reference ?? null,
        audience: o.audience ?? ['all'],
        passages: [{ heading: null, text: o.text, words: o.words.map(fold), score: o.score ?? 0.6 }],
      };
      kb.items.push(item);
      return item;
    },
    async searchPassages(as, q) {
      kb.calls.push({ token: as.token, q: q.q, category: q.category });
      if (kb.down) throw new KbUnavailableError('connection_refused');
      const role = String(decodeJwt(as.token).role);
      const fq = fold(q.q);
      const out: Passage[] = [];
      for (const it of kb.items) {
        if (!(it.audience.includes('all') || it.audience.includes(role))) continue;
        if (q.category && it.category.slug !== q.category) continue;
        it.passages.forEach((p, i) => {
          if (p.words.some((w) => fq.includes(w))) {
            out.push({ passage_id: `${it.id}:${i}`, item_id: it.id, item_slug: it.slug, item_title: it.title, item_kind: it.kind, item_summary: it.summary, category: it.category, source_reference: it.source_reference, heading: p.heading, text: p.text, excerpt: p.text.slice(0, 400), score: p.score });
          }
        });
      }
      return { passages: out.sort((a, b) => b.score - a.score).slice(0, 8), mode_used: 'fulltext' };
    },
    async suggest() {
      return kb.down ? [] : kb.items.slice(0, 1).map((i) => i.title);
    },
    async faqTitles() {
      return kb.items.filter((i) => i.kind === 'faq').slice(0, 3).map((i) => i.title);
    },
    async probe() {
      return { ok: !kb.down, search_mode: 'fulltext' };
    },
  };
  return kb;
}

export type LlmBehaviour =
  | { kind: 'answer'; text: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { kind: 'stream'; chunks: string[]; dropAfter?: number }
  | { kind: 'status'; status: number }
  | { kind: 'hang' };

export interface FakeLlmServer {
  url: string;
  requests: Array<{ body: Record<string, unknown>; headers: IncomingMessage['headers'] }>;
  behaviour: LlmBehaviour;
  close(): Promise<void>;
}

/** A local OpenAI-compatible server: `/models` and `/chat/completions` (JSON or SSE). */
export async function startFakeLlm(): Promise<FakeLlmServer> {
  const requests: FakeLlmServer['requests'] = [];
  const state: { behaviour: LlmBehaviour } = { behaviour: { kind: 'answer', text: 'Respuesta [1]' } };
  const open = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    if (req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: [{ id: 'fake-model' }] }));
      return;
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      requests.push({ body, headers: req.headers });
      const b = state.behaviour;
      if (b.kind === 'status') return void res.writeHead(b.status, { 'content-type': 'application/json' }).end('{"error":{"message":"boom"}}');
      if (b.kind === 'hang') {
        open.add(res);
        return;
      }
      if (b.kind === 'answer') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: b.text } }], usage: b.usage }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      b.chunks.forEach((c, i) => {
        if (b.dropAfter !== undefined && i >= b.dropAfter) return;
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: c } }] })}\n\n`);
      });
      if (b.dropAfter !== undefined) return void setTimeout(() => res.destroy(), 30);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get behaviour() {
      return state.behaviour;
    },
    set behaviour(b) {
      state.behaviour = b;
    },
    async close() {
      for (const r of open) r.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
