import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { closeGracefully } from '@sicora/platform/lifecycle';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let closed = false;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  if (!closed) await h?.close();
  else {
    await h.fakes.stopAll();
    await h.db.destroy();
  }
});

describe('US-GW-23 graceful shutdown', () => {
  it('when 20 requests lasting 2 s are in flight at SIGTERM, then all complete, readiness is 503 at once, the process is done within 12 s and the log buffer is flushed', async () => {
    h.fakes.upstreams.kb.handle = (req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"message":"ok","data":{}}'), 2_000);
    };
    const inflight = Array.from({ length: 20 }, (_, i) =>
      request(`${h.origin}/api/v1/kb/items`, { headers: { authorization: `Bearer ${h.adminToken}`, 'x-request-id': `apagado-${String(i).padStart(4, '0')}` } }).then(async (r) => {
        await r.body.dump();
        return r.statusCode;
      }),
    );
    while (h.fakes.upstreams.kb.hits.length < 20) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    // The close `sicora serve gateway` and `sicora start` run on SIGTERM: the gateway's drain, then the close.
    const shutdown = closeGracefully(h.app);
    const ready = await request(`${h.origin}/health/ready`);
    expect(ready.statusCode).toBe(503);
    await ready.body.dump();
    expect(await Promise.all(inflight)).toEqual(Array(20).fill(200));
    await shutdown;
    closed = true;
    expect(Date.now() - started).toBeLessThan(12_000);
    const rows = await h.db.query<{ n: number }>("select count(*)::int as n from gateway.request_logs where request_id like 'apagado-%'");
    expect(rows[0].n).toBe(20);
  }, 20_000);
});
