import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { echo, resetUpstreams, type FakePlatform } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

const ATTEMPT_MS = 250;
const RESET_MS = 600;
const VOLUME = 4;

let h: Harness;
let fakes: FakePlatform;

const envelope500 = JSON.stringify({
  success: false,
  error: { code: 'INTERNAL_ERROR', message: 'Error interno del servidor' },
  meta: { timestamp: new Date().toISOString(), request_id: 'upstream-id-1' },
});

beforeAll(async () => {
  h = await createHarness({
    GATEWAY_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_MS),
    GATEWAY_DEADLINE_MS: '700',
    GATEWAY_BREAKER_RESET_MS: String(RESET_MS),
    GATEWAY_BREAKER_VOLUME: String(VOLUME),
    GATEWAY_PROBE_INTERVAL_MS: '100',
  });
  fakes = h.fakes;
});

afterAll(async () => {
  await h?.close();
});

beforeEach(() => resetUpstreams(fakes));

const circuitOf = async (name: string) => {
  const res = await h.inject({ method: 'GET', url: '/health' });
  const body = res.json();
  const report = body.success ? body.data : body.error.details;
  return report.services.find((s: { name: string }) => s.name === name).circuit as string;
};

describe('upstream down: 502, then the breaker opens (503), then a probe closes it', () => {
  it('when an upstream is stopped, then 502 BAD_GATEWAY until the volume is reached, then a fast 503 circuit_open', async () => {
    const evalin = fakes.upstreams.evalin;
    await evalin.stop();
    for (let i = 0; i < VOLUME; i++) {
      const res = await h.inject({ method: 'POST', url: '/api/v1/evalin/responses', payload: { a: i } });
      expect(expectError(res, 502, 'BAD_GATEWAY').details).toEqual({ service: 'evalin', reason: 'connect_refused' });
    }
    const started = Date.now();
    const refused = await h.inject({ method: 'GET', url: '/api/v1/evalin/questionnaires' });
    expect(Date.now() - started).toBeLessThan(150);
    expect(expectError(refused, 503, 'SERVICE_UNAVAILABLE').details).toEqual({ service: 'evalin', reason: 'circuit_open' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await circuitOf('evalin')).toBe('open');
    const metrics = (await h.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/gateway_circuit_state\{[^}]*service="evalin"[^}]*\} 2/);
    expect(metrics).toMatch(/gateway_upstream_duration_seconds_count\{[^}]*service="evalin"[^}]*status_class="error"[^}]*\} 4/);

    // Back up: after the reset timeout a successful readiness probe, not a client request, closes it.
    await evalin.start();
    h.clock.advance(RESET_MS);
    await vi.waitFor(async () => expect(await circuitOf('evalin')).toBe('closed'), { timeout: 3_000, interval: 25 });
    expect(evalin.hits).toHaveLength(0);
    const res = await h.inject({ method: 'GET', url: '/api/v1/evalin/questionnaires' });
    expect(expectOk(res, 200).url).toBe('/api/v1/evalin/questionnaires');
  });

  it('when an upstream keeps answering 500 HTML, then each is 502 and once open no request reaches it', async () => {
    const kb = fakes.upstreams.kb;
    kb.handle = (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
    for (let i = 0; i < VOLUME; i++) {
      const res = await h.inject({ method: 'GET', url: '/api/v1/kb/articles' });
      expect(expectError(res, 502, 'BAD_GATEWAY').details).toEqual({ service: 'kb', reason: 'upstream_500' });
    }
    expect(kb.hits).toHaveLength(VOLUME);
    for (let i = 0; i < 3; i++) {
      expectError(await h.inject({ method: 'GET', url: '/api/v1/kb/articles' }), 503, 'SERVICE_UNAVAILABLE');
    }
    expect(kb.hits).toHaveLength(VOLUME);
  });

  it('when a half-open circuit lets its one trial through, then concurrent requests are refused and the trial success closes it', async () => {
    const projecteval = fakes.upstreams.projecteval;
    // Readiness stays failing so no probe closes the circuit: only the trial request can.
    projecteval.ready = false;
    projecteval.handle = (_req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
    for (let i = 0; i < VOLUME; i++) await h.inject({ method: 'POST', url: '/api/v1/projecteval/rubrics', payload: {} });
    expect(await circuitOf('projecteval')).toBe('open');
    h.clock.advance(RESET_MS);
    await vi.waitFor(async () => expect(await circuitOf('projecteval')).toBe('half_open'), { timeout: 3_000, interval: 25 });

    projecteval.hits.length = 0;
    // The trial is held until a concurrent request has been refused (well within the 250 ms attempt timeout).
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    projecteval.handle = (req, res, body) => void released.then(() => echo(req, res, body));
    const trial = h.inject({ method: 'GET', url: '/api/v1/projecteval/rubrics' });
    await vi.waitFor(() => expect(projecteval.hits).toHaveLength(1), { timeout: 3_000, interval: 5 });
    const refused = await h.inject({ method: 'GET', url: '/api/v1/projecteval/rubrics' });
    release();
    expect(expectError(refused, 503, 'SERVICE_UNAVAILABLE').details).toEqual({ service: 'projecteval', reason: 'circuit_open' });
    expect(refused.headers['retry-after']).toBe('1');
    expectOk(await trial, 200);
    expect(await circuitOf('projecteval')).toBe('closed');
    expect(projecteval.hits).toHaveLength(1);
    projecteval.ready = true;
  });
});

