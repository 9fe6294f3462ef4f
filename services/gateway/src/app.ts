/**
 * buildApp: the only place that wires the gateway together — live configuration from its schema, token
 * verification, rate limits, the catch-all proxy with one undici Agent and one breaker per upstream,
 * health probes, the request log, the admin API and the status page.
 */
import { BlockList, isIPv4 } from 'node:net';
import { fileURLToPath } from 'node:url';
import { databaseCheck } from '@sicora/platform/db';
import { errors } from '@sicora/platform/errors';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import type { App } from '@sicora/platform/server';
import { registerHealthRoutes } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import { UPSTREAM_NAMES, type UpstreamName } from '@sicora/platform/services';
import { splitCidrs, type GatewayConfig } from './config.ts';
import { effectiveBaseUrl, type ConfigSnapshot } from './core/gateway-config.ts';
import type { HealthReport } from './core/health-aggregation.ts';
import { createAdminGuard } from './http/admin-guard.ts';
import { configRoutes } from './http/config.routes.ts';
import { healthRoutes, registerMergedDocs } from './http/health.routes.ts';
import { registerPathGuard } from './http/path-guard.hook.ts';
import { policiesRoutes } from './http/policies.routes.ts';
import { proxyRoutes } from './http/proxy.routes.ts';
import { registerRequestContext } from './http/request-context.ts';
import { registerShutdownGate } from './http/shutdown.ts';
import { INSTANCE_ID, registerRequestLog } from './http/request-log.hook.ts';
import { requestLogsRoutes } from './http/request-logs.routes.ts';
import { routeRulesRoutes } from './http/route-rules.routes.ts';
import type { GatewayRuntime } from './http/runtime.ts';
import { servicesRoutes } from './http/services.routes.ts';
import { statusRoutes } from './http/status.routes.ts';
import { createCircuit, type Circuit } from './infrastructure/circuit-breaker.ts';
import { createConfigAdmin } from './infrastructure/config-admin.ts';
import { createConfigRepo } from './infrastructure/config.repo.ts';
import { createConfigStore } from './infrastructure/config-store.ts';
import { createGatewayMetrics } from './infrastructure/gateway-metrics.ts';
import { circuitView, createHealthPoller, type HealthPoller } from './infrastructure/health-poller.ts';
import { createProbeLeader } from './infrastructure/probe-leader.ts';
import { createRateLimiter } from './infrastructure/rate-limiter.ts';
import { createMemoryStore, createRedisStore } from './infrastructure/rate-limit-store.ts';
import { createRegistryRepo } from './infrastructure/registry.repo.ts';
import { createRequestLogWriter } from './infrastructure/request-log.ts';
import { createRequestLogRepo } from './infrastructure/request-log.repo.ts';
import { createRetentionJob } from './infrastructure/retention.job.ts';
import { createIncidentNotifier } from './infrastructure/incident-notifier.job.ts';
import { outbox } from './infrastructure/db/schema.ts';
import { createOutboxRelay } from '@sicora/platform/outbox';
import { createServiceClient } from '@sicora/platform/http-client';
import { createJwksVerifier } from './infrastructure/jwks-verifier.ts';
import { createGatewayAuth } from './infrastructure/token-auth.ts';
import { closeUpstreamAgents, createUpstreamAgents } from './infrastructure/upstream-agents.ts';
import { createUpstreamForwarder } from './infrastructure/upstream-forwarder.ts';
import { createOpenApiMerger } from './infrastructure/openapi-merger.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
const VERSION = '1.0.0';

declare module 'fastify' {
  interface FastifyInstance {
    gatewayHealth: HealthPoller;
    gatewayRuntime: GatewayRuntime;
  }
}

function blockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    const type = isIPv4(net) ? 'ipv4' : 'ipv6';
    list.addSubnet(net, Number(bits ?? (type === 'ipv4' ? 32 : 128)), type);
  }
  return list;
}

export function inList(list: BlockList, ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, '');
  return isIPv4(v4) ? list.check(v4, 'ipv4') : list.check(ip, 'ipv6');
}

