/**
 * US-AI-01 against the real kb and its demo data (kb.md §11), not the fake: kb runs as a process of its own
 * (services/kb/test/demo-server.ts, on its own test database, PGlite or PostgreSQL like this file's) and the
 * assistant reaches it over HTTP with the caller's token, as in production. The question holds `falta`, a
 * regulatory keyword (R6): regulation passages get +0.20, and the procedure the aprendiz needs must still be
 * among the 3 passages of the extractive answer (R7, R12).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

const DEMO_SERVER = fileURLToPath(new URL('../../kb/test/demo-server.ts', import.meta.url));
const QUESTION = '¿Cuántos días tengo para justificar una falta?';
const PROCEDURE = 'Cómo justificar una inasistencia';

let kb: ChildProcess | undefined;
let h: Harness;

/** A port free on 127.0.0.1 right now (the system's pick), for kb to listen on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts kb's demo server on `port`, checking tokens with `jwks`; resolves when it listens. */
function startKb(port: number, jwks: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO_SERVER], { env: { ...process.env, KB_DEMO_JWKS: JSON.stringify(jwks), KB_DEMO_PORT: String(port) }, stdio: ['pipe', 'pipe', 'pipe'] });
    kb = child;
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`kb demo server not ready after 170 s: ${err.slice(-2000)}`)), 170_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('KB_DEMO_URL=')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kb demo server exited (${code}): ${err.slice(-2000)}`));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  // No fake: the assistant's real kb client, at kb's URL; kb checks the harness's tokens with its public keys.
  h = await createHarness({ env: { KB_URL: `http://127.0.0.1:${port}` }, overrides: { kb: undefined } });
  await startKb(port, h.keys.jwks);
}, 180_000);

afterAll(async () => {
  await h?.close();
  if (kb && kb.exitCode === null) {
    const exited = new Promise((r) => kb!.once('exit', r));
    kb.stdin?.end();
    kb.kill('SIGTERM');
    await exited;
  }
});

describe('US-AI-01 with the real kb and its demo data', () => {
  it('when an aprendiz asks "¿Cuántos días tengo para justificar una falta?", then 201 extractive citing "Cómo justificar una inasistencia", both messages stored, title set', async () => {
    const a = h.person('aprendiz');
    const c = await h.inject('POST', '/api/v1/ai/conversations', a, {});
    expect(c.statusCode).toBe(201);
    const id = c.json().data.id as string;
    const res = await h.inject('POST', `/api/v1/ai/conversations/${id}/messages`, a, { content: QUESTION });
    expect(res.statusCode).toBe(201);
    const answer = res.json().data.assistant_message as { answer_mode: string; content: string; citations: Array<{ item_title: string; item_kind: string }> };
    expect(answer.answer_mode).toBe('extractive');
    expect(answer.content.startsWith('**Respuesta extractiva**')).toBe(true);
    // R6 applied: the question is regulatory, regulation passages are among the citations too.
    expect(answer.citations.some((x) => x.item_kind === 'regulation')).toBe(true);
    expect(answer.citations.map((x) => x.item_title)).toContain(PROCEDURE);
    expect(answer.content).toContain(PROCEDURE);
    const conv = await h.inject('GET', `/api/v1/ai/conversations/${id}`, a);
    expect(conv.json().data.messages).toHaveLength(2);
    expect(conv.json().data.title).toBe(QUESTION);
    const status = await h.inject('GET', '/api/v1/ai/status', a);
    expect(status.json().data).toMatchObject({ answer_mode: 'extractive', llm: { configured: false } });
  });

  it('when asked through /ask, then the same answer cites the procedure', async () => {
    const res = await h.inject('POST', '/api/v1/ai/ask', h.person('aprendiz'), { question: QUESTION });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.answer_mode).toBe('extractive');
    expect(res.json().data.citations.map((x: { item_title: string }) => x.item_title)).toContain(PROCEDURE);
  });
});
