/**
 * buildApp: the only place that wires the users service together.
 */
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createServiceClient } from '@sicora/platform/http-client';
import { createOutboxRelay } from '@sicora/platform/outbox';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { createClientsService } from './application/clients.service.ts';
import { createLoginService } from './application/login.service.ts';
import { createPasswordsService } from './application/passwords.service.ts';
import type { GroupsPort, UsersDeps } from './application/ports.ts';
import { createSessionsService } from './application/sessions.service.ts';
import { createTokenIssuer } from './application/tokens.service.ts';
import { createUsersService } from './application/users.service.ts';
import { createImportService } from './application/import.service.ts';
import { createBulkService } from './application/bulk.service.ts';
import { bootstrapUsers, type BootstrapResult } from './bootstrap.ts';
import type { UsersConfig } from './config.ts';
import { HOUR, MINUTE } from './domain/time.ts';
import { createCleanupJob } from './jobs/cleanup.job.ts';
import { createTrustList } from './infrastructure/client-ip.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createKeyStore, type KeyStore } from './infrastructure/keys.store.ts';
import { createPasswordHasher } from './infrastructure/password.hasher.ts';
import { createMemoryLimiter, createRedisLimiter, openRedis, type LimiterOptions } from './infrastructure/rate-limiter.ts';
import { createSchedulesGroups } from './infrastructure/schedules.client.ts';
import { createUsersMetrics } from './infrastructure/users.metrics.ts';
import { authRoutes } from './http/auth.routes.ts';
import { createHttpKit } from './http/context.ts';
import { createGuard } from './http/guard.ts';
import { keysRoutes } from './http/keys.routes.ts';
import { meRoutes } from './http/me.routes.ts';
import { usersRoutes } from './http/users.routes.ts';
import { bulkRoutes } from './http/bulk.routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface UsersOverrides extends ServiceOverrides {
  /** The schedules service seen through its port (tests fake it here). */
  groups?: GroupsPort;
  /** false: do not deliver the outbox from this process (tests). */
  outboxRelay?: boolean;
  /** false: do not schedule the daily clean-up (tests run it by hand). */
  cleanupJob?: boolean;
  /** Receives the bootstrap result (main.ts prints a generated admin password once, never through the logger). */
  onBootstrap?: (result: BootstrapResult) => void;
}

