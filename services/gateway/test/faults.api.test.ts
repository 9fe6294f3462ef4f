import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { expectError, expectOk } from '@sicora/platform/testing/http';

import { createHarness, type Harness } from './harness.ts';

const RESET_MS = 1_500;
let h: Harness;

beforeAll(async () => {
  // Real breaker thresholds (volume 20, 50 %); only the open → half-open delay is shortened to keep the test bounded.
  h = await createHarness({ GATEWAY_BREAKER_RESET_MS: String(RESET_MS), GATEWAY_PROBE_INTERVAL_MS: '200' });
});
afterAll(async () => h?.close());

const get = async (path: string) => {
  const started = performance.now();
  const res = await request(`${h.origin}${path}`, { headers: { authorization: `Bearer ${h.adminToken}` } });
  const body = (await res.body.json()) as { success: boolean; error?: { code: string; details?: { reason?: string } } };
  return { status: res.statusCode, body, ms: performance.now() - started, retryAfter: res.headers['retry-after'], at: Date.now() };
};

describe('US-GW-10 fault: an upstream killed mid-load', () => {
  it('when attendance dies under 50 req/s, then its circuit opens within 1 s, callers get fast 503s while kb answers, and after it returns a probe closes the circuit', async () => {
    const results: Array<Awaited<ReturnType<typeof get>>> = [];
    const kb: number[] = [];
    // Load on both services before and after the kill.
    const load = async (ms: number) => {
      const until = Date.now() + ms;
      const pending: Array<Promise<unknown>> = [];
      while (Date.now() < until) {
        pending.push(get('/api/v1/attendance/classes').then((r) => results.push(r)));
        pending.push(get('/api/v1/kb/items').then((r) => kb.push(r.status)));
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(pending);
    };
    await load(300);
    expect(results.every((r) => r.status === 200)).toBe(true);
    results.length = 0;
    const killedAt = Date.now();
    await h.fakes.upstreams.attendance.stop();
    await load(1_200);
    const firstOpen = Math.min(...results.filter((r) => r.body.error?.details?.reason === 'circuit_open').map((r) => r.at));
    expect(firstOpen - killedAt).toBeLessThan(1_000);
    const fast = await get('/api/v1/attendance/classes');
    expect(fast.status).toBe(503);
    expect(fast.body.error?.code).toBe('SERVICE_UNAVAILABLE');
    // Answered at once, without an attempt (a connect attempt to a dead port or a timeout would show here).
    expect(fast.body.error?.details?.reason).toBe('circuit_open');
    expect(fast.ms).toBeLessThan(250);
    expect(Number(fast.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(fast.retryAfter)).toBeLessThanOrEqual(30);
    expect(results.filter((r) => r.status === 503).every((r) => r.body.error?.code === 'SERVICE_UNAVAILABLE')).toBe(true);
    expect(kb.every((s) => s === 200)).toBe(true);
    expect((await h.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/gateway_circuit_state\{service="attendance"[^}]*\} 2/);
    expect(expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/status' }), 200).services.find((s: { name: string }) => s.name === 'attendance').circuit.state).toBe('open');

    await h.fakes.upstreams.attendance.start();
    // The reset timeout passes on the gateway's clock; the next probe then closes the circuit.
    h.clock.advance(RESET_MS);
    await vi.waitFor(async () => expect((await get('/api/v1/attendance/classes')).status).toBe(200), { timeout: RESET_MS + 2_000, interval: 100 });
    expect((await h.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/gateway_circuit_state\{service="attendance"[^}]*\} 0/);
  }, 20_000);

  it('when 19 POSTs fail within the window, then the circuit stays closed (volume threshold)', async () => {
    h.fakes.upstreams.evalin.handle = (_req, res) => res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>caído</h1>');
    for (let i = 0; i < 19; i++) {
      const res = await h.inject({ method: 'POST', url: '/api/v1/evalin/responses', payload: {} });
      expectError(res, 502, 'BAD_GATEWAY');
    }
    expect(h.fakes.upstreams.evalin.hits).toHaveLength(19);
    expect(expectOk(await h.inject({ method: 'GET', url: '/api/v1/gateway/services/evalin' }), 200).circuit).toMatchObject({ state: 'closed', window_requests: 19, failure_ratio: 1 });
  });
});

describe('US-GW-11 fault: an upstream hanging', () => {
  it('when attempt timeout is 1 s and deadline 2 s and the upstream never answers, then 504 GATEWAY_TIMEOUT after 2–2.2 s with at most 2 attempts', async () => {
    expectOk(await h.inject({ method: 'PATCH', url: '/api/v1/gateway/services/notification', payload: { attempt_timeout_ms: 1_000, deadline_ms: 2_000 } }), 200);
    h.fakes.upstreams.notification.handle = () => undefined;
    const started = performance.now();
    const res = await h.inject({ method: 'GET', url: '/api/v1/notifications' });
    const elapsed = performance.now() - started;
    expect(expectError(res, 504, 'GATEWAY_TIMEOUT').details).toEqual({ service: 'notification' });
    expect(elapsed).toBeGreaterThanOrEqual(1_950);
    expect(elapsed).toBeLessThan(2_300);
    expect(h.fakes.upstreams.notification.hits.length).toBeLessThanOrEqual(2);
  });
});
