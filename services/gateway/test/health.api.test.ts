import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '@sicora/platform/server';
import { UPSTREAM_NAMES } from '@sicora/platform/services';
import type { TestDatabase } from '@sicora/platform/testing/db';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { awaitFirstProbe } from '../src/app.ts';
import type { FakePlatform } from './fake-upstreams.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let db: TestDatabase;
let fakes: FakePlatform;
let app: App;

beforeAll(async () => {
  h = await createHarness({ GATEWAY_PROBE_INTERVAL_MS: '100', GATEWAY_INCIDENT_AFTER_MS: '500' });
  ({ db, fakes, app } = h);
});

afterAll(async () => {
  await h?.close();
});

const health = () => app.inject({ method: 'GET', url: '/health' });

describe('gateway platform routes', () => {
  it('when the gateway starts, then its migrations created the gateway schema and liveness and readiness answer', async () => {
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['__drizzle_migrations', 'outbox', 'seed_runs', 'services', 'routes', 'rate_limit_policies', 'config_versions', 'service_health_history', 'request_logs', 'openapi_cache']),
    );
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok', service: 'gateway' });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', service: 'gateway', checks: { database: 'ok', config: 'ok', jwks: 'ok' } });
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).json().paths['/health']).toBeDefined();
  });

  it('when the first probe round is done and every upstream is ready, then /health is 200 healthy with all eight up', async () => {
    const first = await awaitFirstProbe(app);
    expect(first.summary).toEqual({ up: 8, down: 0, disabled: 0, total: 8 });
    const res = await vi.waitFor(async () => {
      const r = await health();
      expect(r.statusCode).toBe(200);
      return r;
    }, { timeout: 3_000, interval: 25 });
    const report = expectOk(res, 200);
    expect(report).toMatchObject({ status: 'healthy', gateway: { database: 'ok', jwks: 'ok', config_version: 1 } });
    expect(report.gateway.redis).toBe(process.env.REDIS_URL ? 'ok' : 'not_configured');
    expect(report.services.map((s: { name: string }) => s.name)).toEqual([...UPSTREAM_NAMES]);
    expect(report.services).toHaveLength(8);
    // US-GW-13: every one of the eight with its latency and a closed circuit.
    for (const s of report.services) {
      expect(typeof s.latency_ms).toBe('number');
      expect(s.circuit).toBe('closed');
    }
    const users = report.services.find((s: { name: string }) => s.name === 'users');
    expect(users).toMatchObject({ display_name: 'Usuarios', status: 'up', critical: true, circuit: 'closed' });
    expect(typeof users.latency_ms).toBe('number');
    expect(Number.isNaN(Date.parse(users.checked_at))).toBe(false);
    expect(JSON.stringify(report)).not.toContain('127.0.0.1');
  });

  it('US-GW-13: when only ai is down, then /health is 207 degraded', async () => {
    fakes.upstreams.ai.ready = false;
    const report = await vi.waitFor(async () => {
      const r = expectOk(await health(), 207);
      expect(r.services.find((s: { name: string }) => s.name === 'ai').status).toBe('down');
      return r;
    }, { timeout: 3_000, interval: 25 });
    expect(report.status).toBe('degraded');
    expect(report.services.find((s: { name: string }) => s.name === 'ai')).toMatchObject({ status: 'down', critical: false });
    expect(report.services.filter((s: { status: string }) => s.status !== 'up').map((s: { name: string }) => s.name)).toEqual(['ai']);
    expect(report.summary).toMatchObject({ up: 7, down: 1 });
    fakes.upstreams.ai.ready = true;
    await vi.waitFor(async () => expectOk(await health(), 200), { timeout: 3_000, interval: 25 });
  });

  it('US-GW-13: when users is down, then /health is 503 SERVICE_UNAVAILABLE with the report in error.details and users down', async () => {
    await fakes.upstreams.users.stop();
    try {
      const error = await vi.waitFor(async () => {
        const e = expectError(await health(), 503, 'SERVICE_UNAVAILABLE');
        expect((e.details as { services: Array<{ name: string; status: string }> }).services.find((s) => s.name === 'users')?.status).toBe('down');
        return e;
      }, { timeout: 3_000, interval: 25 });
      const report = error.details as { status: string; services: Array<{ name: string; status: string; critical: boolean }> };
      expect(report.status).toBe('unhealthy');
      expect(report.services.find((s) => s.name === 'users')).toMatchObject({ status: 'down', critical: true });
    } finally {
      await fakes.upstreams.users.start();
    }
    await vi.waitFor(async () => expectOk(await health(), 200), { timeout: 3_000, interval: 25 });
  });

  it('when another critical service (attendance) is down, then /health is 503 as well', async () => {
    await fakes.upstreams.attendance.stop();
    const error = await vi.waitFor(async () => expectError(await health(), 503, 'SERVICE_UNAVAILABLE'), { timeout: 3_000, interval: 25 });
    const report = error.details as { status: string; services: Array<{ name: string; status: string }> };
    expect(report.status).toBe('unhealthy');
    expect(report.services.find((s) => s.name === 'attendance')?.status).toBe('down');
    await fakes.upstreams.attendance.start();
    await vi.waitFor(async () => expectOk(await health(), 200), { timeout: 3_000, interval: 25 });
  });
});

describe('US-GW-13 and US-GW-14 probes, not fan-outs; incidents notify once', () => {
  it('when /health is called 1 000 times, then each upstream only received its regular probes', async () => {
    const before = fakes.upstreams.kb.probes;
    const started = Date.now();
    await Promise.all(Array.from({ length: 1_000 }, () => health()));
    const elapsedIntervals = Math.ceil((Date.now() - started) / 100) + 1;
    expect(fakes.upstreams.kb.probes - before).toBeLessThanOrEqual(elapsedIntervals);
  });

  it('when a critical service stays down past the incident delay, then one service_down outbox entry exists; recovery adds one service_recovered; a second outage a new pair', async () => {
    const count = async (type: string) =>
      (await db.query<{ n: number }>("select count(*)::int as n from gateway.outbox where body->>'type' = $1 and body->'data'->>'service_name' = 'schedules'", [type]))[0].n;
    for (let round = 1; round <= 2; round++) {
      fakes.upstreams.schedules.ready = false;
      await vi.waitFor(async () => expect(await count('gateway.service_down')).toBe(round), { timeout: 5_000, interval: 100 });
      await new Promise((r) => setTimeout(r, 400));
      expect(await count('gateway.service_down')).toBe(round);
      fakes.upstreams.schedules.ready = true;
      await vi.waitFor(async () => expect(await count('gateway.service_recovered')).toBe(round), { timeout: 5_000, interval: 100 });
    }
    const [row] = await db.query<{ body: { priority: string; target_roles: string[]; data: { display_name: string; status_page_url: string } }; idempotency_key: string }>(
      "select body, idempotency_key from gateway.outbox where body->>'type' = 'gateway.service_down' and body->'data'->>'service_name' = 'schedules' order by created_at limit 1",
    );
    expect(row.body).toMatchObject({ priority: 'high', target_roles: ['admin'], data: { display_name: 'Horarios' } });
    expect(row.body.data.status_page_url).toBe('http://localhost:8000/api/v1/gateway/status/page');
    expect(row.idempotency_key).toMatch(/^gateway:gateway\.service_down:schedules:\d+$/);
  });
});
