/**
 * The PGlite initdb template. Initdb inside PGlite costs 5–10 s of CPU and doubles the memory (it runs in
 * a second WebAssembly instance beside the database's own: ~1.2 GB at its peak against ~0.6 GB to open an
 * existing data dir), so its result is kept under node_modules/.cache/sicora, keyed by the PGlite and
 * pgvector versions:
 * - the initdb snapshot, a tarball of a fresh data dir with pgvector, loaded into memory by every test
 *   worker (testing/global-setup.ts, testing/db.ts) and by a new embedded database when no migrated
 *   template exists yet;
 * - the migrated template, a data dir with every service's migrations applied (keyed by the migration
 *   files as well), saved by the embedded start that created a database and copied by the next one into
 *   its empty data dir (bin/cli/embedded.ts): a first start then opens an existing database, as a second
 *   start does, instead of running initdb and every migration.
 * A template never replaces a start's own migrations: they run on every start and apply whatever the data
 * dir does not have yet. Every file is written aside and renamed into place, so a run stopped half-way
 * leaves nothing truncated behind.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { openPglite } from './db.ts';

/** What every template holds beyond initdb; changing it changes the cache key. */
export const INITDB_RECIPE = 'CREATE EXTENSION IF NOT EXISTS vector';

export interface MigrationSet {
  schema: string;
  migrationsFolder: string;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function defaultCacheDir(): string {
  return join(ROOT, 'node_modules', '.cache', 'sicora');
}

function versionOf(pkg: string): string {
  const manifest = join(ROOT, 'node_modules', pkg, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : 'unknown';
}

const hash = (parts: Array<string | Buffer>) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
};

/** A data dir made by another PGlite version would not open: the versions are part of every key. */
export function initdbKey(): string {
  return hash([versionOf('@electric-sql/pglite'), versionOf('@electric-sql/pglite-pgvector'), INITDB_RECIPE]);
}

/** The migration files drizzle reads (the journal and the SQL), so any edit makes a new template. */
export function migrationsKey(sets: readonly MigrationSet[]): string {
  const parts: Array<string | Buffer> = [];
  for (const s of sets) {
    parts.push(s.schema);
    const journal = join(s.migrationsFolder, 'meta', '_journal.json');
    if (existsSync(journal)) parts.push(readFileSync(journal));
    const sql = existsSync(s.migrationsFolder) ? readdirSync(s.migrationsFolder).filter((f) => f.endsWith('.sql')).sort() : [];
    for (const f of sql) parts.push(f, readFileSync(join(s.migrationsFolder, f)));
  }
  return hash(parts);
}

const usable = (file: string) => existsSync(file) && statSync(file).size > 0;
const partialOf = (path: string) => `${path}.${process.pid}.tmp`;

/** The tarball of a fresh initdb with the recipe applied; made once per key. */
export async function initdbSnapshot(opts: { cacheDir?: string } = {}): Promise<string> {
  const dir = opts.cacheDir ?? defaultCacheDir();
  const file = join(dir, `initdb-${initdbKey()}.tar`);
  if (usable(file)) return file;
  mkdirSync(dir, { recursive: true });
  const pg = await openPglite();
  try {
    await pg.exec(INITDB_RECIPE);
    const dump = await pg.dumpDataDir('none');
    const partial = partialOf(file);
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  } finally {
    await pg.close();
  }
  return file;
}

/** Where the migrated template of `sets` lives, and whether it has been made. */
export function migratedTemplate(sets: readonly MigrationSet[], opts: { cacheDir?: string } = {}): { path: string; exists: boolean } {
  const path = join(opts.cacheDir ?? defaultCacheDir(), `migrated-${initdbKey()}-${migrationsKey(sets)}`);
  return { path, exists: existsSync(join(path, 'PG_VERSION')) };
}

/** The initdb snapshot when one was made (by the test suite), for a new database to load instead of running initdb. */
export function existingInitdbSnapshot(opts: { cacheDir?: string } = {}): string | undefined {
  const file = join(opts.cacheDir ?? defaultCacheDir(), `initdb-${initdbKey()}.tar`);
  return usable(file) ? file : undefined;
}

/**
 * Saves the open database in `dataDir` as the migrated template at `template`, for the next new data dir.
 * Called by the start that created the database, right after its migrations and before it writes any
 * row of its own: a CHECKPOINT writes every page to the files (PGlite runs in this thread, so nothing
 * writes while they are copied), which costs a folder copy instead of a second PGlite. Templates of
 * older migration files are removed.
 */
export async function saveTemplate(client: PGlite, dataDir: string, template: string): Promise<void> {
  await client.exec('CHECKPOINT');
  const staging = partialOf(template);
  rmSync(staging, { recursive: true, force: true });
  try {
    // The lock file names this process; the copy must not look like a database in use.
    cpSync(dataDir, staging, { recursive: true, filter: (src) => basename(src) !== 'postmaster.pid' });
    try {
      renameSync(staging, template);
    } catch (err) {
      // Another start made it first; its copy is as good as this one.
      if (!existsSync(join(template, 'PG_VERSION'))) throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const dir = dirname(template);
  for (const old of readdirSync(dir)) {
    if (old.startsWith('migrated-') && old !== basename(template) && !old.endsWith('.tmp')) rmSync(join(dir, old), { recursive: true, force: true });
  }
}

/** True when `dataDir` holds no database yet (missing or empty), i.e. when a template can be copied in. */
export function isEmptyDataDir(dataDir: string): boolean {
  return !existsSync(dataDir) || readdirSync(dataDir).length === 0;
}

/**
 * Copies `template` into the empty `dataDir` (aside first, then renamed, so a copy cut short is never
 * mistaken for a database). Returns false, leaving `dataDir` alone, when it already holds something.
 */
export function dataDirFromTemplate(template: string, dataDir: string): boolean {
  if (!isEmptyDataDir(dataDir)) return false;
  const staging = partialOf(dataDir);
  rmSync(staging, { recursive: true, force: true });
  try {
    cpSync(template, staging, { recursive: true });
    rmSync(dataDir, { recursive: true, force: true });
    renameSync(staging, dataDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return true;
}