export async function buildApp(config: UsersConfig, overrides: UsersOverrides = {}): Promise<App> {
  const now = overrides.now ?? (() => new Date());
  const s = config.settings;
  let keys: KeyStore | undefined;
  // The service verifies its own tokens with its own keys: no JWKS fetch from itself.
  const verifier =
    overrides.verifier ??
    createLocalVerifier(() => keys?.jwks() ?? { keys: [] }, { issuer: config.jwt.issuer, audience: config.jwt.audience, now: () => now().getTime() });
  const { app, database } = await createServiceApp({
    config,
    overrides: { ...overrides, verifier },
    remoteVerifier: false,
    migrationsFolder: MIGRATIONS_FOLDER,
    description: 'Identity, tokens, accounts and bulk loading.',
    tags: [
      { name: 'platform', description: 'Health, metrics and documentation' },
      { name: 'auth', description: 'Login, sessions, passwords and service tokens' },
      { name: 'keys', description: 'Signing keys and the revocation feed' },
      { name: 'me', description: 'Own profile and sessions' },
      { name: 'users', description: 'User management' },
      { name: 'bulk', description: 'CSV import, export and bulk operations' },
    ],
  });
  try {
    const booted = await bootstrapUsers(config, database, { now });
    overrides.onBootstrap?.(booted);
    keys = createKeyStore({ database, dataDir: config.dataDir, privateKey: s.JWT_PRIVATE_KEY, publicKeys: s.JWT_PUBLIC_KEYS, now });
    await keys.reload();
  } catch (err) {
    await app.close();
    throw err;
  }
  const keyStore = keys;
  // Another replica's rotation and retirements reach this process's verifier within a minute.
  const reloadTimer = setInterval(() => keyStore.reload().catch((err) => app.log.error({ err }, 'signing key reload failed')), MINUTE);
  reloadTimer.unref();

  const hasher = await createPasswordHasher({ memoryKib: s.USERS_ARGON2_MEMORY_KIB, iterations: s.USERS_ARGON2_ITERATIONS });
  const schedules = overrides.groups ? undefined : createSchedulesGroups({ baseUrl: config.serviceUrls.schedules });
  const deps: UsersDeps = {
    database, now, keys: keyStore, hasher, groups: overrides.groups ?? schedules!, publicAppUrl: config.publicAppUrl, timezone: config.timezone,
  };
  const tokens = createTokenIssuer(keyStore, config.jwt);
  const login = createLoginService(deps, tokens);
  const sessions = createSessionsService(deps, tokens);
  const passwords = createPasswordsService(deps, tokens, async (u, p) => login.passwordMatches(u, p));
  const clients = createClientsService(deps, tokens);
  const usersService = createUsersService(deps, passwords);
  const importer = createImportService(deps);
  const bulk = createBulkService(deps, usersService);

  const nowMs = () => now().getTime();
  const redis = config.redisUrl ? openRedis(config.redisUrl) : undefined;
  if (redis) {
    redis.on('error', () => undefined); // reconnects by itself; each failed hit is reported below
    app.health.add('redis', { required: false, timeoutMs: 1000, run: async () => (await redis.ping()) === 'PONG' });
  }
  const limiter = (name: string, limit: number, windowMs: number) => {
    const opts: LimiterOptions = { name, limit, windowMs, now: nowMs };
    return redis
      ? createRedisLimiter(redis, s.USERS_RATE_LIMIT_PREFIX, opts, (err) => app.log.warn({ err, limiter: name }, 'rate limit store unavailable; request let through'))
      : createMemoryLimiter(opts);
  };
  const limiters = {
    login: limiter('login', 100, MINUTE),
    refresh: limiter('refresh', 300, MINUTE),
    forgot: limiter('forgot', 20, HOUR),
    reset: limiter('reset', 20, 15 * MINUTE),
    serviceToken: limiter('service_token', 30, MINUTE),
  };
  const guard = createGuard(database);
  const kit = createHttpKit(createTrustList(s.TRUST_PROXY));

  await app.register(multipart, { limits: { fileSize: s.USERS_IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6 } });
  authRoutes(app, { login, sessions, passwords, clients, guard, kit, limiters, metrics: createUsersMetrics(app.metrics.registry) });
  keysRoutes(app, { database, keys: keyStore, guard, kit, now });
  meRoutes(app, { users: usersService, sessions, guard, kit, passwordMatches: login.passwordMatches });
  bulkRoutes(app, { importer, bulk, users: usersService, guard, kit, maxBytes: s.USERS_IMPORT_MAX_BYTES, timezone: config.timezone });
  usersRoutes(app, { database, users: usersService, guard, kit });

  if (s.USERS_OUTBOX_RELAY && overrides.outboxRelay !== false) {
    const notification = createServiceClient({ target: 'notification', baseUrl: config.serviceUrls.notification, timeoutMs: 5000, retries: 0 });
    const relay = createOutboxRelay({
      database, table: outbox, now, logger: app.log,
      clientFor: () => notification,
      tokenProvider: { getToken: () => clients.selfToken(), invalidate: () => undefined },
    });
    app.addHook('onReady', async () => relay.start());
    app.addHook('onClose', async () => {
      await relay.stop();
      await notification.close();
    });
  }
  if (overrides.cleanupJob !== false) {
    const job = createCleanupJob({ database, now, timezone: config.timezone, logger: app.log });
    app.addHook('onReady', async () => job.start());
    app.addHook('onClose', async () => job.stop());
  }
  app.addHook('onClose', async () => {
    clearInterval(reloadTimer);
    await schedules?.close();
    redis?.disconnect();
  });
  return app;
}
