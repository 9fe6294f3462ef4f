/**
 * Vitest global setup: one PGlite initdb (with pgvector) dumped to a tarball that every test worker
 * loads once (packages/platform/src/testing/db.ts). The tarball is kept between runs under
 * node_modules/.cache, keyed by the PGlite and pgvector versions: initdb costs 5–10 s of a run's start.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite } from '../db.ts';
import { SNAPSHOT_ENV } from './db.ts';

/** What the snapshot holds; changing it changes the cache key. */
const RECIPE = 'CREATE EXTENSION IF NOT EXISTS vector';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

function versionOf(pkg: string): string {
  const manifest = join(root, 'node_modules', pkg, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : 'unknown';
}

export default async function setup() {
  if (process.env.DATABASE_URL) return () => undefined;
  const key = createHash('sha256')
    .update([versionOf('@electric-sql/pglite'), versionOf('@electric-sql/pglite-pgvector'), RECIPE].join('\n'))
    .digest('hex')
    .slice(0, 16);
  const dir = join(root, 'node_modules', '.cache', 'sicora-test');
  const file = join(dir, `pglite-${key}.tar`);
  if (!existsSync(file) || statSync(file).size === 0) {
    mkdirSync(dir, { recursive: true });
    const pg = await openPglite();
    await pg.exec(RECIPE);
    const dump = await pg.dumpDataDir('none');
    await pg.close();
    // Written aside and renamed, so that a run stopped half-way leaves no truncated snapshot behind.
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
  }
  process.env[SNAPSHOT_ENV] = file;
  return () => undefined;
}
