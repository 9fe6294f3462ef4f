import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { advisoryKey, databaseCheck, fromPglite, fromPool, openPglite, openPool, runMigrations, type Database } from '../src/db.ts';
import { createTestDatabase, SNAPSHOT_ENV, type TestDatabase } from '../src/testing/db.ts';

const tmp = mkdtempSync(join(tmpdir(), 'sicora-db-'));
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await tdb.destroy();
  rmSync(tmp, { recursive: true, force: true });
});

/** A drizzle-kit-shaped folder: meta/_journal.json plus one `<tag>.sql` per entry. */
function writeMigrations(name: string, entries: Array<{ tag: string; when: number; sql: string[] }>): string {
  const folder = join(tmp, name);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = {
    version: '7',
    dialect: 'postgresql',
    entries: entries.map((e, idx) => ({ idx, version: '7', when: e.when, tag: e.tag, breakpoints: true })),
  };
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify(journal, null, 2));
  for (const e of entries) writeFileSync(join(folder, `${e.tag}.sql`), e.sql.join('\n--> statement-breakpoint\n'));
  return folder;
}

function initMigration(schema: string, when: number) {
  return {
    tag: '0000_init',
    when,
    sql: [`CREATE SCHEMA IF NOT EXISTS "${schema}";`, `CREATE TABLE "${schema}"."things" ("id" integer PRIMARY KEY, "name" text NOT NULL);`, `INSERT INTO "${schema}"."things" VALUES (1, 'uno');`],
  };
}

async function migrationRows(database: Database, schema: string) {
  return database.query<{ hash: string; created_at: string }>(`SELECT hash, created_at::text FROM "${schema}"."__drizzle_migrations" ORDER BY id`);
}

async function tablesOf(database: Database, schema: string) {
  const rows = await database.query<{ table_name: string }>(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    [schema],
  );
  return rows.map((r) => r.table_name);
}

describe('runMigrations', () => {
  it('when run twice, then the migration applies once and its table lives in the service schema', async () => {
    const folder = writeMigrations('alpha', [initMigration('alpha', 1_700_000_000_000)]);
    await runMigrations(tdb, { schema: 'alpha', migrationsFolder: folder });
    await runMigrations(tdb, { schema: 'alpha', migrationsFolder: folder });
    expect(await tablesOf(tdb, 'alpha')).toEqual(['__drizzle_migrations', 'things']);
    expect(await tdb.query('SELECT id, name FROM alpha.things')).toEqual([{ id: 1, name: 'uno' }]);
    const rows = await migrationRows(tdb, 'alpha');
    expect(rows).toHaveLength(1);
    expect(rows[0].created_at).toBe('1700000000000');
    // Nothing in drizzle's default shared schema, which would make services skip each other's migrations.
    expect(await tablesOf(tdb, 'drizzle')).toEqual([]);
  });

  it('when a new migration is committed, then a re-run applies only that one', async () => {
    const first = initMigration('gamma', 1_700_000_000_000);
    await runMigrations(tdb, { schema: 'gamma', migrationsFolder: writeMigrations('gamma-1', [first]) });
    const second = { tag: '0001_more', when: 1_700_000_100_000, sql: ['ALTER TABLE "gamma"."things" ADD COLUMN "extra" text;'] };
    await runMigrations(tdb, { schema: 'gamma', migrationsFolder: writeMigrations('gamma-2', [first, second]) });
    expect((await migrationRows(tdb, 'gamma')).map((r) => r.created_at)).toEqual(['1700000000000', '1700000100000']);
    const cols = await tdb.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'gamma' AND table_name = 'things' ORDER BY ordinal_position",
    );
    expect(cols.map((c) => c.column_name)).toEqual(['id', 'name', 'extra']);
  });

  it('when another service has newer migrations, then an older migration of this service still applies', async () => {
    await runMigrations(tdb, { schema: 'newer', migrationsFolder: writeMigrations('newer', [initMigration('newer', 1_800_000_000_000)]) });
    await runMigrations(tdb, { schema: 'older', migrationsFolder: writeMigrations('older', [initMigration('older', 1_600_000_000_000)]) });
    expect(await tablesOf(tdb, 'older')).toEqual(['__drizzle_migrations', 'things']);
  });

  it('when a migration fails, then nothing of it is kept and the error surfaces', async () => {
    const folder = writeMigrations('broken', [
      { tag: '0000_init', when: 1_700_000_000_000, sql: ['CREATE SCHEMA IF NOT EXISTS "broken";', 'CREATE TABLE "broken"."a" ("id" int);', 'SELECT * FROM "broken"."missing";'] },
    ]);
    await expect(runMigrations(tdb, { schema: 'broken', migrationsFolder: folder })).rejects.toThrow();
    expect(await tablesOf(tdb, 'broken')).toEqual(['__drizzle_migrations']);
    expect(await migrationRows(tdb, 'broken')).toEqual([]);
  });

  it('when two runners start together (two pools on PostgreSQL, one PGlite in-process), then the migration applies once', async () => {
    const folder = writeMigrations('delta', [
      { ...initMigration('delta', 1_700_000_000_000), sql: [...initMigration('delta', 0).sql, 'SELECT pg_sleep(0.3);'] },
    ]);
    let second: Database = tdb;
    if (tdb.kind === 'postgres') second = openPool(String(tdb.pool?.options.connectionString), { max: 2 });
    try {
      await Promise.all([
        runMigrations(tdb, { schema: 'delta', migrationsFolder: folder }),
        runMigrations(second, { schema: 'delta', migrationsFolder: folder }),
      ]);
    } finally {
      if (second !== tdb) await second.close();
    }
    expect(await migrationRows(tdb, 'delta')).toHaveLength(1);
    expect(await tdb.query('SELECT count(*)::int AS n FROM delta.things')).toEqual([{ n: 1 }]);
  });
});

