/**
 * What the gateway's own routes read, built once by `buildApp` and handed to each route plugin through
 * its options. Storage reaches the routes only through the ports declared here (the repositories in
 * infrastructure/ satisfy them), never as a database or a repository.
 */
import type { Breaker } from '@sicora/platform/breaker';
import type { UpstreamName } from '@sicora/platform/services';
import { effectiveBaseUrl, type ServiceSetting } from '../core/gateway-config.ts';
import type { ConfigAdmin } from '../infrastructure/config-admin.ts';
import type { ConfigStore } from '../infrastructure/config-store.ts';
import { circuitView, type HealthPoller } from '../infrastructure/health-poller.ts';
import type { StatusBookEntry } from '../infrastructure/probe-recorder.ts';
import type { RateLimiter } from '../infrastructure/rate-limiter.ts';
import type { GatewayAuth } from '../infrastructure/token-auth.ts';
import type { AdminGuard } from './admin-guard.ts';

export interface HealthHistoryRow {
  id: string;
  service: string;
  checked_at: string;
  status: string;
  http_status: number | null;
  latency_ms: number | null;
  error_code: string | null;
  circuit_state: string;
  kind: string;
}

/** V2 and V4: a service's health history, newest first. */
export interface HealthHistory {
  history(service: string, q: { from: Date; to: Date; kind?: 'transition' | 'sample'; limit: number; offset: number }): Promise<{ total: number; rows: HealthHistoryRow[] }>;
}

export interface GatewayRuntime {
  version: string;
  instanceId: string;
  startedAt: Date;
  /** The service clock (default ranges, exports). */
  now: () => Date;
  config: ConfigStore;
  configAdmin: ConfigAdmin;
  history: HealthHistory;
  poller: HealthPoller;
  circuits: Map<UpstreamName, Breaker>;
  limiter: RateLimiter;
  auth: GatewayAuth;
  guard: AdminGuard;
  /** Per service: since when its current status holds and the last probe error (this instance's view). */
  statusBook: ReadonlyMap<string, StatusBookEntry>;
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
      // While open only: a half-open breaker is waiting for its trial, no longer "opened at".
      opened_at: stats.state === 'open' && stats.openedAt ? stats.openedAt.toISOString() : null,
      failure_ratio: stats.failureRatio,
      window_requests: stats.windowRequests,
    },
    timeouts: { attempt_timeout_ms: s.attempt_timeout_ms, deadline_ms: s.deadline_ms, max_retries: s.max_retries },
  };
}
