/**
 * A local OpenAI-compatible embeddings server for tests (127.0.0.1, port 0): deterministic vectors from
 * the folded words of each input hashed into 32 dimensions and normalised, so texts sharing words are
 * near. `stop()` makes it refuse connections (the provider "stops answering").
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const DIMS = 32;

export function fakeVector(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  const words = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 3);
  for (const w of words) {
    let h = 2166136261;
    for (const ch of w.slice(0, 6)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    v[h % DIMS]! += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export interface FakeEmbeddings {
  url: string;
  calls: number;
  stop(): Promise<void>;
}

export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const state = { calls: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/models') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'fake-embed', object: 'model' }] }));
      if (req.method === 'POST' && req.url === '/embeddings') {
        state.calls++;
        const input = (JSON.parse(body) as { input: string | string[] }).input;
        const inputs = Array.isArray(input) ? input : [input];
        return res.end(JSON.stringify({ object: 'list', model: 'fake-embed', data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: fakeVector(t) })) }));
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
