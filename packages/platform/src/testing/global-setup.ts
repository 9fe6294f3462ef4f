/**
 * Vitest global setup: one PGlite initdb per run, dumped to a file that every test file loads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '../db.ts';
import { SNAPSHOT_ENV } from './db.ts';

export default async function setup() {
  if (process.env.DATABASE_URL) return () => undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sicora-snapshot-'));
  const pg = await openPglite();
  await pg.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const dump = await pg.dumpDataDir('none');
  await pg.close();
  const file = join(dir, 'pglite.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[SNAPSHOT_ENV] = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
