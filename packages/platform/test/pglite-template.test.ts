import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { fromPglite, openPglite, runMigrations } from '../src/db.ts';
import {
  dataDirFromTemplate,
  existingInitdbSnapshot,
  initdbKey,
  initdbSnapshot,
  isEmptyDataDir,
  migratedTemplate,
  migrationsKey,
  saveTemplate,
  type MigrationSet,
} from '../src/pglite-template.ts';
import { SNAPSHOT_ENV } from '../src/testing/db.ts';

const work = mkdtempSync(join(tmpdir(), 'sicora-template-'));
const cacheDir = join(work, 'cache');
const open: PGlite[] = [];

afterAll(async () => {
  for (const pg of open) if (!pg.closed) await pg.close();
  rmSync(work, { recursive: true, force: true });
});

/** A drizzle-kit migrations folder holding the first `count` of two migrations of schema `tpl`. */
function migrations(name: string, count: number): MigrationSet {
  const folder = join(work, name);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const all = [
    { tag: '0000_init', sql: 'CREATE SCHEMA IF NOT EXISTS "tpl";\n--> statement-breakpoint\nCREATE TABLE "tpl"."first" ("id" integer PRIMARY KEY);' },
    { tag: '0001_second', sql: 'CREATE TABLE "tpl"."second" ("id" integer PRIMARY KEY);' },
  ].slice(0, count);
  all.forEach((m) => writeFileSync(join(folder, `${m.tag}.sql`), m.sql));
  const entries = all.map((m, idx) => ({ idx, version: '7', when: 1_700_000_000_000 + idx, tag: m.tag, breakpoints: true }));
  writeFileSync(join(folder, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
  return { schema: 'tpl', migrationsFolder: folder };
}

/** A PGlite in `dir` (loaded from the suite's initdb snapshot when `dir` is new, so no test runs initdb). */
async function openDir(dir: string): Promise<PGlite> {
  const snapshot = process.env[SNAPSHOT_ENV];
  const fresh = isEmptyDataDir(dir);
  const pg = await openPglite(dir, fresh && snapshot ? { loadDataDir: new Blob([readFileSync(snapshot)]) } : {});
  open.push(pg);
  return pg;
}

const tables = async (pg: PGlite) =>
  (await pg.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'tpl' ORDER BY 1")).rows.map((r) => r.table_name);

// PGlite's own cache: a run on PostgreSQL (DATABASE_URL) makes no initdb snapshot and needs no template.
describe.skipIf(Boolean(process.env.DATABASE_URL))('the PGlite initdb template', () => {
  const older = migrations('older', 1);
  const newer = migrations('newer', 2);

  it('when a database is saved as the migrated template, then a new data dir copied from it opens with the migrations applied and nothing left to apply', async () => {
    const first = join(work, 'first');
    const pg = await openDir(first);
    await runMigrations(fromPglite(pg), older);
    const template = migratedTemplate([older], { cacheDir });
    expect(template.exists).toBe(false);
    await saveTemplate(pg, first, template.path);
    // Written after the save: a template holds the state at the save only.
    await pg.exec('CREATE TABLE tpl.after_save (id int)');
    await pg.close();
    expect(migratedTemplate([older], { cacheDir })).toEqual({ path: template.path, exists: true });
    // The lock file of the process that saved it is not part of the template.
    expect(readdirSync(template.path)).not.toContain('postmaster.pid');

    const copy = join(work, 'copy');
    expect(dataDirFromTemplate(template.path, copy)).toBe(true);
    const reopened = await openDir(copy);
    expect(await tables(reopened)).toEqual(['__drizzle_migrations', 'first']);
    await runMigrations(fromPglite(reopened), older);
    expect((await reopened.query('SELECT * FROM tpl.__drizzle_migrations')).rows).toHaveLength(1);
    await reopened.close();
  });

  it('when the repository has a migration the template lacks, then it is another template, and a data dir from the older one is migrated forward', async () => {
    expect(migrationsKey([newer])).not.toBe(migrationsKey([older]));
    expect(migratedTemplate([newer], { cacheDir }).exists).toBe(false);
    const stale = migratedTemplate([older], { cacheDir });
    const dir = join(work, 'forward');
    dataDirFromTemplate(stale.path, dir);
    const pg = await openDir(dir);
    await runMigrations(fromPglite(pg), newer);
    expect(await tables(pg)).toEqual(['__drizzle_migrations', 'first', 'second']);
    expect((await pg.query('SELECT * FROM tpl.__drizzle_migrations')).rows).toHaveLength(2);
    // Saving the newer template replaces the older one, so the cache does not grow with every migration.
    await saveTemplate(pg, dir, migratedTemplate([newer], { cacheDir }).path);
    await pg.close();
    expect(migratedTemplate([newer], { cacheDir }).exists).toBe(true);
    expect(existsSync(stale.path)).toBe(false);
  });

  it('when a migration file is edited, then its template key changes', () => {
    const key = migrationsKey([newer]);
    writeFileSync(join(newer.migrationsFolder, '0001_second.sql'), 'CREATE TABLE "tpl"."second" ("id" bigint PRIMARY KEY);');
    expect(migrationsKey([newer])).not.toBe(key);
  });

  it('when the data dir already holds something, then the template is not copied over it', () => {
    const dir = join(work, 'occupied');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    expect(dataDirFromTemplate(migratedTemplate([newer], { cacheDir }).path, dir)).toBe(false);
    expect(readdirSync(dir)).toEqual(['PG_VERSION']);
  });

  it('when the initdb snapshot exists in the cache, then it is reused instead of running initdb again', async () => {
    expect(existingInitdbSnapshot({ cacheDir })).toBeUndefined();
    const file = join(cacheDir, `initdb-${initdbKey()}.tar`);
    writeFileSync(file, readFileSync(process.env[SNAPSHOT_ENV]!));
    expect(existingInitdbSnapshot({ cacheDir })).toBe(file);
    expect(await initdbSnapshot({ cacheDir })).toBe(file);
  });
});