describe('withAdvisoryLock', () => {
  async function advisoryLocksHeld(database: Database) {
    // pg_locks is server-wide: count only this test database's locks.
    const [row] = await database.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    return row.n;
  }

  it('when the work fails, then the lock is released and the error passes through', async () => {
    await expect(
      tdb.withAdvisoryLock('sicora:test:fail', async (db) => {
        await db.execute(sql`SELECT 1`);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await advisoryLocksHeld(tdb)).toBe(0);
    await expect(tdb.withAdvisoryLock('sicora:test:fail', async () => 'again')).resolves.toBe('again');
  });

  it('when two callers take the same lock, then their work never overlaps; different names do not wait', async () => {
    let inside = 0;
    let maxInside = 0;
    const order: string[] = [];
    const work = (label: string) => async () => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      await new Promise((r) => setTimeout(r, 40));
      order.push(label);
      inside -= 1;
      return label;
    };
    const results = await Promise.all([
      tdb.withAdvisoryLock('sicora:test:same', work('a')),
      tdb.withAdvisoryLock('sicora:test:same', work('b')),
      tdb.withAdvisoryLock('sicora:test:same', work('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(maxInside).toBe(1);
    expect([...order].sort()).toEqual(['a', 'b', 'c']);
    expect(await advisoryLocksHeld(tdb)).toBe(0);

    let bothInside = false;
    let otherInside = false;
    await Promise.all([
      tdb.withAdvisoryLock('sicora:test:x', async () => {
        await new Promise((r) => setTimeout(r, 60));
        bothInside = otherInside;
      }),
      tdb.withAdvisoryLock('sicora:test:y', async () => {
        otherInside = true;
        await new Promise((r) => setTimeout(r, 100));
      }),
    ]);
    expect(bothInside).toBe(true);
  });

  it('when a key is derived from a name, then it is a stable positive 63-bit integer', () => {
    const key = advisoryKey('sicora:migrate:users');
    expect(key).toBe(advisoryKey('sicora:migrate:users'));
    expect(key).not.toBe(advisoryKey('sicora:migrate:schedules'));
    expect(key >= 0n && key <= 0x7fffffffffffffffn).toBe(true);
  });
});

/** A stand-in pool recording what withAdvisoryLock does with its connection, failing where told. */
function fakePool(fail: { lock?: boolean; unlock?: boolean } = {}) {
  const calls: string[] = [];
  const released: Array<Error | undefined> = [];
  const client = {
    async query(text: string) {
      calls.push(text);
      if (fail.lock && text.includes('pg_advisory_lock(')) throw new Error('connection lost while locking');
      if (fail.unlock && text.includes('pg_advisory_unlock')) throw new Error('connection lost while unlocking');
      return { rows: [] };
    },
    release(err?: Error) {
      released.push(err);
    },
  };
  const pool = { connect: async () => client, query: async () => ({ rows: [{ one: 1 }] }), end: async () => calls.push('end') };
  return { pool: pool as unknown as pg.Pool, calls, released };
}

describe('fromPool connection handling', () => {
  it('when the work succeeds, then the lock is taken and released on one connection, which returns to the pool', async () => {
    const { pool, calls, released } = fakePool();
    const database = fromPool(pool);
    expect(database.kind).toBe('postgres');
    await expect(database.withAdvisoryLock('n', async () => 42)).resolves.toBe(42);
    expect(calls).toEqual(['SELECT pg_advisory_lock($1::bigint)', 'SELECT pg_advisory_unlock($1::bigint)']);
    expect(released).toEqual([undefined]);
    expect(await database.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await database.close();
    expect(calls.at(-1)).toBe('end');
  });

  it('when the unlock fails, then the work error still surfaces and the connection is destroyed, not reused', async () => {
    const { pool, released } = fakePool({ unlock: true });
    const database = fromPool(pool);
    await expect(database.withAdvisoryLock('n', async () => { throw new Error('work failed'); })).rejects.toThrow('work failed');
    expect(released).toHaveLength(1);
    expect(released[0]?.message).toBe('connection lost while unlocking');
    await expect(database.withAdvisoryLock('n', async () => 'done')).resolves.toBe('done');
    expect(released[1]?.message).toBe('connection lost while unlocking');
  });

  it('when taking the lock fails, then the work never runs and the connection is destroyed', async () => {
    const { pool, released } = fakePool({ lock: true });
    let ran = false;
    await expect(fromPool(pool).withAdvisoryLock('n', async () => { ran = true; })).rejects.toThrow('connection lost while locking');
    expect(ran).toBe(false);
    expect(released[0]?.message).toBe('connection lost while locking');
  });

  it('when the server is unreachable, then queries and the readiness check fail instead of hanging', async () => {
    const database = openPool('postgres://nobody@127.0.0.1:1/none', { max: 1, applicationName: 'sicora-test' });
    await expect(database.query('SELECT 1')).rejects.toThrow();
    await expect(databaseCheck(database).run()).rejects.toThrow();
    await database.close();
  });
});

describe('database handle', () => {
  it('when the readiness check runs, then it queries the database', async () => {
    const check = databaseCheck(tdb);
    expect(check.required).toBe(true);
    await expect(check.run()).resolves.toBeUndefined();
    expect(await tdb.query<{ v: number }>('SELECT $1::int AS v', [7])).toEqual([{ v: 7 }]);
  });
});

describe('time values', () => {
  const SELECT = "SELECT '2026-03-10 12:00:00+00'::timestamptz AS at, '2026-03-10'::date AS day, '1 day'::interval AS span";

  it('when read raw, then timestamps are Date objects on both back ends (as node-postgres gives them)', async () => {
    const [row] = await tdb.query<{ at: unknown; day: unknown }>(SELECT);
    expect(row.at).toBeInstanceOf(Date);
    expect((row.at as Date).toISOString()).toBe('2026-03-10T12:00:00.000Z');
  });

  it('when read through Drizzle, then they are PostgreSQL text, for its column types to parse', async () => {
    const rows = (await tdb.db.execute(sql.raw(SELECT))) as unknown as { rows?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
    const [row] = Array.isArray(rows) ? rows : rows.rows!;
    expect(typeof row.at).toBe('string');
    expect(row.day).toBe('2026-03-10');
    expect(row.span).toBe('1 day');
  });

  it.runIf(process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '')(
    'when Drizzle queries PGlite, then no call carries per-query parsers (PGlite would copy its whole table for each)',
    async () => {
      const client = await openPglite();
      const seen: unknown[] = [];
      const query = client.query.bind(client);
      client.query = ((q: string, params?: unknown[], options?: unknown) => {
        seen.push(options);
        return query(q, params, options as never);
      }) as typeof client.query;
      const database = fromPglite(client);
      try {
        await database.db.execute(sql.raw(SELECT));
        await database.db.transaction(async (tx) => {
          await tx.execute(sql.raw(SELECT));
        });
        expect(seen.length).toBeGreaterThan(0);
        for (const options of seen) expect(options === undefined || !('parsers' in (options as object))).toBe(true);
      } finally {
        await database.close();
      }
    },
  );
});

describe('openPglite', () => {
  it('when the data dir has missing parents, then they are created, and a reopen keeps the data', async () => {
    const dataDir = join(tmp, 'deep', 'nested', 'pglite');
    const snapshot = process.env[SNAPSHOT_ENV];
    const loadDataDir = snapshot && existsSync(snapshot) ? new Blob([readFileSync(snapshot)]) : undefined;
    const first = fromPglite(await openPglite(dataDir, loadDataDir ? { loadDataDir } : {}));
    expect(first.kind).toBe('pglite');
    await first.query('CREATE TABLE kept (v text)');
    await first.query("INSERT INTO kept VALUES ('sigue aquí')");
    await first.close();
    expect(first.pglite?.closed).toBe(true);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

    const reopened = fromPglite(await openPglite(dataDir), { shared: true });
    expect(await reopened.query('SELECT v FROM kept')).toEqual([{ v: 'sigue aquí' }]);
    // A shared instance belongs to its owner: closing the service's handle leaves it open.
    await reopened.close();
    expect(reopened.pglite?.closed).toBe(false);
    await reopened.pglite?.close();
  });
});
