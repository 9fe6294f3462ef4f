/**
 * Acceptance criteria of gateway.md §9 that the broader suites only approach: each test here follows one
 * criterion's wording (US-GW-01, -10, -11, -12, -17) with the seeded timings of R29 and the real breaker
 * volume (20, 50 %); only the open → half-open delay is shortened, and probes are paused so that only
 * client requests move the breaker.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { echo, resetUpstreams, sha256 } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

const RESET_MS = 1_500;
let h: Harness;

beforeAll(async () => {
  // Five minutes between probe rounds (the maximum): after the first round at start no probe runs during the tests.
  h = await createHarness({ GATEWAY_BREAKER_RESET_MS: String(RESET_MS), GATEWAY_PROBE_INTERVAL_MS: '300000' });
});
afterAll(async () => h?.close());

beforeEach(() => resetUpstreams(h.fakes));

const envelope500 = JSON.stringify({
  success: false,
  error: { code: 'INTERNAL_ERROR', message: 'Error interno del servidor' },
  meta: { timestamp: '2026-03-02T10:00:00.000Z', request_id: 'upstream-id-0001' },
});

/** Over a real socket, timed from the client's side. */
async function call(method: string, path: string, token = h.adminToken) {
  const started = performance.now();
  const res = await request(`${h.origin}${path}`, { method: method as 'GET', headers: { authorization: `Bearer ${token}` } });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text), ms: performance.now() - started };
}

const circuit = async (service: string) =>
  expectOk(await h.inject({ method: 'GET', url: `/api/v1/gateway/services/${service}` }), 200).circuit as { state: string };

const metricSum = (text: string, name: string, labels: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

describe('US-GW-01 one address, no rewriting', () => {
  it('US-GW-01: when GET /api/v1/groups/abc?x=1&y=%C3%B1 is sent, then schedules receives exactly that path and query and the client gets its status, headers and body', async () => {
    const answer = JSON.stringify({ success: true, message: 'ok', data: { id: 'abc' }, meta: { timestamp: '2026-03-02T10:00:00.000Z', request_id: 'x' } });
    h.fakes.upstreams.schedules.handle = (_req, res) => res.writeHead(203, { 'content-type': 'application/json; charset=utf-8', 'x-sicora-test': 'uno', etag: '"v7"' }).end(answer);
    const res = await call('GET', '/api/v1/groups/abc?x=1&y=%C3%B1');
    expect(h.fakes.upstreams.schedules.hits.map((x) => x.url)).toEqual(['/api/v1/groups/abc?x=1&y=%C3%B1']);
    expect(res.status).toBe(203);
    expect(res.headers['x-sicora-test']).toBe('uno');
    expect(res.headers.etag).toBe('"v7"');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe(answer);
  });

  it('US-GW-01: when POST /api/v1/kb/items carries a 300 KB JSON body, then kb receives the same bytes', async () => {
    const body = Buffer.from(JSON.stringify({ title: 'Guía', body: 'ñandú á é í ó ú '.repeat(20_000) }).slice(0, 300_000));
    expect(body.length).toBeGreaterThanOrEqual(300_000);
    const res = await h.inject({ method: 'POST', url: '/api/v1/kb/items', headers: { 'content-type': 'application/json' }, payload: body });
    expect(expectOk(res, 200)).toMatchObject({ length: body.length, sha256: sha256(body) });
    expect(h.fakes.upstreams.kb.hits[0].body.equals(body)).toBe(true);
  });

  it('US-GW-01: when GET /api/v2/anything is sent, then 404 ROUTE_NOT_FOUND in the envelope with X-Request-Id', async () => {
    const res = await call('GET', '/api/v2/anything');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ success: false, error: { code: 'ROUTE_NOT_FOUND' } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().meta.request_id).toBe(res.headers['x-request-id']);
  });
});

describe('US-GW-11 safe retries', () => {
  it('US-GW-11: when the upstream resets the first connection, then a GET gets 200 with gateway_retries_total 1; a POST gets 502 BAD_GATEWAY and the upstream saw one request', async () => {
    const evalin = h.fakes.upstreams.evalin;
    let calls = 0;
    evalin.handle = (req, res, body) => {
      calls += 1;
      if (calls === 1) req.socket.destroy();
      else echo(req, res, body);
    };
    const before = metricSum((await h.inject({ method: 'GET', url: '/metrics' })).body, 'gateway_retries_total', 'service="evalin"');
    expect(expectOk(await h.inject({ method: 'GET', url: '/api/v1/evalin/questionnaires' }), 200).url).toBe('/api/v1/evalin/questionnaires');
    expect(evalin.hits).toHaveLength(2);
    const after = metricSum((await h.inject({ method: 'GET', url: '/metrics' })).body, 'gateway_retries_total', 'service="evalin"');
    expect(after - before).toBe(1);

    evalin.hits.length = 0;
    evalin.handle = (req) => req.socket.destroy();
    const post = await h.inject({ method: 'POST', url: '/api/v1/evalin/responses', payload: { a: 1 } });
    expect(expectError(post, 502, 'BAD_GATEWAY').details).toMatchObject({ service: 'evalin' });
    expect(evalin.hits).toHaveLength(1);
  });

  it('US-GW-11: when the upstream answers 503 twice then 200 to a GET, then 200 after 3 attempts; a 500 envelope passes through after 1 attempt', async () => {
    const notification = h.fakes.upstreams.notification;
    let calls = 0;
    notification.handle = (req, res, body) => {
      calls += 1;
      if (calls <= 2) res.writeHead(503, { 'content-type': 'text/plain' }).end('ocupado');
      else echo(req, res, body);
    };
    expectOk(await h.inject({ method: 'GET', url: '/api/v1/notifications/inbox' }), 200);
    expect(notification.hits).toHaveLength(3);

    notification.hits.length = 0;
    notification.handle = (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(envelope500);
    const res = await h.inject({ method: 'GET', url: '/api/v1/notifications/inbox' });
    expect(res.statusCode).toBe(500);
    expect(res.body).toBe(envelope500);
    expect(notification.hits).toHaveLength(1);
  });
});

describe('US-GW-12 timeouts and dead services', () => {
  it("US-GW-12: when schedules' port is closed, then GET /api/v1/groups is a 502 BAD_GATEWAY envelope naming schedules in < 1 s", async () => {
    await h.fakes.upstreams.schedules.stop();
    try {
      const res = await call('GET', '/api/v1/groups');
      expect(res.status).toBe(502);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'BAD_GATEWAY', details: { service: 'schedules' } } });
      expect(res.ms).toBeLessThan(1_000);
    } finally {
      await h.fakes.upstreams.schedules.start();
    }
  });

  it('US-GW-12: when an upstream answers 500 with an HTML body, then 502 BAD_GATEWAY envelope; with an envelope 500 body, then that 500 unchanged', async () => {
    const attendance = h.fakes.upstreams.attendance;
    attendance.handle = (_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal Server Error</body></html>');
    const html = await call('GET', '/api/v1/attendance/classes');
    expect(html.status).toBe(502);
    expect(html.json()).toMatchObject({ success: false, error: { code: 'BAD_GATEWAY', details: { service: 'attendance' } } });
    expect(html.text).not.toContain('<html>');

    attendance.handle = (_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end(envelope500);
    const env = await call('GET', '/api/v1/attendance/classes');
    expect(env.status).toBe(500);
    expect(env.text).toBe(envelope500);
  });
});

