/**
 * What the platform suite (test/repo/platform-routes.test.ts) does not check for this service: the tables
 * it writes beside its own (outbox, seed_runs), a readiness that is fully ready and /health's body. What
 * every service shares (/metrics, /docs/json, unknown paths) is checked there only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('schedules platform routes', () => {
  it('when the service starts, then its migrations created the schedules schema and readiness is ok', async () => {
    const tables = await h.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'schedules' ORDER BY table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['__drizzle_migrations', 'outbox', 'seed_runs']));
    const res = await h.app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', service: 'schedules', checks: { database: 'ok', jwks: 'ok' } });
  });

  it('when /health is read, then it names the service', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', service: 'schedules' });
  });
});
