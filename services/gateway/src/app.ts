/**
 * buildApp: the only place that wires the gateway together — path guard, the platform-wide `/health`,
 * the catch-all proxy, one undici Agent and one breaker per upstream, and the health poller.
 */
import { fileURLToPath } from 'node:url';
import type { App } from '@sicora/platform/server';
import { registerHealthRoutes } from '@sicora/platform/server';
import { createServiceApp, type ServiceOverrides } from '@sicora/platform/service';
import type { UpstreamName } from '@sicora/platform/services';
import type { Circuit } from './infrastructure/circuit-breaker.ts';
import { createCircuit } from './infrastructure/circuit-breaker.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayHealth, HealthReport } from './core/health-aggregation.ts';
import { createRouteMatcher } from './core/route-matching.ts';
import { UPSTREAM_SERVICES, withTimingOverrides } from './core/service-catalog.ts';
import { healthRoutes } from './http/health.routes.ts';
import { registerPathGuard } from './http/path-guard.hook.ts';
import { proxyRoutes } from './http/proxy.routes.ts';
import { createGatewayMetrics } from './infrastructure/gateway-metrics.ts';
import { createHealthPoller, type HealthPoller } from './infrastructure/health-poller.ts';
import { closeUpstreamAgents, createUpstreamAgents } from './infrastructure/upstream-agents.ts';
import { createUpstreamForwarder } from './infrastructure/upstream-forwarder.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../drizzle', import.meta.url));
const VERSION = '0.1.0';

declare module 'fastify' {
  interface FastifyInstance {
    gatewayHealth: HealthPoller;
  }
}

export async function buildApp(config: GatewayConfig, overrides: ServiceOverrides = {}): Promise<App> {
  const { app } = await createServiceApp({
    config,
    overrides,
    migrationsFolder: MIGRATIONS_FOLDER,
    version: VERSION,
    description: 'Single entry point of SICORA: forwards every API path to the service that owns it.',
    tags: [{ name: 'platform', description: 'Health, metrics and documentation' }],
    // This first gateway verifies no tokens: it forwards Authorization and each service verifies it.
    remoteVerifier: false,
    healthRoutes: false,
  });
  registerHealthRoutes(app, 'gateway', VERSION, '/health/live');
  registerPathGuard(app);

  const s = config.settings;
  const services = new Map(
    UPSTREAM_SERVICES.map((svc) => [
      svc.name,
      withTimingOverrides(svc, { attemptTimeoutMs: s.GATEWAY_ATTEMPT_TIMEOUT_MS, deadlineMs: s.GATEWAY_DEADLINE_MS, maxRetries: s.GATEWAY_MAX_RETRIES }),
    ]),
  );
  const names = [...services.keys()];
  const metrics = createGatewayMetrics(app.metrics.registry);
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
  const gatewayHealth = async (): Promise<GatewayHealth> => {
    const readiness = await app.health.report();
    return {
      database: readiness.checks.database ?? 'error',
      // This first gateway keeps nothing in Redis and verifies no tokens yet.
      redis: 'not_configured',
      jwks: 'not_configured',
      config_version: null,
    };
  };
  const poller = createHealthPoller({
    services: [...services.values()],
    baseUrls: config.serviceUrls,
    agents,
    circuits,
    intervalMs: s.GATEWAY_PROBE_INTERVAL_MS,
    gatewayHealth,
    onError: (err) => app.log.error({ err }, 'health probe round failed'),
  });
  app.decorate('gatewayHealth', poller);

  await app.register(healthRoutes, { poller });
  await app.register(proxyRoutes, {
    matchRoute: createRouteMatcher(),
    services,
    forwarder: createUpstreamForwarder({ baseUrls: config.serviceUrls, agents, circuits, metrics }),
  });

  app.addHook('onReady', async () => poller.start());
  app.addHook('onClose', async () => {
    poller.stop();
    for (const circuit of circuits.values()) circuit.shutdown();
    await closeUpstreamAgents(agents);
  });
  return app;
}

/** Resolves once the first probe round is done (after `ready()`), e.g. for the CLI to print readiness. */
export function awaitFirstProbe(app: App): Promise<HealthReport> {
  return app.gatewayHealth.firstRound();
}
