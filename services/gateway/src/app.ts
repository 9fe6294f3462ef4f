/**
 * buildApp: the only place that wires the gateway together — live configuration from its schema, token
 * verification, rate limits, the catch-all proxy with one undici Agent and one breaker per upstream,
 * health probes, the request log, scheduled jobs, the admin API and the status page. The service clock
 * (`overrides.now`, real time by default) reaches every component from here, so tests can move time.
 */
import { fileURLToPath } from 'node:url';
import { createBreaker, type Breaker } from '@sicora/platform/breaker';
import { parseIpList, type IpList } from '@sicora/platform/client-ip';
import { databaseCheck, type Database } from '@sicora/platform/db';
import { errors } from '@sicora/platform/errors';
import { createScheduler } from '@sicora/platform/jobs';
import { createNotificationProducer } from '@sicora/platform/notify';
import type { App } from '@sicora/platform/server';
import { registerHealthRoutes } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import { UPSTREAM_NAMES, type UpstreamName } from '@sicora/platform/services';
import type { GatewayConfig } from './config.ts';
import { effectiveBaseUrl, withTimingOverride } from './core/gateway-config.ts';
import type { GatewayHealth, HealthReport } from './core/health-aggregation.ts';
import { createAdminGuard, type AdminGuard } from './http/admin-guard.ts';
import { configRoutes } from './http/config.routes.ts';
import { healthRoutes, registerMergedDocs } from './http/health.routes.ts';
import { registerPathGuard } from './http/path-guard.hook.ts';
import { policiesRoutes } from './http/policies.routes.ts';
import { proxyRoutes } from './http/proxy.routes.ts';
import { registerRequestContext } from './http/request-context.ts';
import { INSTANCE_ID, registerRequestLog } from './http/request-log.hook.ts';
import { requestLogsRoutes } from './http/request-logs.routes.ts';
import { routeRulesRoutes } from './http/route-rules.routes.ts';
import type { GatewayRuntime } from './http/runtime.ts';
import { servicesRoutes } from './http/services.routes.ts';
import { drainGateway, registerShutdownGate } from './http/shutdown.ts';
import { statusRoutes } from './http/status.routes.ts';
import { registerWebApp, webDistDir } from './http/web.routes.ts';
import { createConfigAdmin } from './infrastructure/config-admin.ts';
import { createConfigStore, type ConfigStore } from './infrastructure/config-store.ts';
import { createConfigRepo } from './infrastructure/config.repo.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createGatewayMetrics, type GatewayMetrics } from './infrastructure/gateway-metrics.ts';
import { createHealthPoller, type HealthPoller } from './infrastructure/health-poller.ts';
import { createIncidentNotifier } from './infrastructure/incident-notifier.job.ts';
import { createJwksVerifier } from './infrastructure/jwks-verifier.ts';
import { createOpenApiMerger } from './infrastructure/openapi-merger.ts';
import { createProbeLeader } from './infrastructure/probe-leader.ts';
import { createProbeRecorder } from './infrastructure/probe-recorder.ts';
import { createMemoryStore, createRedisStore } from './infrastructure/rate-limit-store.ts';
import { createRateLimiter } from './infrastructure/rate-limiter.ts';
import { createRegistryRepo } from './infrastructure/registry.repo.ts';
import { createRequestLogRepo } from './infrastructure/request-log.repo.ts';
import { createRequestLogWriter } from './infrastructure/request-log.ts';
import { createRetentionJob } from './infrastructure/retention.job.ts';
import { createGatewayAuth, type GatewayAuth } from './infrastructure/token-auth.ts';
import { closeUpstreamAgents, createUpstreamAgents, type UpstreamAgents } from './infrastructure/upstream-agents.ts';
import { createUpstreamForwarder, isCountedFailure } from './infrastructure/upstream-forwarder.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
const VERSION = '1.0.0';

declare module 'fastify' {
  interface FastifyInstance {
    gatewayHealth: HealthPoller;
    gatewayRuntime: GatewayRuntime;
  }
}

type Settings = GatewayConfig['settings'];

/**
 * R30: one breaker per upstream on the service clock — rolling 10 s in 10 buckets, at least
 * `GATEWAY_BREAKER_VOLUME` attempts and 50 % of them failed (opossum opens strictly above 49.99), the
 * caller times its own attempts, a close starts from empty statistics (§3.8).
 */
