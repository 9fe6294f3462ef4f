/**
 * What every service's `buildApp` starts with: its database (the shared embedded one, its own PGlite,
 * or a pool from `<SERVICE>_DATABASE_URL`), its migrations, the server and token verification, its own
 * service token, and — for a service that sends notifications — the outbox relay to the notification
 * service, started when the app is ready and stopped when it closes.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createRemoteVerifier, registerAuth, type TokenVerifier } from './auth.ts';
import type { BaseConfig } from './config.ts';
import { serviceLogger } from './logging.ts';
import { databaseCheck, fromPglite, openPglite, openPool, runMigrations, type Database } from './db.ts';
import { createServiceClient, type TokenProvider, type TypedServiceClient } from './http-client.ts';
import type { ServiceName } from './services.ts';
import { NOTIFICATION_SERVICE } from './notify.ts';
import { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox.ts';
import { createServer, type App } from './server.ts';
import { createServiceTokenProvider } from './service-token.ts';
import type { OutboxTable } from './tables.ts';

export interface ServiceOverrides {
  /** A database opened by the caller (the embedded start, tests); the caller closes it. */
  database?: Database;
  verifier?: TokenVerifier;
  logger?: Logger;
  /** The clock use cases read (tests fix "now"). */
  now?: () => Date;
  /** The caller has already applied this service's migrations (the embedded start migrates every schema first). */
  migrationsApplied?: boolean;
  /** false: this process does not relay the outbox (tests read the rows, or drive `outboxRelay.runOnce()`). */
  outboxRelay?: boolean;
}

/** A service that sends notifications (00-conventions §9) declares its outbox here. */
export interface ServiceOutboxOptions {
  table: OutboxTable;
  /** The service's own switch (e.g. `USERS_OUTBOX_RELAY`); default true. `overrides.outboxRelay: false` also turns it off. */
  enabled?: boolean;
  /**
   * The token the relay sends with; default `serviceToken` (below). A function is called on the first
   * delivery, so it may use what buildApp creates after createServiceApp (users signs its own token).
   */
  tokenProvider?: TokenProvider | (() => TokenProvider);
  /** Relay tuning; the defaults suit production. */
  relay?: Pick<OutboxRelayOptions, 'intervalMs' | 'batchSize' | 'maxAttempts' | 'backoffBaseMs' | 'leaseMs'>;
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
  outbox?: ServiceOutboxOptions;
}

export interface ServiceApp {
  app: App;
  database: Database;
  /**
   * This service's own service token (client id = the service name, secret `SERVICE_CLIENT_SECRET`),
   * for its clients of other services; fetched on first use, then cached until shortly before expiry.
   */
  serviceToken: TokenProvider;
  /**
   * A client of another service at its configured URL, calling with `serviceToken`, closed with the app
   * (timeout 3 s unless given): the one way a service's app.ts builds the clients behind its ports.
   */
  clientOf(target: ServiceName, opts?: { timeoutMs?: number }): TypedServiceClient;
  /** The relay to the notification service, when `outbox` is declared and enabled. */
  outboxRelay?: OutboxRelay;
}

export async function openServiceDatabase(config: Pick<BaseConfig, 'service' | 'databaseUrl' | 'dataDir'>): Promise<Database> {
  if (config.databaseUrl) return openPool(config.databaseUrl, { applicationName: `sicora-${config.service}` });
  return fromPglite(await openPglite(join(config.dataDir, 'pglite')));
}

/** Resolves a provider given as a factory on first use, once. */
function lazyProvider(source: TokenProvider | (() => TokenProvider)): TokenProvider {
  if (typeof source !== 'function') return source;
  let provider: TokenProvider | undefined;
  return {
    getToken: () => (provider ??= source()).getToken(),
    invalidate: () => provider?.invalidate(),
  };
}

/**
 * The relay wiring every producer shares: its own notification client (one attempt per pass: the relay
 * retries with its own backoff), the service's token, started on ready and stopped on close (before the
 * database it owns closes: onClose hooks run last-registered first).
 */
function wireOutboxRelay(app: App, database: Database, config: BaseConfig, outbox: ServiceOutboxOptions, tokenProvider: TokenProvider, now?: () => Date): OutboxRelay {
  const notification = createServiceClient({ target: NOTIFICATION_SERVICE, baseUrl: config.serviceUrls.notification, timeoutMs: 5000, retries: 0 });
  const relay = createOutboxRelay({
    ...outbox.relay,
    database,
    table: outbox.table,
    now,
    logger: app.log,
    clientFor: () => notification,
    tokenProvider,
  });
  app.addHook('onReady', async () => relay.start());
  app.addHook('onClose', async () => {
    await relay.stop();
    await notification.close();
  });
  return relay;
}

export async function createServiceApp(opts: ServiceAppOptions): Promise<ServiceApp> {
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
    logger: overrides.logger ? serviceLogger(overrides.logger, config.service) : undefined,
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
  const serviceToken = createServiceTokenProvider({
    usersUrl: config.serviceUrls.users,
    clientId: config.service,
    // Without a secret the users service refuses the token: calls fail as 503 (and the relay retries) until configured.
    clientSecret: config.serviceClientSecret ?? '',
  });
  const { outbox } = opts;
  const relayOn = outbox !== undefined && outbox.enabled !== false && overrides.outboxRelay !== false;
  const outboxRelay = relayOn
    ? wireOutboxRelay(app, database, config, outbox, outbox.tokenProvider ? lazyProvider(outbox.tokenProvider) : serviceToken, overrides.now)
    : undefined;
  const clientOf = (target: ServiceName, o: { timeoutMs?: number } = {}): TypedServiceClient => {
    const client = createServiceClient({ target, baseUrl: config.serviceUrls[target], tokenProvider: serviceToken, timeoutMs: o.timeoutMs ?? 3000 });
    app.addHook('onClose', async () => client.close());
    return client;
  };
  return { app, database, serviceToken, clientOf, outboxRelay };
}