describe('US-GW-10 circuit breaker: half-open trial', () => {
  it('US-GW-10: when the upstream is restored with probes paused, then before the reset timeout nothing reaches it; after it one trial of 10 concurrent requests is forwarded and its success closes the circuit', async () => {
    // projecteval: no other test here sends it traffic, so its breaker window starts empty.
    const projecteval = h.fakes.upstreams.projecteval;
    await projecteval.stop();
    // 20 POSTs (never retried) fail: the real volume threshold with 100 % failures opens the circuit.
    for (let i = 0; i < 20; i++) expectError(await h.inject({ method: 'POST', url: '/api/v1/projecteval/rubrics', payload: {} }), 502, 'BAD_GATEWAY');
    expect((await circuit('projecteval')).state).toBe('open');
    await projecteval.start();

    // Restored, but the reset timeout has not passed: answered at once, nothing forwarded.
    const early = await call('GET', '/api/v1/projecteval/rubrics');
    expect(early.status).toBe(503);
    expect(early.json().error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { service: 'projecteval', reason: 'circuit_open' } });
    expect(projecteval.hits).toHaveLength(0);

    // The reset timeout passes on the gateway's clock, not by sleeping through it.
    h.clock.advance(RESET_MS + 100);
    // The trial is slow enough that the 9 others arrive while it is in flight.
    projecteval.handle = (req, res, body) => void setTimeout(() => echo(req, res, body), 300);
    const answers = await Promise.all(Array.from({ length: 10 }, () => call('GET', '/api/v1/projecteval/rubrics')));
    expect(projecteval.hits).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(9);
    for (const r of refused) expect(r.json().error.details).toEqual({ service: 'projecteval', reason: 'circuit_open' });
    expect((await circuit('projecteval')).state).toBe('closed');
    projecteval.handle = echo;
    expect((await call('GET', '/api/v1/projecteval/rubrics')).status).toBe(200);
  }, 20_000);
});

describe('US-GW-17 metrics', () => {
  it('US-GW-17: when two services had traffic and one request was refused 429, then /metrics from 127.0.0.1 has the kb upstream histogram, the kb route label and one user-policy rejection', async () => {
    const user = await h.token({ role: 'instructor' });
    expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/user', payload: { limit: 2 } }), 200);
    try {
      expect((await call('GET', '/api/v1/kb/items', user)).status).toBe(200);
      expect((await call('GET', '/api/v1/groups', user)).status).toBe(200);
      const refused = await call('GET', '/api/v1/kb/items', user);
      expect(refused.status).toBe(429);
    } finally {
      expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/rate-limit-policies/user', payload: { limit: 600 } }), 200);
    }
    // Straight from loopback, no token.
    const res = await request(`${h.origin}/metrics`);
    expect(res.statusCode).toBe(200);
    const metrics = await res.body.text();
    expect(metrics).toMatch(/gateway_upstream_duration_seconds_bucket\{[^}]*service="kb"[^}]*\}/);
    expect(metrics).toMatch(/gateway_upstream_duration_seconds_bucket\{[^}]*service="schedules"[^}]*\}/);
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="kb"[^}]*\}/);
    expect(metrics).toMatch(/^gateway_rate_limit_rejections_total\{policy="user"[^}]*\} 1$/m);
  });

  it('US-GW-17: when /metrics comes from a non-allowed address without a token, then 403; with an admin token, then 200', async () => {
    const outside = { 'x-forwarded-for': '198.51.100.7' };
    const anonymous = await request(`${h.origin}/metrics`, { headers: outside });
    expect(anonymous.statusCode).toBe(403);
    expect(((await anonymous.body.json()) as { error: { code: string } }).error.code).toBe('INSUFFICIENT_PERMISSIONS');
    const admin = await request(`${h.origin}/metrics`, { headers: { ...outside, authorization: `Bearer ${h.adminToken}` } });
    expect(admin.statusCode).toBe(200);
    expect(await admin.body.text()).toContain('gateway_config_version');
  });
});
