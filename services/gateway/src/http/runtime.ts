/**
 * Everything the gateway's own routes read, built once by `buildApp` and handed to each route plugin.
 */
import type { UpstreamName } from '@sicora/platform/services';
import type { Database } from '@sicora/platform/db';
import { effectiveBaseUrl, type ServiceSetting } from '../core/gateway-config.ts';
import type { Circuit } from '../infrastructure/circuit-breaker.ts';
import type { ConfigAdmin } from '../infrastructure/config-admin.ts';
import type { ConfigRepo } from '../infrastructure/config.repo.ts';
import type { ConfigStore } from '../infrastructure/config-store.ts';
import type { GatewayMetrics } from '../infrastructure/gateway-metrics.ts';
import { circuitView, type HealthPoller } from '../infrastructure/health-poller.ts';
import type { RateLimiter } from '../infrastructure/rate-limiter.ts';
import type { RegistryRepo } from '../infrastructure/registry.repo.ts';
import type { GatewayAuth } from '../infrastructure/token-auth.ts';
import type { AdminGuard } from './admin-guard.ts';

export interface StatusBookEntry {
  since: Date;
  lastError: string | null;
}

export interface GatewayRuntime {
  version: string;
  instanceId: string;
  startedAt: Date;
  database: Database;
  config: ConfigStore;
  configAdmin: ConfigAdmin;
  repo: ConfigRepo;
  registry: RegistryRepo;
  poller: HealthPoller;
  circuits: Map<UpstreamName, Circuit>;
  limiter: RateLimiter;
  auth: GatewayAuth;
  guard: AdminGuard;
  metrics: GatewayMetrics;
  /** Per service: since when its current status holds and the last probe error (this instance's view). */
  statusBook: Map<string, StatusBookEntry>;
  hasKeys: () => boolean;
  keyIds: () => string[];
  jwksFetchedAt: () => Date | null;
  jwksStale: () => boolean;
}

export function serviceView(rt: GatewayRuntime, s: ServiceSetting) {
  const probe = rt.poller.probeState(s.name);
  const circuit = rt.circuits.get(s.name as UpstreamName)!;
  const stats = circuit.stats();
  const book = rt.statusBook.get(s.name);
  return {
    name: s.name,
    display_name: s.display_name,
    base_url: effectiveBaseUrl(s),
    base_url_source: s.base_url_override ? ('override' as const) : ('env' as const),
    status: s.enabled ? probe.status : 'disabled',
    status_since: book ? book.since.toISOString() : null,
    last_check_at: probe.checkedAt,
    last_latency_ms: probe.latencyMs,
    last_error_code: book?.lastError ?? null,
    critical: s.critical,
    enabled: s.enabled,
    maintenance_message: s.maintenance_message,
    circuit: {
      state: circuitView(s, circuit),
      opened_at: stats.openedAt ? stats.openedAt.toISOString() : null,
      failure_ratio: stats.failureRatio,
      window_requests: stats.windowRequests,
    },
    timeouts: { attempt_timeout_ms: s.attempt_timeout_ms, deadline_ms: s.deadline_ms, max_retries: s.max_retries },
  };
}
