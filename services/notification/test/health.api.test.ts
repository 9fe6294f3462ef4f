import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

let app: App;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  const keys = await createTestKeys();
  const config = loadConfig({ LOG_LEVEL: 'silent', MAIL_SINK_ENABLED: 'false' });
  app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt) });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await db.destroy();
});

describe('notification platform routes', () => {
  it('when the service starts, then its migrations created the notification schema and readiness is ok', async () => {
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'notification' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['__drizzle_migrations', 'outbox', 'seed_runs']));
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', service: 'notification', checks: { database: 'ok', jwks: 'ok' } });
  });

  it('when /health, /metrics and /docs/json are read, then each answers', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', service: 'notification' });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('http_request_duration_seconds');
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).json().openapi).toBe('3.1.0');
  });
});