describe('timeouts and retries', () => {
  it('when an upstream hangs, then 504 GATEWAY_TIMEOUT at the attempt timeout for a POST (never retried)', async () => {
    const pe = fakes.upstreams.projecteval;
    pe.handle = () => undefined;
    const started = Date.now();
    const res = await h.inject({ method: 'POST', url: '/api/v1/projecteval/rubrics', payload: {} });
    const elapsed = Date.now() - started;
    expect(expectError(res, 504, 'GATEWAY_TIMEOUT').details).toEqual({ service: 'projecteval' });
    expect(elapsed).toBeGreaterThanOrEqual(ATTEMPT_MS - 10);
    // Upper bounds leave room for event-loop lag when the whole suite shares two cores.
    expect(elapsed).toBeLessThan(ATTEMPT_MS + 700);
    expect(pe.hits).toHaveLength(1);
  });

  it('when a GET hangs, then it is retried within the deadline and answered 504 once the deadline is spent', async () => {
    const pe = fakes.upstreams.notification;
    pe.handle = () => undefined;
    const started = Date.now();
    const res = await h.inject({ method: 'GET', url: '/api/v1/notifications' });
    const elapsed = Date.now() - started;
    expectError(res, 504, 'GATEWAY_TIMEOUT');
    expect(pe.hits.length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeLessThan(700 + 600);
  });

  it('when a GET meets a 503, then it is retried and the client gets the second answer; a POST is not retried', async () => {
    const att = fakes.upstreams.attendance;
    let calls = 0;
    att.handle = (req, res, body) => {
      calls += 1;
      if (calls === 1) res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      else echo(req, res, body);
    };
    const res = await h.inject({ method: 'GET', url: '/api/v1/attendance/classes?date=2026-03-02' });
    expect(expectOk(res, 200).url).toBe('/api/v1/attendance/classes?date=2026-03-02');
    expect(att.hits.map((h) => h.method)).toEqual(['GET', 'GET']);

    att.hits.length = 0;
    att.handle = (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(envelope500.replace('INTERNAL_ERROR', 'SERVICE_UNAVAILABLE'));
    const post = await h.inject({ method: 'POST', url: '/api/v1/attendance/records', payload: { x: 1 } });
    expect(post.statusCode).toBe(503);
    expect(post.json().error.code).toBe('SERVICE_UNAVAILABLE');
    expect(att.hits).toHaveLength(1);
  });

  it('when a PUT with a small body meets a reset connection, then the buffered body is replayed on the retry', async () => {
    const users = fakes.upstreams.users;
    let calls = 0;
    users.handle = (req, res, body) => {
      calls += 1;
      if (calls === 1) req.socket.destroy();
      else echo(req, res, body);
    };
    const res = await h.inject({ method: 'PUT', url: '/api/v1/users/9', payload: { name: 'Ana' } });
    expect(expectOk(res, 200)).toMatchObject({ method: 'PUT', length: 14 });
    expect(users.hits.map((h) => h.body.toString())).toEqual(['{"name":"Ana"}', '{"name":"Ana"}']);
  });
});

describe('upstream 5xx bodies (R7)', () => {
  it('when an upstream answers 500 with an error envelope, then it passes through unchanged', async () => {
    fakes.upstreams.ai.handle = (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(envelope500);
    const res = await h.inject({ method: 'POST', url: '/api/v1/ai/chat', payload: {} });
    expect(res.statusCode).toBe(500);
    expect(res.body).toBe(envelope500);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(envelope500)));
  });

  it('when an upstream answers 502 with an empty body, then the gateway answers its own 502 envelope', async () => {
    fakes.upstreams.ai.handle = (_req, res) => res.writeHead(502).end();
    const res = await h.inject({ method: 'POST', url: '/api/v1/ai/chat', payload: {} });
    expect(expectError(res, 502, 'BAD_GATEWAY').details).toEqual({ service: 'ai', reason: 'upstream_502' });
  });

  it('when an upstream answers 4xx, then it passes through as is and does not count against the breaker', async () => {
    fakes.upstreams.ai.handle = (_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
    for (let i = 0; i < VOLUME + 2; i++) {
      const res = await h.inject({ method: 'GET', url: '/api/v1/ai/conversations/x' });
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('nope');
    }
    expect(await circuitOf('ai')).toBe('closed');
  });
});
