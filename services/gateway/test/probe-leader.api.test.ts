import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPool, type Database } from '@sicora/platform/db';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { expectOk } from '@sicora/platform/testing/http';
import { createTestKeys } from '@sicora/platform/testing/keys';
import { startFakePlatform, type FakePlatform } from './fake-upstreams.ts';
import { startGateway } from './harness.ts';

// R56 needs two processes' worth of sessions: PGlite is a single process, where the lock is trivially held.
describe.runIf(process.env.DATABASE_URL)('R56 one prober at a time', () => {
  const INTERVAL = 250;
  let db: TestDatabase;
  let fakes: FakePlatform;
  const pools: Database[] = [];
  const apps: App[] = [];
  const closed = new Set<App>();

  beforeAll(async () => {
    db = await createTestDatabase();
    fakes = await startFakePlatform();
    fakes.upstreams.users.jwks = (await createTestKeys()).jwks;
    const url = (db.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    // Each instance has its own pool, as two gateway processes would.
    for (let i = 0; i < 2; i++) {
      const pool = openPool(url, { max: 5 });
      pools.push(pool);
      apps.push((await startGateway(fakes, pool, { GATEWAY_PROBE_INTERVAL_MS: String(INTERVAL) })).app);
    }
  });

  afterAll(async () => {
    for (const app of apps) if (!closed.has(app)) await app.close();
    for (const pool of pools) await pool.close();
    await fakes?.stopAll();
    await db?.destroy();
  });

  const probesDuring = async (ms: number) => {
    const before = fakes.upstreams.kb.probes;
    await new Promise((r) => setTimeout(r, ms));
    return fakes.upstreams.kb.probes - before;
  };

  it('when two instances run, then only the lock holder probes and both report the shared health rows; when it stops, the other takes over within one interval', async () => {
    await vi.waitFor(() => expect(apps.filter((a) => a.gatewayHealth.leading())).toHaveLength(1), { timeout: 5_000, interval: 25 });
    // One prober: about 2 000 / 250 = 8 probes in 2 s (two probers would send about 16).
    const probes = await probesDuring(2_000);
    expect(probes).toBeGreaterThanOrEqual(4);
    expect(probes).toBeLessThanOrEqual(11);

    // The follower's report comes from the rows the leader wrote.
    fakes.upstreams.kb.ready = false;
    for (const app of apps) {
      await vi.waitFor(async () => {
        const res = await app.inject({ method: 'GET', url: '/health' });
        const report = expectOk(res, 207);
        expect(report.services.find((s: { name: string }) => s.name === 'kb').status).toBe('down');
      }, { timeout: 5_000, interval: 25 });
    }
    fakes.upstreams.kb.ready = true;
    for (const app of apps) await vi.waitFor(async () => expectOk(await app.inject({ method: 'GET', url: '/health' }), 200), { timeout: 5_000, interval: 25 });

    const leader = apps.find((a) => a.gatewayHealth.leading())!;
    const follower = apps.find((a) => a !== leader)!;
    await leader.close();
    closed.add(leader);
    const stoppedAt = Date.now();
    await vi.waitFor(() => expect(follower.gatewayHealth.leading()).toBe(true), { timeout: 3_000, interval: 10 });
    // Within one probe interval (plus the round's own time on a shared machine).
    expect(Date.now() - stoppedAt).toBeLessThanOrEqual(INTERVAL + 250);
    const after = await probesDuring(1_000);
    expect(after).toBeGreaterThanOrEqual(2);
    expect(after).toBeLessThanOrEqual(6);
  }, 30_000);
});
