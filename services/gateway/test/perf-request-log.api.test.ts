import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

describe('request-log batches as one jsonb parameter (R47)', () => {
  it('when a batch is written, then every row arrives with its fields intact, and a NUL in a query key does not fail the batch', async () => {
    const stamp = Date.now();
    const ids = Array.from({ length: 30 }, (_, i) => `perf-log-${stamp}-${i}`);
    const user = await h.token({ role: 'instructor', sub: '7d3c2b1a-0f9e-4d8c-b7a6-958473625140' });
    await Promise.all(
      ids.map((id, i) =>
        h.inject({
          method: i === 0 ? 'POST' : 'GET',
          url: i === 0 ? '/api/v1/kb/items?a%00b=1&c=2' : `/api/v1/kb/items?page=${i}&q=x`,
          auth: user,
          headers: { 'x-request-id': id, 'x-forwarded-for': '203.0.113.45', 'user-agent': 'prueba/1.0 ñandú' },
          payload: i === 0 ? { nombre: 'Guía' } : undefined,
        }),
      ),
    );
    const rows = await vi.waitFor(
      async () => {
        const found = await Promise.all(ids.map(async (id) => expectOk(await h.inject({ method: 'GET', url: `/api/v1/gateway/request-logs/${id}` }), 200)[0]));
        return found as Array<Record<string, unknown>>;
      },
      { timeout: 5_000, interval: 200 },
    );
    expect(rows[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/kb/items',
      query_keys: ['ab', 'c'],
      route_name: 'kb',
      service: 'kb',
      status: 200,
      outcome: 'ok',
      error_code: null,
      attempts: 1,
      circuit_state: 'closed',
      user_id: '7d3c2b1a-0f9e-4d8c-b7a6-958473625140',
      role: 'instructor',
      ip_masked: '203.0.113.0/24',
      user_agent: 'prueba/1.0 ñandú',
    });
    expect(Date.parse(rows[0].occurred_at as string)).toBeGreaterThan(stamp - 60_000);
    expect(typeof rows[0].duration_ms).toBe('number');
    expect(typeof rows[0].upstream_ms).toBe('number');
    for (const row of rows.slice(1)) expect(row).toMatchObject({ method: 'GET', query_keys: ['page', 'q'], status: 200 });
  });
});