function createCircuits(app: App, s: Settings, metrics: GatewayMetrics, now: () => Date): Map<UpstreamName, Breaker> {
  return new Map(
    UPSTREAM_NAMES.map((name) => {
      metrics.circuitState(name, 'closed');
      const breaker = createBreaker(`gateway:${name}`, {
        volumeThreshold: s.GATEWAY_BREAKER_VOLUME,
        errorThresholdPercentage: 49.99,
        resetTimeoutMs: s.GATEWAY_BREAKER_RESET_MS,
        rollingCountTimeoutMs: 10_000,
        rollingCountBuckets: 10,
        timeoutMs: false,
        isFailure: isCountedFailure,
        resetStatsOnClose: true,
        now,
        onStateChange: (state) => {
          metrics.circuitState(name, state);
          app.log.warn({ upstream: name, circuit: state }, 'circuit state changed');
        },
      });
      return [name, breaker];
    }),
  );
}

/** R9–R11: the gateway's own JWKS fetcher, the claim cache and, with service credentials, the revocation feed. */
function createTokenAuth(app: App, config: GatewayConfig, usersUrl: () => string, metrics: GatewayMetrics, now: () => Date, onKeys: () => void) {
  const epochMs = () => now().getTime();
  const verifier = createJwksVerifier({
    url: () => `${usersUrl()}/.well-known/jwks.json`,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    now: epochMs,
    onFetch: (outcome) => metrics.jwksRefresh(outcome),
    onKeys,
  });
  const auth = createGatewayAuth({
    verifier,
    now: epochMs,
    feed: config.serviceClientSecret
      ? { usersUrl, tokenProvider: createServiceTokenProvider({ usersUrl: usersUrl(), clientId: 'gateway', clientSecret: config.serviceClientSecret, now }) }
      : undefined,
    onFeedError: (err) => app.log.warn({ err: (err as Error).message }, 'revocation feed read failed; last data stays in force'),
  });
  return { verifier, auth };
}

