/**
 * The platform contract every service keeps (00-conventions §1), run for every manifest: its migrations
 * create its schema, `/health/ready`, `/health`, `/metrics` and `/docs/json` answer, and an unknown path
 * gets the NOT_FOUND envelope. A new service is covered here with no new test code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier } from '@sicora/platform/auth';
import { loadManifests } from '@sicora/platform/manifests';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys } from '@sicora/platform/testing/keys';
import { serviceEntry } from '@sicora/platform/services';

const manifests = await loadManifests();

describe.each(manifests.map((m) => [m.name, m] as const))('%s platform routes', (name, manifest) => {
  let app: App;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const keys = await createTestKeys();
    const config = manifest.loadConfig({ LOG_LEVEL: 'silent' });
    // No relay, no daily jobs: this suite checks the platform routes, not the background work.
    app = await manifest.buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), outboxRelay: false, cleanupJob: false });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
  });

  it(`when ${name} starts, then its migrations created its schema and readiness reports the database`, async () => {
    const tables = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [name]);
    expect(tables.map((t) => t.table_name)).toContain('__drizzle_migrations');
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.json()).toMatchObject({ service: name, checks: { database: 'ok' } });
    // The gateway is ready only once it holds the users service's keys (gateway.md H3), which no test users
    // service serves here; every other service is ready on its database and the injected verifier.
    if (name !== 'gateway') expect({ status: res.statusCode, body: res.json().status }).toEqual({ status: 200, body: 'ready' });
  });

  it(`when ${name}'s Drizzle schema is compared with its migrated database, then every declared table and column exists`, async () => {
    // Drift between src/infrastructure/db/schema.ts and the committed migrations would only show as SQL
    // errors at run time; here it fails at once.
    const file = join(serviceEntry(name)!.dir, 'src', 'infrastructure', 'db', 'schema.ts');
    expect(existsSync(file), `${name} keeps its tables in src/infrastructure/db/schema.ts`).toBe(true);
    const tables = Object.values(await import(pathToFileURL(file).href)).filter((v): v is PgTable => is(v, PgTable));
    expect(tables.length).toBeGreaterThan(0);
    const rows = await db.query<{ table_name: string; column_name: string }>(
      'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
      [name],
    );
    const present = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    for (const table of tables) {
      const cfg = getTableConfig(table);
      expect(cfg.schema).toBe(name);
      for (const column of cfg.columns) expect(present, `${name}.${cfg.name}.${column.name}`).toContain(`${cfg.name}.${column.name}`);
    }
  });

  it('when /health/live, /metrics and /docs/json are read, then each answers', async () => {
    // The gateway's /health is the platform-wide aggregate; its own liveness is /health/live (gateway.md H1–H3).
    const live = await app.inject({ method: 'GET', url: name === 'gateway' ? '/health/live' : '/health' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok', service: name });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('http_request_duration_seconds');
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).json().openapi).toBe('3.1.0');
  });

  it('when an API path is unknown, then the envelope says NOT_FOUND with the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/no-such-resource/1', headers: { 'x-request-id': 'shell-test-0001' } });
    expect(res.statusCode).toBe(404);
    // The gateway names its own miss (gateway.md: no route rule matches).
    const code = name === 'gateway' ? 'ROUTE_NOT_FOUND' : 'NOT_FOUND';
    expect(res.json()).toMatchObject({ success: false, error: { code }, meta: { request_id: 'shell-test-0001' } });
  });
});
