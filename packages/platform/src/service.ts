/**
 * What every service's `buildApp` starts with: its database (the shared embedded one, its own PGlite,
 * or a pool from `<SERVICE>_DATABASE_URL`), its migrations, the server and token verification.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createRemoteVerifier, registerAuth, type TokenVerifier } from './auth.ts';
import type { BaseConfig } from './config.ts';
import { databaseCheck, fromPglite, openPglite, openPool, runMigrations, type Database } from './db.ts';
import { createServer, type App } from './server.ts';

export interface ServiceOverrides {
  /** A database opened by the caller (the embedded start, tests); the caller closes it. */
  database?: Database;
  verifier?: TokenVerifier;
  logger?: Logger;
  /** The clock use cases read (tests fix "now"). */
  now?: () => Date;
  /** The caller has already applied this service's migrations (the embedded start migrates every schema first). */
  migrationsApplied?: boolean;
}

export interface ServiceAppOptions {
  config: BaseConfig;
  overrides?: ServiceOverrides;
  migrationsFolder: string;
  version?: string;
  description: string;
  tags?: Array<{ name: string; description: string }>;
  /** false for the users service, which verifies with its own keys (it passes `overrides.verifier`). */
  remoteVerifier?: boolean;
  trustProxy?: boolean | string | string[];
  /** false where the service answers `/health` itself (the gateway's platform-wide aggregate). */
  healthRoutes?: boolean;
}

export async function openServiceDatabase(config: Pick<BaseConfig, 'service' | 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) return openPool(config.databaseUrl, { applicationName: `sicora-${config.service}` });
  return fromPglite(await openPglite(join(config.dataDir, 'pglite')));
}

export async function createServiceApp(opts: ServiceAppOptions): Promise<{ app: App; database: Database }> {
  const { config, overrides = {} } = opts;
  const ownsDatabase = !overrides.database;
  const database = overrides.database ?? (await openServiceDatabase(config));
  try {
    if (!overrides.migrationsApplied) await runMigrations(database, { schema: config.service, migrationsFolder: opts.migrationsFolder });
  } catch (err) {
    if (ownsDatabase) await database.close();
    throw err;
  }
  const app = await createServer({
    name: config.service,
    version: opts.version,
    description: opts.description,
    config,
    logger: overrides.logger?.child({ service: config.service }),
    tags: opts.tags,
    trustProxy: opts.trustProxy,
    healthRoutes: opts.healthRoutes,
  });
  app.health.add('database', databaseCheck(database));
  if (!config.redisUrl) app.health.markNotConfigured('redis');
  const verifier =
    overrides.verifier ??
    (opts.remoteVerifier === false
      ? undefined
      : createRemoteVerifier({ jwksUrl: config.jwt.jwksUrl, issuer: config.jwt.issuer, audience: config.jwt.audience }));
  if (verifier) registerAuth(app, verifier);
  if (ownsDatabase) app.addHook('onClose', async () => database.close());
  return { app, database };
}
