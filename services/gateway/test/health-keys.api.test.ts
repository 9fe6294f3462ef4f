import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys } from '@sicora/platform/testing/keys';
import { awaitFirstProbe } from '../src/app.ts';
import { startFakePlatform, type FakePlatform } from './fake-upstreams.ts';
import { createTestClock, startGateway } from './harness.ts';

// The interval is far longer than the test: any round after the first is one the keys' arrival started.
const INTERVAL_MS = 300_000;

describe('the first probe round after the gateway loads its keys', () => {
  let db: TestDatabase;
  let fakes: FakePlatform;
  let app: App;
  const clock = createTestClock();

  beforeAll(async () => {
    db = await createTestDatabase();
    fakes = await startFakePlatform();
    // Users is still starting: not ready and no keys yet (as when the gateway starts first).
    fakes.upstreams.users.ready = false;
    ({ app } = await startGateway(fakes, db, { GATEWAY_PROBE_INTERVAL_MS: String(INTERVAL_MS) }, clock));
  });

  afterAll(async () => {
    await app?.close();
    await fakes?.stopAll();
    await db?.destroy();
  });

  const health = () => app.inject({ method: 'GET', url: '/health' });

  it('when users answers and the gateway gets its keys after the first round found users down, then the next round runs at once and /health is 200', async () => {
    const first = await awaitFirstProbe(app);
    expect(first.services.find((s) => s.name === 'users')?.status).toBe('down');
    expect((await health()).statusCode).toBe(503);
    const probesBefore = fakes.upstreams.kb.probes;

    // The gateway's clock moves on an hour: the extra round's report is stamped with it.
    clock.advance(3_600_000);
    fakes.upstreams.users.ready = true;
    fakes.upstreams.users.jwks = (await createTestKeys()).jwks;
    // The gateway retries its keys every 2 s; the next interval round is 5 min away.
    const res = await vi.waitFor(async () => {
      const r = await health();
      expect(r.statusCode).toBe(200);
      return r;
    }, { timeout: 6_000, interval: 50 });
    expect(res.json().data).toMatchObject({ status: 'healthy', gateway: { jwks: 'ok' }, summary: { up: 8, down: 0 } });
    // One extra round, not a round per check: every upstream was probed once more.
    expect(fakes.upstreams.kb.probes).toBe(probesBefore + 1);
    expect(Date.parse(res.json().data.checked_at)).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('when the last report is healthy, then a reprobe runs no round', async () => {
    const before = fakes.upstreams.kb.probes;
    await app.gatewayRuntime.poller.reprobe();
    expect(fakes.upstreams.kb.probes).toBe(before);
  });
});
