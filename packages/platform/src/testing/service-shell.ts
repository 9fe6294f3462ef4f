/**
 * The platform contract every service keeps (00-conventions §1): its migrations create its schema,
 * and `/health`, `/health/ready`, `/metrics` and `/docs/json` answer. One suite, called by each service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier } from '../auth.ts';
import type { BaseConfig, Env } from '../config.ts';
import type { App } from '../server.ts';
import type { ServiceOverrides } from '../service.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { createTestKeys } from './keys.ts';

export interface ShellSuiteOptions {
  name: string;
  loadConfig: (env: Env) => BaseConfig;
  buildApp: (config: never, overrides: ServiceOverrides) => Promise<App>;
  /** Tables the first migration must have created besides the migrations table. */
  tables?: string[];
}

export function platformRoutesSuite(opts: ShellSuiteOptions): void {
  let app: App;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const keys = await createTestKeys();
    const config = opts.loadConfig({ LOG_LEVEL: 'silent' });
    app = await opts.buildApp(config as never, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt) });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  describe(`${opts.name} platform routes`, () => {
    it(`when the service starts, then its migrations created the ${opts.name} schema and readiness is ok`, async () => {
      const tables = await db.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [opts.name],
      );
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['__drizzle_migrations', ...(opts.tables ?? ['outbox', 'seed_runs'])]));
      const res = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ready', service: opts.name, checks: { database: 'ok', jwks: 'ok' } });
    });

    it('when /health, /metrics and /docs/json are read, then each answers', async () => {
      expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', service: opts.name });
      expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('http_request_duration_seconds');
      expect((await app.inject({ method: 'GET', url: '/docs/json' })).json().openapi).toBe('3.1.0');
    });

    it('when a protected path is unknown, then the envelope says NOT_FOUND with the request id', async () => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/${opts.name}/no-such-route`, headers: { 'x-request-id': 'shell-test-0001' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' }, meta: { request_id: 'shell-test-0001' } });
    });
  });
}
