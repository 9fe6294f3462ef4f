/**
 * US-GW-10, last criterion: a circuit forced open through V5 on one instance reaches every other instance
 * within 6 s (R43: the forced state is stored in the configuration, which each instance polls every 5 s,
 * R41). Two gateways share one database and the same fake upstreams; the poll keeps its default interval.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@sicora/platform/server';
import { expectError, expectOk } from '@sicora/platform/testing/http';

import { createHarness, startGateway, type Harness } from './harness.ts';

let h: Harness;
let b: App;

beforeAll(async () => {
  h = await createHarness();
  ({ app: b } = await startGateway(h.fakes, h.db));
  await vi.waitFor(() => expect(b.gatewayRuntime.hasKeys()).toBe(true), { timeout: 5_000, interval: 25 });
});
afterAll(async () => {
  await b?.close();
  await h?.close();
});

const kbOn = (app: App) => app.inject({ method: 'GET', url: '/api/v1/kb/items', headers: { authorization: `Bearer ${h.adminToken}` } });

describe('US-GW-10 forced circuits on every instance', () => {
  it('US-GW-10: when V5 force_open is sent for kb on instance A, then kb answers 503 at once on A and on B within 6 s; reset restores both', async () => {
    expectOk(await kbOn(h.app), 200);
    expectOk(await kbOn(b), 200);
    const kb = h.fakes.upstreams.kb;

    expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/services/kb/circuit', payload: { action: 'force_open' } }), 200);
    const forcedAt = Date.now();
    kb.hits.length = 0;
    expect(expectError(await kbOn(h.app), 503, 'SERVICE_UNAVAILABLE').details).toMatchObject({ service: 'kb', reason: 'circuit_open' });
    expect(kb.hits).toHaveLength(0);
    // B keeps forwarding until its next poll of the configuration version.
    await vi.waitFor(async () => expectError(await kbOn(b), 503, 'SERVICE_UNAVAILABLE'), { timeout: 6_000, interval: 100 });
    expect(Date.now() - forcedAt).toBeLessThan(6_000);
    const reached = kb.hits.length;
    expectError(await kbOn(b), 503, 'SERVICE_UNAVAILABLE');
    expect(kb.hits).toHaveLength(reached);
    expect(expectOk(await b.inject({ method: 'GET', url: '/api/v1/gateway/services/kb', headers: { authorization: `Bearer ${h.adminToken}` } }), 200).circuit.state).toBe('forced_open');

    expectOk(await h.inject({ method: 'POST', url: '/api/v1/gateway/services/kb/circuit', payload: { action: 'reset' } }), 200);
    const resetAt = Date.now();
    expectOk(await kbOn(h.app), 200);
    await vi.waitFor(async () => expectOk(await kbOn(b), 200), { timeout: 6_000, interval: 100 });
    expect(Date.now() - resetAt).toBeLessThan(6_000);
  }, 30_000);
});
