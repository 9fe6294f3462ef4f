/**
 * One factory for the database: Drizzle over PGlite (embedded default, one instance in the data dir
 * shared by every service, each in its own schema) or over a `pg.Pool` (production), plus start-up
 * migrations under an advisory lock.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
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

/** Opens (creating parent folders, which PGlite does not) the embedded database, with pgvector. */
export async function openPglite(dataDir?: string, opts: { loadDataDir?: Blob } = {}): Promise<PGlite> {
  // `memory://`, `idb://`… are PGlite storage URLs, not folders.
  if (dataDir && !/^[a-z]+:\/\//i.test(dataDir)) mkdirSync(dataDir, { recursive: true });
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { vector },
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

type Parsers = NonNullable<QueryOptions['parsers']>;

interface ParserTables {
  /** The client's own table (PGlite's defaults and the array types it found at start). */
  base: Parsers;
  /** The table of Drizzle's queries: `base` under Drizzle's parsers, learnt from its first query. */
  drizzle?: Parsers;
  /** The keys of Drizzle's parsers, to recognise its queries. */
  keys?: ReadonlySet<string>;
  /** The table of the query being run, when it is not `base`. */
  active?: Parsers;
}

/** Kept on the client itself, so a Proxy around it (a test's outage switch) finds the same tables. */
const PARSER_TABLES: unique symbol = Symbol.for('sicora.pglite.parser-tables');
type WithTables = PGlite & { [PARSER_TABLES]?: ParserTables };
/** Marks a query as Drizzle's; an empty file, so a client without the hooks below would read nothing from it. */
const DRIZZLE_QUERY = new Blob([]);

/**
 * Gives the client two parser tables, chosen per query. PGlite runs one query at a time: each one inside
 * `_runExclusiveQuery`, where it first hands `options.blob` to `_handleBlob` and last parses the rows with
 * `this.parsers`. So `_handleBlob` seeing Drizzle's marker makes `parsers` answer Drizzle's table for that
 * query, and the end of the exclusive section gives it back the client's own table (which PGlite's array
 * types are added to). No context follows the query around: nothing costs anything outside it. Once per
 * client (every service of the embedded default shares one); PGlite is pinned, and the parser tests fail
 * if a new version stops calling these.
 */
function parserTablesOf(client: WithTables): ParserTables {
  const found = client[PARSER_TABLES];
  if (found) return found;
  const own: ParserTables = { base: client.parsers };
  const handleBlob = client._handleBlob;
  const runExclusiveQuery = client._runExclusiveQuery;
  Object.defineProperties(client, {
    [PARSER_TABLES]: { value: own },
    parsers: {
      configurable: true,
      enumerable: true,
      get: () => own.active ?? own.base,
      set: (table: Parsers) => {
        own.base = table;
        if (own.drizzle) own.drizzle = Object.assign(Object.create(table) as Parsers, own.drizzle);
      },
    },
    _handleBlob: {
      configurable: true,
      writable: true,
      value(this: PGlite, blob?: File | Blob) {
        own.active = blob === DRIZZLE_QUERY ? own.drizzle : undefined;
        return handleBlob.call(this, blob === DRIZZLE_QUERY ? undefined : blob);
      },
    },
    _runExclusiveQuery: {
      configurable: true,
      writable: true,
      value<T>(this: PGlite, fn: () => Promise<T>) {
        return runExclusiveQuery.call(this, () =>
          fn().finally(() => {
            own.active = undefined;
          }),
        ) as Promise<T>;
      },
    },
  });
  return own;
}

function isDrizzleSet(tables: ParserTables, parsers: Parsers): boolean {
  if (!tables.keys) {
    // The first query teaches the set; inheriting from `base` keeps later array types PGlite registers.
    tables.keys = new Set(Object.keys(parsers));
    tables.drizzle = Object.assign(Object.create(tables.base) as Parsers, parsers);
    return true;
  }
  let n = 0;
  for (const key in parsers) {
    if (!tables.keys.has(key)) return false;
    n++;
  }
  return n === tables.keys.size;
}

const ARRAY_ROWS: QueryOptions = { rowMode: 'array', blob: DRIZZLE_QUERY };
const OBJECT_ROWS: QueryOptions = { rowMode: 'object', blob: DRIZZLE_QUERY };

/**
 * The client Drizzle is given. drizzle-orm/pglite passes the same nine parsers with every query (dates,
 * timestamps, intervals and their arrays left as text, which its columns map themselves), and PGlite
 * answers a query that brings parsers by copying its whole table (318 entries with the array types) into
 * a merged one: ~175 µs of every query. Here Drizzle's set is installed once (`parserTablesOf`) and its
 * queries go out without it, so each reads the same values as before with no copy. Raw queries
 * (`Database.query`, pg-boss on `database.pglite`) still read PGlite's own table: dates as `Date`.
 */
function drizzleClient(client: PGlite): PGlite {
  const tables = parserTablesOf(client);
  const run = <T>(target: PGlite | Transaction, sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> => {
    const parsers = options?.parsers;
    if (!parsers || options.serializers || options.blob || options.onNotice || options.paramTypes || !isDrizzleSet(tables, parsers)) {
      return target.query<T>(sql, params, options);
    }
    return target.query<T>(sql, params, options.rowMode === 'array' ? ARRAY_ROWS : OBJECT_ROWS);
  };
  const inTransaction = (tx: Transaction): Transaction =>
    Object.assign(Object.create(tx) as Transaction, { query: <T>(sql: string, params?: unknown[], options?: QueryOptions) => run<T>(tx, sql, params, options) });
  // Only what drizzle-orm/pglite calls: query() and transaction().
  return {
    query: <T>(sql: string, params?: unknown[], options?: QueryOptions) => run<T>(client, sql, params, options),
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => client.transaction((tx) => fn(inTransaction(tx))),
  } as unknown as PGlite;
}

export function fromPglite(client: PGlite, opts: { shared?: boolean } = {}): Database {
  const db = drizzlePglite({ client: drizzleClient(client) }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    async query<T>(sql: string, params: unknown[] = []) {
      const res = await client.query<T>(sql, params);
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
