/**
 * Test databases; each `createTestDatabase()` is an empty database of its own (service schemas come
 * from the migrations the app or the test applies), so no test file sees another's rows.
 *
 * Embedded: one PGlite per test worker process, loaded once from the snapshot made by the vitest global
 * setup and lent to one test database at a time. Loading a PGlite (its WebAssembly and a 40 MB data
 * dir) costs about a second, so the suite runs files in shared workers (`isolate: false`) and wipes the
 * instance between borrowers instead of loading a new one per file. A second database asked for while
 * the shared one is lent gets a PGlite of its own, as before.
 *
 * With `DATABASE_URL`: a new database per call on that server, dropped at destroy.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { fromPglite, openPglite, openPool, runMigrations, type Database } from '../db.ts';

export const SNAPSHOT_ENV = 'SICORA_TEST_PGLITE_SNAPSHOT';

export interface TestDatabase extends Database {
  /** Closes the connection and removes the database (embedded: hands the worker's PGlite back, wiped at its next loan). */
  destroy(): Promise<void>;
}

let snapshot: Blob | null | undefined;

function snapshotBlob(): Blob | undefined {
  if (snapshot === undefined) {
    const path = process.env[SNAPSHOT_ENV];
    snapshot = path && existsSync(path) ? new Blob([readFileSync(path)]) : null;
  }
  return snapshot ?? undefined;
}

async function pgliteFromSnapshot(): Promise<PGlite> {
  const blob = snapshotBlob();
  return blob ? openPglite(undefined, { loadDataDir: blob }) : openPglite();
}

/** Schemas every Postgres database has; anything else was created by a borrower. */
const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', 'public'];

// Every object of the public schema (tables, views, sequences, functions, types, operators): the
// snapshot's are pgvector's, so a different count means a borrower created or dropped something there.
const PUBLIC_OBJECTS = `SELECT
  (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace)
  + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace)
  + (SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace)
  + (SELECT count(*) FROM pg_operator WHERE oprnamespace = 'public'::regnamespace) AS n`;

interface WorkerPglite {
  client: PGlite;
  lent: boolean;
  used: boolean;
  publicObjects: number;
}

let worker: Promise<WorkerPglite> | undefined;

async function openWorkerPglite(): Promise<WorkerPglite> {
  const client = await pgliteFromSnapshot();
  const [{ n }] = (await client.query<{ n: number }>(PUBLIC_OBJECTS)).rows;
  return { client, lent: false, used: false, publicObjects: Number(n) };
}

/** Back to the snapshot's state: every schema a borrower created dropped, the session reset. */
async function wipe(w: WorkerPglite): Promise<void> {
  const { client } = w;
  const schemas = await client.query<{ nspname: string }>(
    "SELECT nspname FROM pg_namespace WHERE nspname <> ALL($1) AND nspname NOT LIKE 'pg\\_%'",
    [SYSTEM_SCHEMAS],
  );
  const drops = schemas.rows.map((s) => `DROP SCHEMA "${s.nspname.replace(/"/g, '""')}" CASCADE;`);
  const [{ n }] = (await client.query<{ n: number }>(PUBLIC_OBJECTS)).rows;
  if (Number(n) !== w.publicObjects) drops.push('DROP SCHEMA public CASCADE; CREATE SCHEMA public; CREATE EXTENSION vector;');
  if (drops.length > 0) await client.exec(drops.join('\n'));
  // Settings, prepared statements, temporary tables, advisory locks and LISTENs of the last borrower
  // (on its own: DISCARD ALL refuses to run inside the implicit transaction of a multi-statement exec).
  await client.exec('DISCARD ALL');
  const [{ n: after }] = (await client.query<{ n: number }>(PUBLIC_OBJECTS)).rows;
  if (Number(after) !== w.publicObjects) throw new Error(`public schema has ${after} objects after the wipe, the snapshot ${w.publicObjects}`);
}

/**
 * A view of the client that refuses every call once the loan ends, so that a timer or job a test file
 * left running cannot write into the next file's database.
 */
function loanOf(client: PGlite): { client: PGlite; revoke(): void } {
  let revoked = false;
  const proxy = new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...args: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        if (revoked) return Promise.reject(new Error(`test database already destroyed (PGlite.${String(prop)} after destroy)`));
        return fn(...args);
      };
    },
  });
  return { client: proxy, revoke: () => { revoked = true; } };
}

/** The worker's PGlite when it is free (wiped), or a PGlite of its own; `release` ends the loan. */
async function borrowPglite(): Promise<{ client: PGlite; release(): Promise<void> }> {
  worker ??= openWorkerPglite();
  let w: WorkerPglite;
  try {
    w = await worker;
  } catch (err) {
    worker = undefined;
    throw err;
  }
  if (w.lent || w.client.closed) {
    if (w.client.closed && !w.lent) worker = undefined;
    const own = await pgliteFromSnapshot();
    return { client: own, release: () => own.close() };
  }
  w.lent = true;
  if (w.used) {
    try {
      await wipe(w);
    } catch {
      // A borrower left it in a state the wipe cannot undo: replace it rather than hand it on.
      w.lent = false;
      worker = undefined;
      await w.client.close().catch(() => undefined);
      return borrowPglite();
    }
  }
  w.used = true;
  const loan = loanOf(w.client);
  return {
    client: loan.client,
    async release() {
      loan.revoke();
      if (w.client.closed) {
        if (worker && (await worker) === w) worker = undefined;
      }
      w.lent = false;
    },
  };
}

/** Test databases not yet destroyed: each test file's are destroyed when the file finishes (file-setup.ts). */
const openLoans = new Set<() => Promise<void>>();

/**
 * Destroys every test database still open: a file that did not destroy its own (a failed beforeAll, a
 * missing afterAll) neither keeps the worker's PGlite from the next file nor leaves a PGlite of its own
 * open or a database behind on the PostgreSQL server.
 */
export async function releaseTestDatabases(): Promise<void> {
  await Promise.all([...openLoans].map((release) => release().catch(() => undefined)));
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
    let dropped = false;
    destroy = async () => {
      if (dropped) return;
      dropped = true;
      openLoans.delete(destroy);
      await database.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    };
    openLoans.add(destroy);
  } else {
    const loan = await borrowPglite();
    database = fromPglite(loan.client);
    let destroyed = false;
    destroy = async () => {
      if (destroyed) return;
      destroyed = true;
      openLoans.delete(destroy);
      await loan.release();
    };
    openLoans.add(destroy);
    // Closing the handle (instead of destroying it) must not close the worker's shared PGlite.
    database = { ...database, close: destroy };
  }
  for (const m of opts.migrations ?? []) await runMigrations(database, m);
  return { ...database, destroy };
}
