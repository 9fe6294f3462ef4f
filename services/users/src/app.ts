/**
 * buildApp: the only place that wires the users service together.
 */
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import { createLocalVerifier } from '@sicora/platform/auth';
import { parseIpList } from '@sicora/platform/client-ip';
import { createScheduler } from '@sicora/platform/jobs';
import type { App } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { registerUploads } from '@sicora/platform/uploads';
import { createAccessService } from './application/access.service.ts';
import { createBulkService } from './application/bulk.service.ts';
import { createClientsService } from './application/clients.service.ts';
import { createDemoAccountsService } from './application/demo-accounts.service.ts';
import { createImportService } from './application/import.service.ts';
import { createKeysService } from './application/keys.service.ts';
import { createLoginService } from './application/login.service.ts';
import { createPasswordsService } from './application/passwords.service.ts';
import type { GroupsPort, UsersDeps } from './application/ports.ts';
import { createRetentionService } from './application/retention.service.ts';
import { createSecurityEventsService } from './application/security-events.service.ts';
import { createSessionsService } from './application/sessions.service.ts';
import { createTokenIssuer } from './application/tokens.service.ts';
import { createUsersService } from './application/users.service.ts';
import { bootstrapUsers, type BootstrapResult } from './bootstrap.ts';
import { demoEnabled, type UsersConfig } from './config.ts';
import { MINUTE } from './domain/time.ts';
import { cleanupJob } from './jobs/cleanup.job.ts';
import { DEMO_SEED, demoAccountCandidates } from './seed/demo.seed.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createKeyStore, type KeyStore } from './infrastructure/keys.store.ts';
import { createPasswordHasher } from './infrastructure/password.hasher.ts';
import { openRedis, reportingRedisStore } from './infrastructure/rate-limit.store.ts';
import { createUnitOfWork } from './infrastructure/repos.ts';
import { createSchedulesGroups } from './infrastructure/schedules.client.ts';
import { createUsersMetrics } from './infrastructure/users.metrics.ts';
import { authRoutes } from './http/auth.routes.ts';
import { bulkRoutes } from './http/bulk.routes.ts';
import { createHttpKit } from './http/context.ts';
import { createGuard } from './http/guard.ts';
import { keysRoutes } from './http/keys.routes.ts';
import { meRoutes } from './http/me.routes.ts';
import { routeLimits } from './http/rate-limits.ts';
import { usersRoutes } from './http/users.routes.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface UsersOverrides extends ServiceOverrides {
  /** The schedules service seen through its port (tests fake it here). */
  groups?: GroupsPort;
  /** false: do not schedule the daily clean-up (tests run it by hand). */
  cleanupJob?: boolean;
  /** Receives the bootstrap result (the CLI prints a generated admin password once, never through the logger). */
  onBootstrap?: (result: BootstrapResult) => void;
  /** Rows per keyset read of the B5 export (default 5 000): tests cross several batches with a few hundred rows. */
  exportBatchSize?: number;
}

/** R14's counters are the only per-request work that may fail open: none of the plugin's own headers, only the 429's Retry-After. */
const NO_RATE_HEADERS = { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false } as const;

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
    // The relay signs its own token (R22): the users service cannot ask itself for one over HTTP. The
    // provider is built at the first delivery, after `clients` below exists.
    outbox: {
      table: outbox,
      enabled: s.USERS_OUTBOX_RELAY,
      tokenProvider: () => ({ getToken: () => clients.selfToken(), invalidate: () => undefined }),
    },
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
  const repos = createUnitOfWork(database);
  const deps: UsersDeps = {
    repos, now, keys: keyStore, hasher, groups: overrides.groups ?? schedules!, publicAppUrl: config.publicAppUrl, timezone: config.timezone,
    exportBatchSize: overrides.exportBatchSize,
  };
  const tokens = createTokenIssuer(keyStore, config.jwt);
  const login = createLoginService(deps, tokens);
  const sessions = createSessionsService(deps, tokens);
  const passwords = createPasswordsService(deps, tokens, login.passwordMatches);
  const clients = createClientsService(deps, tokens);
  const users = createUsersService(deps, passwords, login.passwordMatches);
  const importer = createImportService(deps);
  const bulk = createBulkService(deps, users);

  const redis = config.redisUrl ? openRedis(config.redisUrl) : undefined;
  if (redis) {
    redis.on('error', () => undefined); // reconnects by itself; each failed count is reported by the store
    app.health.add('redis', { required: false, timeoutMs: 1000, run: async () => (await redis.ping()) === 'PONG' });
  }
  const kit = createHttpKit(parseIpList(s.TRUST_PROXY));
  const guard = createGuard(createAccessService(deps));

  // B1's one CSV part; a few stray form fields are read (and refused by the route) rather than cut off.
  await registerUploads(app, { maxBytes: s.USERS_IMPORT_MAX_BYTES, fields: 5 });
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler', // after validation (A7 counts per client id from the body), as the handler-side check did
    skipOnError: true,
    cache: 50_000,
    addHeaders: { ...NO_RATE_HEADERS, 'retry-after': false },
    addHeadersOnExceeding: NO_RATE_HEADERS,
    store: redis
      ? reportingRedisStore(redis, `${s.USERS_RATE_LIMIT_PREFIX}:`, (err, key) =>
        app.log.warn({ err, limiter: key.split(':')[0] }, 'rate limit store unavailable; request let through'))
      : undefined,
  });
  await app.register(authRoutes, {
    login, sessions, passwords, clients, guard, kit,
    demoAccounts: createDemoAccountsService(deps, { enabled: demoEnabled(config), seedName: DEMO_SEED, candidates: demoAccountCandidates() }),
    limits: routeLimits(kit, now), metrics: createUsersMetrics(app.metrics.registry),
  });
  await app.register(keysRoutes, { keys: createKeysService(deps), guard, kit });
  await app.register(meRoutes, { users, sessions, guard, kit });
  await app.register(bulkRoutes, { importer, bulk, users, guard, kit, maxBytes: s.USERS_IMPORT_MAX_BYTES, timezone: config.timezone, now });
  await app.register(usersRoutes, { users, events: createSecurityEventsService(deps), guard, kit });

  if (overrides.cleanupJob !== false) {
    const jobs = createScheduler({ database, schema: 'users', now, logger: app.log }, [
      cleanupJob({ retention: createRetentionService(deps), timezone: config.timezone }),
    ]);
    app.addHook('onReady', async () => jobs.start());
    app.addHook('onClose', async () => jobs.stop());
  }
  app.addHook('onClose', async () => {
    clearInterval(reloadTimer);
    await schedules?.close();
    redis?.disconnect();
  });
  return app;
}
