import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// `sicora serve users` with production back ends: against the real PostgreSQL when DATABASE_URL is set
// (CI's second run), else against its own PGlite data dir.
describe('sicora serve users', () => {
  const dataDir = tempDataDir();
  const baseUrl = process.env.DATABASE_URL;
  const dbName = `sicora_serve_${randomBytes(4).toString('hex')}`;
  let child: Child | undefined;

  afterAll(async () => {
    await child?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (baseUrl) {
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('when served alone, then it applies its migrations and answers /health/ready', async () => {
    let databaseUrl = '';
    if (baseUrl) {
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      const url = new URL(baseUrl);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
    }
    const port = await freePort();
    child = runSicora(['serve', 'users'], { USERS_PORT: String(port), USERS_URL: `http://127.0.0.1:${port}`, SICORA_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: '' });
    const ready = await waitFor(`http://127.0.0.1:${port}/health/ready`, child, { timeoutMs: 60_000 });
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query("SELECT count(*)::int AS n FROM users.__drizzle_migrations");
      await client.end();
      expect(rows[0].n).toBeGreaterThan(0);
    }
  }, 90_000);
});
