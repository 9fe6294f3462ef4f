/**
 * Test databases. Embedded: a PGlite loaded from a snapshot made once per test run (vitest global
 * setup), not a fresh initdb per file. With `DATABASE_URL`: a new database per call on that server,
 * dropped at close, so test files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { fromPglite, openPglite, openPool, runMigrations, type Database } from '../db.ts';

export const SNAPSHOT_ENV = 'SICORA_TEST_PGLITE_SNAPSHOT';

export interface TestDatabase extends Database {
  /** Closes the connection and removes the database. */
  destroy(): Promise<void>;
}

async function pgliteFromSnapshot() {
  const path = process.env[SNAPSHOT_ENV];
  if (path && existsSync(path)) {
    return openPglite(undefined, { loadDataDir: new Blob([readFileSync(path)]) });
  }
  return openPglite();
}

export async function createTestDatabase(opts: { migrations?: Array<{ schema: string; migrationsFolder: string }> } = {}): Promise<TestDatabase> {
  let database: Database;
  let destroy: () => Promise<void>;
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `sicora_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    database = openPool(target.toString(), { max: 5 });
    destroy = async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
  } else {
    const client = await pgliteFromSnapshot();
    database = fromPglite(client);
    destroy = () => database.close();
  }
  for (const m of opts.migrations ?? []) await runMigrations(database, m);
  return { ...database, destroy };
}