export async function buildApp(config: GatewayConfig, overrides: ServiceOverrides = {}): Promise<App> {
  const s = config.settings;
  const { app, database } = await createServiceApp({
    config,
    overrides,
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
    trustProxy: splitCidrs(s.TRUST_PROXY),
  });
  const metrics = createGatewayMetrics(app.metrics.registry);
  const baseUrls = Object.fromEntries(UPSTREAM_NAMES.map((n) => [n, config.serviceUrls[n]]));
  const timingOverride = (snap: ConfigSnapshot): ConfigSnapshot => {
    if (s.GATEWAY_ATTEMPT_TIMEOUT_MS === undefined && s.GATEWAY_DEADLINE_MS === undefined && s.GATEWAY_MAX_RETRIES === undefined) return snap;
    const services = snap.services.map((svc) => {
      const deadline = s.GATEWAY_DEADLINE_MS ?? svc.deadline_ms;
      return { ...svc, deadline_ms: deadline, attempt_timeout_ms: Math.min(s.GATEWAY_ATTEMPT_TIMEOUT_MS ?? svc.attempt_timeout_ms, deadline), max_retries: s.GATEWAY_MAX_RETRIES ?? svc.max_retries };
    });
    return { ...snap, services };
  };
  const repo = createConfigRepo(database);
  const store = createConfigStore({
    repo,
    baseUrls,
    pollMs: s.GATEWAY_CONFIG_POLL_MS,
    transform: timingOverride,
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
  const usersUrl = () => effectiveBaseUrl(store.current().services.get('users')!).replace(/\/+$/, '');

  const verifier = createJwksVerifier({
    url: () => `${usersUrl()}/.well-known/jwks.json`,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    onFetch: (outcome) => metrics.jwksRefresh(outcome),
  });
  const auth = createGatewayAuth({
    verifier,
    feed: config.serviceClientSecret
      ? { usersUrl, tokenProvider: createServiceTokenProvider({ usersUrl: usersUrl(), clientId: 'gateway', clientSecret: config.serviceClientSecret }) }
      : undefined,
    onFeedError: (err) => app.log.warn({ err: (err as Error).message }, 'revocation feed read failed; last data stays in force'),
  });

  const rlStore = config.redisUrl
    ? createRedisStore(config.redisUrl, { prefix: s.GATEWAY_REDIS_PREFIX, onError: () => undefined })
    : createMemoryStore();
  const limiter = createRateLimiter({ store: rlStore, metrics });

  const names = [...UPSTREAM_NAMES];
  const agents = createUpstreamAgents(names);
  const circuits = new Map<UpstreamName, Circuit>(
    names.map((name) => {
      metrics.circuitState(name, 'closed');
      const circuit = createCircuit({
        resetTimeoutMs: s.GATEWAY_BREAKER_RESET_MS,
        volumeThreshold: s.GATEWAY_BREAKER_VOLUME,
        onStateChange: (state) => {
          metrics.circuitState(name, state);
          app.log.warn({ service: name, circuit: state }, 'circuit state changed');
        },
      });
      return [name, circuit];
    }),
  );

  await store.init();
  const registry = createRegistryRepo(database);
  const statusBook = new Map<string, { since: Date; lastError: string | null }>();
  const lastCircuit = new Map<string, string>();
  const dbCheck = databaseCheck(database);
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
    role: probeLeader.acquire,
    sharedStates: registry.sharedStates,
    gatewayHealth: async () => {
      const dbOk = await Promise.race([Promise.resolve().then(dbCheck.run).then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref())]);
      return {
        database: dbOk ? 'ok' : 'error',
        ...liveChecks(),
        config_version: store.current().source === 'database' ? store.current().snapshot.version : null,
      };
    },
    gatewayLive: liveChecks,
    onError: (err) => app.log.error({ err }, 'health probe round failed'),
    onProbe: (svc, result, state, previous) => {
      const now = new Date();
      const book = statusBook.get(svc.name);
      if (!book || state.status !== previous.status) statusBook.set(svc.name, { since: now, lastError: result.errorCode });
      else book.lastError = result.errorCode;
      metrics.serviceUp(svc.name, state.status === 'up', result.latencyMs / 1000);
      const circuit = circuitView(svc, circuits.get(svc.name as UpstreamName)!);
      const circuitChanged = lastCircuit.has(svc.name) && lastCircuit.get(svc.name) !== circuit;
      lastCircuit.set(svc.name, circuit);
      if (state.status === 'unknown') return;
      registry
        .recordProbe({
          service: svc.name,
          status: state.status === 'up' ? 'up' : 'down',
          statusChanged: state.status !== previous.status,
          circuitChanged,
          checkedAt: now,
          httpStatus: result.httpStatus,
          latencyMs: result.latencyMs,
          errorCode: result.errorCode,
          consecutiveFailures: state.consecutiveFailures,
          circuit,
        })
        .catch((err) => app.log.warn({ err: (err as Error).message }, 'health row not written'));
    },
  });
  app.decorate('gatewayHealth', poller);

  app.health.add('database', { ...dbCheck, required: false });
  app.health.add('config', { required: true, run: () => true });
  app.health.add('jwks', { required: true, run: () => verifier.hasKeys() });
  if (config.redisUrl) app.health.add('redis', { required: false, run: () => rlStore.healthy() });
  registerHealthRoutes(app, 'gateway', VERSION, '/health/live');
  registerPathGuard(app);
  registerRequestContext(app);
  registerShutdownGate(app);

  const logWriter = s.GATEWAY_REQUEST_LOG_ENABLED
    ? createRequestLogWriter({ database, onDropped: (n) => metrics.requestLogDropped(n), onError: () => undefined })
    : undefined;
  registerRequestLog(app, { writer: logWriter, instanceId: INSTANCE_ID });

  const guard = createAdminGuard(auth);
  const rt: GatewayRuntime = {
    version: VERSION,
    instanceId: INSTANCE_ID,
    startedAt: new Date(),
    database,
    config: store,
    configAdmin: createConfigAdmin({ repo, store }),
    repo,
    registry,
    poller,
    circuits,
    limiter,
    auth,
    guard,
    metrics,
    statusBook,
    hasKeys: () => verifier.hasKeys(),
    keyIds: () => verifier.keyIds(),
    jwksFetchedAt: () => verifier.fetchedAt(),
    jwksStale: () => verifier.stale(),
  };
  app.decorate('gatewayRuntime', rt);

  // R55: /metrics from allowed networks, or with an admin token from anywhere.
  const metricsAllowed = blockList(splitCidrs(s.METRICS_ALLOWED_CIDRS));
  app.addHook('onRequest', async (request) => {
    if ((request.raw.url ?? '').split('?')[0] !== '/metrics') return;
    if (inList(metricsAllowed, request.ip)) return;
    const user = await guard.identify(request).catch(() => null);
    if (user?.role !== 'admin') throw errors.forbidden('No tiene permisos para esta acción', { reason: 'metrics_network' });
  });
  app.addHook('onRequest', async () => {
    metrics.revocationFeedAge(auth.feedAgeSeconds());
  });

  const openapi = createOpenApiMerger({
    database,
    services: () => store.current().snapshot.services,
    routes: () => store.current().snapshot.routes,
    own: () => app.swagger() as Record<string, unknown>,
    publicBaseUrl: config.publicBaseUrl,
    refreshMs: s.GATEWAY_OPENAPI_REFRESH_MS,
    onWarn: (msg, obj) => app.log.warn(obj, msg),
  });

  registerMergedDocs(app, openapi);
  await app.register(healthRoutes, { poller });
  await app.register(statusRoutes, { rt, storeKind: rlStore.kind });
  await app.register(servicesRoutes, { rt });
  await app.register(routeRulesRoutes, { rt });
  await app.register(policiesRoutes, { rt });
  await app.register(configRoutes, { rt, openapi });
  await app.register(requestLogsRoutes, { rt, logs: createRequestLogRepo(database) });
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

  const incidents = createIncidentNotifier({
    database,
    registry,
    downAfterMs: s.GATEWAY_INCIDENT_AFTER_MS,
    publicBaseUrl: config.publicBaseUrl,
    onError: (err) => app.log.warn({ err: (err as Error).message }, 'incident check failed'),
  });
  // The outbox relay delivers to notification with the gateway's own service token (when it has credentials).
  const notificationClient = config.serviceClientSecret
    ? createServiceClient({ target: 'notification', baseUrl: config.serviceUrls.notification, timeoutMs: 5_000, retries: 0 })
    : undefined;
  const relay =
    notificationClient && config.serviceClientSecret
      ? createOutboxRelay({
          database,
          table: outbox,
          logger: app.log,
          clientFor: () => notificationClient,
          tokenProvider: createServiceTokenProvider({ usersUrl: usersUrl(), clientId: 'gateway', clientSecret: config.serviceClientSecret }),
        })
      : undefined;

  const retention = createRetentionJob({ database, logs: createRequestLogRepo(database), retentionDays: s.GATEWAY_REQUEST_LOG_RETENTION_DAYS, timezone: config.timezone, onError: (err) => app.log.warn({ err }, 'retention job failed') });

  app.addHook('onReady', async () => {
    poller.start();
    store.start();
    auth.start(s.GATEWAY_REVOCATION_POLL_MS);
    logWriter?.start();
    openapi.start();
    retention.start();
    incidents.start(Math.min(10_000, s.GATEWAY_INCIDENT_AFTER_MS));
    relay?.start();
  });
  app.addHook('preClose', async () => {
    app.health.shuttingDown = true;
  });
  app.addHook('onClose', async () => {
    poller.stop();
    await probeLeader.release();
    store.stop();
    auth.stop();
    openapi.stop();
    retention.stop();
    incidents.stop();
    await relay?.stop();
    await notificationClient?.close();
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
