/**
 * The embedded default: every service and the gateway in one process, one PGlite in the data dir,
 * each service in its own schema (01-architecture §1, start-up order steps 1–6).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEnv, type Env } from '@sicora/platform/config';
import { fromPglite, openPglite, runMigrations, type Database } from '@sicora/platform/db';
import { createLogger } from '@sicora/platform/logging';
import { listen, type Listening } from '@sicora/platform/lifecycle';
import { loadManifests } from '@sicora/platform/manifests';
import type { ServiceManifest } from '@sicora/platform/manifest';
import type { Logger } from 'pino';
import { runBootstrap, runLocalSeeds, type BootstrapResult } from './seeds.ts';

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

/** Opens the shared embedded database and applies every service's migrations. */
export async function openEmbeddedDatabase(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const pglite = await openPglite(join(dataDir, 'pglite'));
  return fromPglite(pglite);
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

  // (2) one PGlite, every schema migrated.
  const database = await openEmbeddedDatabase(dataDir);
  const shared = { ...database, close: async () => undefined };
  const servers: EmbeddedPlatform['servers'] = [];
  try {
    await migrateAll(database, manifests);
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
      for (const s of manifests) await s.httpSeed?.({ env, database, config: configs.get(s.name)! });
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
