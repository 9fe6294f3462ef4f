import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@sicora/platform/server';
import { UPSTREAM_NAMES } from '@sicora/platform/services';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { awaitFirstProbe, buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { eventually, startFakePlatform, type FakePlatform } from './fake-upstreams.ts';

let db: TestDatabase;
let fakes: FakePlatform;
let app: App;

beforeAll(async () => {
  db = await createTestDatabase();
  fakes = await startFakePlatform();
  app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', ...fakes.env, GATEWAY_PROBE_INTERVAL_MS: '100' }), { database: db });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await fakes?.stopAll();
  await db?.destroy();
});

const health = () => app.inject({ method: 'GET', url: '/health' });

describe('gateway platform routes', () => {
  it('when the gateway starts, then its migrations created the gateway schema and liveness and readiness answer', async () => {
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['__drizzle_migrations', 'outbox', 'seed_runs']));
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok', service: 'gateway' });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', service: 'gateway', checks: { database: 'ok' } });
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).json().paths['/health']).toBeDefined();
  });

  it('when the first probe round is done and every upstream is ready, then /health is 200 healthy with all eight up', async () => {
    const first = await awaitFirstProbe(app);
    expect(first.summary).toEqual({ up: 8, down: 0, disabled: 0, total: 8 });
    const res = await health();
    const report = expectOk(res, 200);
    expect(report).toMatchObject({ status: 'healthy', gateway: { database: 'ok', redis: 'not_configured', jwks: 'not_configured' } });
    expect(report.services.map((s: { name: string }) => s.name)).toEqual([...UPSTREAM_NAMES]);
    const users = report.services.find((s: { name: string }) => s.name === 'users');
    expect(users).toMatchObject({ display_name: 'Usuarios', status: 'up', critical: true, circuit: 'closed' });
    expect(typeof users.latency_ms).toBe('number');
    expect(Number.isNaN(Date.parse(users.checked_at))).toBe(false);
    expect(JSON.stringify(report)).not.toContain('127.0.0.1');
  });

  it('when a non-critical service stops answering ready, then /health is 207 degraded', async () => {
    fakes.upstreams.kb.ready = false;
    const report = await eventually(async () => expectOk(await health(), 207));
    expect(report.status).toBe('degraded');
    expect(report.services.find((s: { name: string }) => s.name === 'kb')).toMatchObject({ status: 'down', critical: false });
    expect(report.summary).toMatchObject({ up: 7, down: 1 });
    fakes.upstreams.kb.ready = true;
    await eventually(async () => expectOk(await health(), 200));
  });

  it('when a critical service is down, then /health is 503 SERVICE_UNAVAILABLE with the report in details', async () => {
    await fakes.upstreams.attendance.stop();
    const error = await eventually(async () => expectError(await health(), 503, 'SERVICE_UNAVAILABLE'));
    const report = error.details as { status: string; services: Array<{ name: string; status: string }> };
    expect(report.status).toBe('unhealthy');
    expect(report.services.find((s) => s.name === 'attendance')?.status).toBe('down');
    await fakes.upstreams.attendance.start();
    await eventually(async () => expectOk(await health(), 200));
  });
});
