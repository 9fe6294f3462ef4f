import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { request } from 'undici';
import { expectOk } from '@sicora/platform/testing/http';
import { resetUpstreams } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());
beforeEach(() => resetUpstreams(h.fakes));

/** Sends a GET over a real socket and aborts it once `when` resolves; resolves the client's error. */
async function abortedGet(path: string, requestId: string, when: () => Promise<unknown>): Promise<unknown> {
  const controller = new AbortController();
  const pending = request(`${h.origin}${path}`, {
    signal: controller.signal,
    headers: { authorization: `Bearer ${h.adminToken}`, 'x-request-id': requestId },
  })
    .then(async (res) => {
      // Headers arrived: keep reading the body until the abort cuts it.
      for await (const _chunk of res.body) void _chunk;
      return 'completed';
    })
    .catch((err: unknown) => err);
  await when();
  controller.abort();
  return pending;
}

async function logRow(requestId: string) {
  const rows = await vi.waitFor(async () => expectOk(await h.inject({ method: 'GET', url: `/api/v1/gateway/request-logs/${requestId}` }), 200), { timeout: 5_000, interval: 100 });
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

describe('R33 client disconnects', () => {
  it('when the client disconnects while a slow upstream has not answered, then the upstream request is aborted and the log row says client_aborted with status 499', async () => {
    let upstreamAborted = false;
    h.fakes.upstreams.kb.handle = (_req, res) => {
      res.on('close', () => (upstreamAborted = !res.writableFinished));
    };
    const id = `abort-wait-${Date.now()}`;
    const outcome = await abortedGet('/api/v1/kb/items/slow', id, () => vi.waitFor(() => expect(h.fakes.upstreams.kb.hits).toHaveLength(1), { timeout: 3_000, interval: 25 }));
    expect(outcome).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(upstreamAborted).toBe(true), { timeout: 3_000, interval: 25 });
    const row = await logRow(id);
    expect(row).toMatchObject({ status: 499, outcome: 'client_aborted', error_code: null, attempts: 1, route_name: 'kb', service: 'kb' });
    // The upstream did nothing wrong: its breaker saw no failure.
    expect(h.app.gatewayRuntime.circuits.get('kb')!.stats().failureRatio).toBe(0);
  });

  it('when the client disconnects while the upstream body is still streaming, then the upstream response is torn down and the log row says client_aborted with status 499', async () => {
    let upstreamAborted = false;
    let firstChunkSent: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (firstChunkSent = resolve));
    h.fakes.upstreams.kb.handle = (_req, res) => {
      res.on('close', () => (upstreamAborted = !res.writableFinished));
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: primero\n\n', () => firstChunkSent());
    };
    const id = `abort-stream-${Date.now()}`;
    const outcome = await abortedGet('/api/v1/kb/items/stream', id, () => started.then(() => new Promise((r) => setTimeout(r, 100))));
    expect(outcome).toBeInstanceOf(Error);
    await vi.waitFor(() => expect(upstreamAborted).toBe(true), { timeout: 3_000, interval: 25 });
    const row = await logRow(id);
    expect(row).toMatchObject({ status: 499, outcome: 'client_aborted', attempts: 1 });
  });
});
