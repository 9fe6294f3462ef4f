/**
 * One factory for the database: Drizzle over PGlite (embedded default, one instance in the data dir
 * shared by every service, each in its own schema) or over a `pg.Pool` (production), plus start-up
 * migrations under an advisory lock.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = PgDatabase<PgQueryResultHKT, any>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Raw parameterised SQL, for health checks, locks and the few statements Drizzle cannot express. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` holding a session-level advisory lock named `name` on one connection. */
  withAdvisoryLock<T>(name: string, fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  pglite?: PGlite;
  pool?: pg.Pool;
}

/**
 * Drizzle reads dates, timestamps and intervals (and their arrays) as PostgreSQL's text, and its PGlite
 * driver asks for that by passing these parsers with every query. PGlite merges per-query parsers into a
 * fresh copy of its whole table (~320 entries) for every result: ~60 µs of a ~230 µs one-row query (#11).
 * So the instance is opened with them once, Drizzle's calls go without (`drizzleClient`), and the raw
 * queries, which node-postgres answers with Date objects, ask for PGlite's own parsers back
 * (`RAW_QUERY`): the same values on both back ends, as before.
 */
const TEXT_TYPES = [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182];
const asText = (value: string) => value;
const TEXT_PARSERS = Object.fromEntries(TEXT_TYPES.map((t) => [t, asText]));
const pgliteParsers = types.parsers as Record<number, (value: string) => unknown>;
const RAW_QUERY = { parsers: Object.fromEntries(TEXT_TYPES.map((t) => [t, pgliteParsers[t] ?? asText])) as Record<number, (value: string) => unknown> };

/** Opens (creating parent folders, which PGlite does not) the embedded database, with pgvector. */
export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  // `memory://`, `idb://`… are PGlite storage URLs, not folders.
  if (dataDir && !/^[a-z]+:\/\//i.test(dataDir)) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { vector },
    parsers: TEXT_PARSERS,
  });
}

type QueryOptions = { rowMode?: 'array' | 'object'; parsers?: unknown };
type Queryable = Pick<PGlite, 'query'>;

/** `client` for Drizzle: its calls without their per-query parsers (the instance has them, see above). */
function drizzleClient<C extends Queryable & { transaction?: PGlite['transaction'] }>(client: C): C {
  const query = (sql: string, params?: unknown[], options?: QueryOptions) =>
    client.query(sql, params, options?.rowMode ? { rowMode: options.rowMode } : undefined);
  return new Proxy(client, {
    get(target, key) {
      if (key === 'query') return query;
      if (key === 'transaction' && target.transaction) {
        return (fn: (tx: Queryable) => Promise<unknown>) => target.transaction!((tx) => fn(drizzleClient(tx)));
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export function advisoryKey(name: string): bigint {
  // 63-bit positive key so it fits a signed bigint on every Postgres version.
  return BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(name).digest('hex').slice(0, 16))) & 0x7fffffffffffffffn;
}

/**
 * Wraps a PGlite instance. `shared` instances (the embedded default) are closed by their owner, not by
 * each service that uses them.
 */
/**
 * In-process exclusion per lock name for PGlite: it has a single session, in which Postgres advisory
 * locks are re-entrant, so `pg_advisory_lock` alone would let two callers of one process in together.
 * Kept per PGlite instance, since every service of the embedded default shares one.
 */
const pgliteLocks = new WeakMap<PGlite, Map<string, Promise<unknown>>>();

async function withLocalLock<T>(client: PGlite, name: string, fn: () => Promise<T>): Promise<T> {
  let held = pgliteLocks.get(client);
  if (!held) pgliteLocks.set(client, (held = new Map()));
  const previous = held.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  held.set(name, tail);
  try {
    return await run;
  } finally {
    if (held.get(name) === tail) held.delete(name);
  }
}

export function fromPglite(client: PGlite, opts: { shared?: boolean } = {}): Database {
  const db = drizzlePglite({ client: drizzleClient(client) }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await client.query<T>(sql, params, RAW_QUERY);
      return res.rows;
    },
    withAdvisoryLock<T>(name: string, fn: (db: Db) => Promise<T>) {
      return withLocalLock(client, name, async () => {
        const key = advisoryKey(name).toString();
        await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
        try {
          return await fn(db);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
        }
      });
    },
    async close() {
      if (!opts.shared && !client.closed) await client.close();
    },
  };
}

export function fromPool(pool: pg.Pool): Database {
  const db = drizzlePg({ client: pool }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    pool,
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await pool.query(sql, params);
      return res.rows as T[];
    },
    async withAdvisoryLock<T>(name: string, fn: (db: Db) => Promise<T>) {
      const client = await pool.connect();
      const key = advisoryKey(name).toString();
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_lock($1::bigint)', [key]).catch((err: Error) => {
          broken = err;
          throw err;
        });
        try {
          return await fn(drizzlePg({ client }) as unknown as Db);
        } finally {
          // A failed unlock must neither hide fn's own error nor hand a lock-holding connection back
          // to the pool: the connection is destroyed instead, which ends its session and its locks.
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch((err: Error) => {
            broken = err;
          });
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export function openPool(url: string, opts: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    application_name: opts.applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return fromPool(pool);
}

/**
 * Applies a service's committed drizzle-kit migrations. Each service keeps its migrations table in its
 * own schema: drizzle skips any migration older than the newest row of a shared table.
 */
export async function runMigrations(database: Database, opts: { schema: string; migrationsFolder: string }): Promise<void> {
  await database.withAdvisoryLock(`sicora:migrate:${opts.schema}`, async (db) => {
    const config = { migrationsFolder: opts.migrationsFolder, migrationsSchema: opts.schema, migrationsTable: '__drizzle_migrations' };
    if (database.kind === 'pglite') {
      await migratePglite(db as unknown as Parameters<typeof migratePglite>[0], config);
    } else {
      await migratePg(db as unknown as Parameters<typeof migratePg>[0], config);
    }
  });
}

/** Readiness check for the service's database. */
export function databaseCheck(database: Database) {
  return { required: true, timeoutMs: 2000, run: async () => { await database.query('SELECT 1'); } };
}