/** R36: the gateway's own part of `/health`; the database check gives up after 2 s (a hung pool counts as down). */
function gatewayChecks(database: Database, store: ConfigStore, live: () => Pick<GatewayHealth, 'redis' | 'jwks'>) {
  const dbCheck = databaseCheck(database);
  return async (): Promise<GatewayHealth> => {
    const dbOk = await Promise.race([
      Promise.resolve().then(dbCheck.run).then(() => true, () => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
    return {
      database: dbOk ? 'ok' : 'error',
      ...live(),
      config_version: store.current().source === 'database' ? store.current().snapshot.version : null,
    };
  };
}

/** R55: /metrics from allowed networks, or with an admin token from anywhere; the feed age is read per scrape. */
function guardMetrics(app: App, allowed: IpList, guard: AdminGuard, auth: GatewayAuth, metrics: GatewayMetrics): void {
  app.addHook('onRequest', async (request) => {
    if ((request.raw.url ?? '').split('?')[0] !== '/metrics') return;
    if (allowed.has(request.ip)) return;
    const user = await guard.identify(request).catch(() => null);
    if (user?.role !== 'admin') throw errors.forbidden('No tiene permisos para esta acción', { reason: 'metrics_network' });
  });
  app.addHook('onRequest', async () => {
    metrics.revocationFeedAge(auth.feedAgeSeconds());
  });
}

export async function buildApp(config: GatewayConfig, overrides: ServiceOverrides = {}): Promise<App> {
  const s = config.settings;
  const now = overrides.now ?? (() => new Date());
  const trusted = parseIpList(s.TRUST_PROXY);
  // Read lazily (first delivery): users' base URL comes from the live configuration built below.
  const usersUrl = () => effectiveBaseUrl(store.current().services.get('users')!).replace(/\/+$/, '');
  const { app, database } = await createServiceApp({
    config,
    overrides: { ...overrides, now },
    migrationsFolder: MIGRATIONS_FOLDER,
    version: VERSION,
    description: 'Single entry point of SICORA: token verification, route rules, rate limits and resilient forwarding to every service.',
    tags: [
      { name: 'platform', description: 'Health, metrics and documentation' },
      { name: 'gateway-status', description: 'Status API and status page' },
      { name: 'gateway-services', description: 'Service registry' },
      { name: 'gateway-routes', description: 'Route rules' },
      { name: 'gateway-rate-limits', description: 'Rate-limit policies and counters' },
      { name: 'gateway-config', description: 'Configuration versions, import and export' },
      { name: 'gateway-logs', description: 'Request log and stats' },
    ],
    remoteVerifier: false,
    healthRoutes: false,
    trustProxy: [...trusted.cidrs],
    // R39's incident requests go to notification with the gateway's own service token, when it has credentials.
    outbox: {
      table: outbox,
      enabled: Boolean(config.serviceClientSecret),
      tokenProvider: () => createServiceTokenProvider({ usersUrl: usersUrl(), clientId: 'gateway', clientSecret: config.serviceClientSecret ?? '', now }),
    },
  });
  const metrics = createGatewayMetrics(app.metrics.registry);
  const circuits = createCircuits(app, s, metrics, now);

  const repo = createConfigRepo(database, now);
  const store = createConfigStore({
    repo,
    baseUrls: Object.fromEntries(UPSTREAM_NAMES.map((n) => [n, config.serviceUrls[n]])),
    pollMs: s.GATEWAY_CONFIG_POLL_MS,
    now,
    transform: (snap) => withTimingOverride(snap, { attemptTimeoutMs: s.GATEWAY_ATTEMPT_TIMEOUT_MS, deadlineMs: s.GATEWAY_DEADLINE_MS, maxRetries: s.GATEWAY_MAX_RETRIES }),
    onChange: (next, previous) => {
      metrics.configVersion(next.snapshot.version);
      for (const svc of next.snapshot.services) {
        const before = previous.services.get(svc.name)?.circuit_override ?? null;
        const circuit = circuits.get(svc.name as UpstreamName);
        if (circuit && before !== svc.circuit_override) metrics.circuitState(svc.name, svc.circuit_override ?? circuit.state());
      }
    },
    onError: (err) => app.log.warn({ err }, 'configuration load failed; keeping the configuration in force'),
  });
  // The first keys mean users answers: a round that found it (or a service waiting for its keys) down is
  // probed again at once instead of at the next interval (10 s by default), so `/health` turns 200 then.
  let keysLoaded = false;
  const { verifier, auth } = createTokenAuth(app, config, usersUrl, metrics, now, () => {
    if (keysLoaded) return;
    keysLoaded = true;
    void poller.reprobe();
  });

  const epochMs = () => now().getTime();
  const rlStore = config.redisUrl
    ? createRedisStore(config.redisUrl, { prefix: s.GATEWAY_REDIS_PREFIX, now: epochMs, onError: () => undefined })
    : createMemoryStore(epochMs);
  const limiter = createRateLimiter({ store: rlStore, metrics, now });
  const agents: UpstreamAgents = createUpstreamAgents([...UPSTREAM_NAMES]);

  await store.init();
  const registry = createRegistryRepo(database);
  const recorder = createProbeRecorder({ registry, circuits, metrics, now, onError: (err) => app.log.warn({ err: (err as Error).message }, 'health row not written') });
  const probeLeader = createProbeLeader({
    database,
    name: 'gateway:probes',
    onError: (err) => app.log.warn({ err: (err as Error).message }, 'probe lock check failed; probing from this instance'),
  });
  const liveChecks = () => ({
    redis: config.redisUrl ? (limiter.healthy() ? ('ok' as const) : ('error' as const)) : ('not_configured' as const),
    jwks: verifier.hasKeys() && !verifier.stale() ? ('ok' as const) : ('error' as const),
  });
  const poller = createHealthPoller({
    services: () => store.current().snapshot.services,
    agents,
    circuits,
    intervalMs: s.GATEWAY_PROBE_INTERVAL_MS,
    now,
    role: probeLeader.acquire,
    sharedStates: registry.sharedStates,
    gatewayHealth: gatewayChecks(database, store, liveChecks),
    gatewayLive: liveChecks,
    onError: (err) => app.log.error({ err }, 'health probe round failed'),
    onProbe: recorder.onProbe,
  });
  app.decorate('gatewayHealth', poller);

  app.health.add('database', { ...databaseCheck(database), required: false });
  app.health.add('config', { required: true, run: () => true });
  app.health.add('jwks', { required: true, run: () => verifier.hasKeys() });
  if (config.redisUrl) app.health.add('redis', { required: false, run: () => rlStore.healthy() });
  registerHealthRoutes(app, 'gateway', VERSION, '/health/live');
  registerPathGuard(app);
  registerRequestContext(app, now);
  registerShutdownGate(app, now);
  // R34 on SIGTERM: `sicora serve` and `sicora start` close through the platform's listen, which drains first.
  app.decorate('drain', () => drainGateway(app));

  const logWriter = s.GATEWAY_REQUEST_LOG_ENABLED
    ? createRequestLogWriter({ database, onDropped: (n) => metrics.requestLogDropped(n), onError: () => undefined })
    : undefined;
  registerRequestLog(app, { writer: logWriter, instanceId: INSTANCE_ID });
  // R64: the web app at `/` (after the path guard, before the proxy's catch-all).
  registerWebApp(app, { distDir: webDistDir(s.WEB_DIST_DIR) });

  const guard = createAdminGuard(auth);
  const rt: GatewayRuntime = {
    version: VERSION,
    instanceId: INSTANCE_ID,
    startedAt: now(),
    now,
    config: store,
    configAdmin: createConfigAdmin({ repo, store }),
    history: registry,
    poller,
    circuits,
    limiter,
    auth,
    guard,
    statusBook: recorder.statusBook,
    hasKeys: () => verifier.hasKeys(),
    keyIds: () => verifier.keyIds(),
    jwksFetchedAt: () => verifier.fetchedAt(),
    jwksStale: () => verifier.stale(),
  };
  app.decorate('gatewayRuntime', rt);
  guardMetrics(app, parseIpList(s.METRICS_ALLOWED_CIDRS), guard, auth, metrics);

  const requestLogs = createRequestLogRepo(database);
  const openapi = createOpenApiMerger({
    database,
    services: () => store.current().snapshot.services,
    routes: () => store.current().snapshot.routes,
    own: () => app.swagger() as Record<string, unknown>,
    publicBaseUrl: config.publicBaseUrl,
    refreshMs: s.GATEWAY_OPENAPI_REFRESH_MS,
    now,
    onWarn: (msg, obj) => app.log.warn(obj, msg),
  });
  registerMergedDocs(app, openapi, now);
  await app.register(healthRoutes, { poller });
  await app.register(statusRoutes, { rt, storeKind: rlStore.kind });
  await app.register(servicesRoutes, { rt });
  await app.register(routeRulesRoutes, { rt });
  await app.register(policiesRoutes, { rt });
  await app.register(configRoutes, { rt, openapi });
  await app.register(requestLogsRoutes, { guard, logs: requestLogs, now, timeZone: config.timezone });
  await app.register(proxyRoutes, {
    config: store,
    auth,
    limiter,
    failureMode: s.RATE_LIMIT_FAILURE_MODE,
    metrics,
    circuits,
    hasKeys: () => verifier.hasKeys(),
    forwarder: createUpstreamForwarder({
      baseUrlOf: (name) => effectiveBaseUrl(store.current().services.get(name)!),
      agents,
      circuits,
      metrics,
    }),
  });

  // R47's retention at 03:30 Bogotá on one instance; R39's incident check on every instance.
  const jobs = createScheduler({ database, schema: 'gateway', now, logger: app.log }, [
    createRetentionJob({ database, logs: requestLogs, retentionDays: s.GATEWAY_REQUEST_LOG_RETENTION_DAYS, timeZone: config.timezone, now }),
    createIncidentNotifier({
      database,
      registry,
      notifications: createNotificationProducer({ service: 'gateway', table: outbox }),
      downAfterMs: s.GATEWAY_INCIDENT_AFTER_MS,
      publicBaseUrl: config.publicBaseUrl,
      now,
      onError: (err) => app.log.warn({ err: (err as Error).message }, 'incident check failed'),
    }),
  ]);

  app.addHook('onReady', async () => {
    poller.start();
    store.start();
    auth.start(s.GATEWAY_REVOCATION_POLL_MS);
    logWriter?.start();
    openapi.start();
    await jobs.start();
  });
  app.addHook('preClose', async () => {
    app.health.shuttingDown = true;
  });
  // onClose hooks run last-registered first: this one before the platform's relay and database close.
  app.addHook('onClose', async () => {
    poller.stop();
    await probeLeader.release();
    store.stop();
    auth.stop();
    openapi.stop();
    await jobs.stop();
    await logWriter?.stop();
    for (const circuit of circuits.values()) circuit.shutdown();
    await closeUpstreamAgents(agents);
    await rlStore.close();
  });
  return app;
}

/** Resolves once the first probe round is done (after `ready()`), e.g. for the CLI to print readiness. */
export function awaitFirstProbe(app: App): Promise<HealthReport> {
  return app.gatewayHealth.firstRound();
}
