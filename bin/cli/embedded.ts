/**
 * The embedded default: every service and the gateway in one process, one PGlite in the data dir,
 * each service in its own schema (01-architecture §1, start-up order steps 1–6).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEnv, type Env } from '@sicora/platform/config';
import { fromPglite, openPglite, runMigrations, type Database } from '@sicora/platform/db';
import { createLogger } from '@sicora/platform/logging';
import { dataDirFromTemplate, existingInitdbSnapshot, isEmptyDataDir, migratedTemplate, saveTemplate } from '@sicora/platform/pglite-template';
import { listen, type Listening } from '@sicora/platform/lifecycle';
import { loadManifests } from '@sicora/platform/manifests';
import type { ServiceManifest } from '@sicora/platform/manifest';
import type { Logger } from 'pino';
import { runBootstrap, runLocalSeeds, withSeedRetries, type BootstrapResult } from './seeds.ts';

export interface EmbeddedPlatform {
  servers: Array<Listening & { name: string }>;
  bootstrap: BootstrapResult;
  dataDir: string;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  env?: Env;
  logger?: Logger;
  demo?: boolean;
}

/**
 * Opens the shared embedded database. A new data dir starts as a copy of the migrated template
 * (pglite-template.ts) instead of running initdb and every migration, so a first start costs about what
 * a second one does and does not keep initdb's memory. Without a template yet, the database is made from
 * the initdb snapshot when the test suite left one, by initdb otherwise, and `template` says where the
 * start should save it once migrated.
 */
export async function openEmbedded(dataDir: string, manifests: ServiceManifest[], logger?: Logger): Promise<{ database: Database; template?: string }> {
  mkdirSync(dataDir, { recursive: true });
  const pgDir = join(dataDir, 'pglite');
  let template: string | undefined;
  let loadDataDir: Blob | undefined;
  if (isEmptyDataDir(pgDir)) {
    try {
      const migrated = migratedTemplate(manifests.map((s) => ({ schema: s.name, migrationsFolder: s.migrationsFolder })));
      if (migrated.exists) dataDirFromTemplate(migrated.path, pgDir);
      else {
        template = migrated.path;
        const snapshot = existingInitdbSnapshot();
        if (snapshot) loadDataDir = new Blob([readFileSync(snapshot)]);
      }
    } catch (err) {
      // A cache that cannot be read or written only costs the initdb it would have saved.
      logger?.warn({ err: (err as Error).message }, 'PGlite template not usable; creating the database with initdb');
      template = undefined;
    }
  }
  const pglite = await openPglite(pgDir, loadDataDir ? { loadDataDir } : {});
  return { database: fromPglite(pglite), ...(template ? { template } : {}) };
}

/** Opens the shared embedded database (see openEmbedded), for the commands that migrate and seed it. */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  return (await openEmbedded(dataDir, await loadManifests())).database;
}

export async function migrateAll(database: Database, manifests?: ServiceManifest[]): Promise<void> {
  for (const s of manifests ?? (await loadManifests())) await runMigrations(database, { schema: s.name, migrationsFolder: s.migrationsFolder });
}

export async function startEmbedded(opts: EmbeddedOptions = {}): Promise<EmbeddedPlatform> {
  const baseEnv = opts.env ?? readEnv();
  // (1) configuration is validated per service below; the data dir is created first.
  const dataDir = resolve(baseEnv.SICORA_DATA_DIR ?? './data');
  const env: Env = { ...baseEnv, SICORA_DATA_DIR: dataDir };
  const logger = opts.logger ?? createLogger({ level: env.LOG_LEVEL ?? 'info', name: 'sicora' });
  const manifests = await loadManifests();
  // Fail fast on configuration before touching the database.
  for (const s of manifests) s.loadConfig(env);

  // (2) one PGlite, every schema migrated (migrations run on every start: they bring a data dir made from
  // an older template, or by an older version, up to date, and cost little when there is nothing to apply).
  const { database, template } = await openEmbedded(dataDir, manifests, logger);
  const shared = { ...database, close: async () => undefined };
  const servers: EmbeddedPlatform['servers'] = [];
  try {
    await migrateAll(database, manifests);
    // Saved before the bootstrap writes this platform's keys and admin: a template holds no secret.
    if (template) {
      await saveTemplate(database.pglite!, join(dataDir, 'pglite'), template).catch((err: Error) =>
        logger.warn({ err: err.message }, 'PGlite template not saved; the next new data dir runs initdb again'),
      );
    }
    // (3) users bootstrap: keys, service clients, admin. (4) holidays and the database-only demo seeds.
    const bootstrap = await runBootstrap(manifests, env, database);
    if (opts.demo !== false) await runLocalSeeds(manifests, env, database);
    // (5) listen: users first, the gateway last; each service gets its own service-client secret.
    const configs = new Map<string, ReturnType<ServiceManifest['loadConfig']>>();
    for (const s of manifests) {
      const secret = bootstrap.serviceSecrets[s.name];
      const config = s.loadConfig({ ...env, ...(secret ? { SERVICE_CLIENT_SECRET: secret } : {}) });
      configs.set(s.name, config);
      const app = await s.buildApp(config, { database: shared, logger, migrationsApplied: true });
      servers.push({ name: s.name, ...(await listen(app, config.host, config.port)) });
    }
    // (6) the seeds that read other services over HTTP, now that every service listens.
    if (opts.demo !== false) {
      for (const s of manifests) {
        if (s.httpSeed) await withSeedRetries(s.name, () => s.httpSeed!({ env, database, config: configs.get(s.name)! }), { warn: (msg) => logger.warn(msg) });
      }
    }
    return {
      servers,
      bootstrap,
      dataDir,
      async close() {
        for (const s of [...servers].reverse()) await s.close().catch(() => undefined);
        await database.close();
      },
    };
  } catch (err) {
    for (const s of [...servers].reverse()) await s.close().catch(() => undefined);
    await database.close();
    throw err;
  }
}
