/**
 * Service health from probes (gateway.md §3.8) and the platform-wide report of R36–R37.
 */
export const SERVICE_STATUSES = ['unknown', 'up', 'down', 'disabled'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];
export const CIRCUIT_STATES = ['closed', 'half_open', 'open', 'forced_open', 'forced_closed'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];
export type CheckState = 'ok' | 'error' | 'not_configured';

export interface ProbeState {
  status: ServiceStatus;
  consecutiveFailures: number;
  latencyMs: number | null;
  checkedAt: string | null;
}

export const INITIAL_PROBE_STATE: ProbeState = { status: 'unknown', consecutiveFailures: 0, latencyMs: null, checkedAt: null };

/**
 * One success makes a service up; two consecutive failures make an up service down (one failure may be
 * a blip). A service never seen up is down at its first failure: there is no evidence it works, and the
 * start-up report should say so at once rather than one probe interval later.
 */
export function nextProbeState(prev: ProbeState, probe: { ok: boolean; latencyMs: number; checkedAt: string }): ProbeState {
  if (probe.ok) return { status: 'up', consecutiveFailures: 0, latencyMs: probe.latencyMs, checkedAt: probe.checkedAt };
  const consecutiveFailures = prev.consecutiveFailures + 1;
  const status = prev.status !== 'up' || consecutiveFailures >= 2 ? 'down' : 'up';
  return { status, consecutiveFailures, latencyMs: probe.latencyMs, checkedAt: probe.checkedAt };
}

export interface ServiceHealth {
  name: string;
  display_name: string;
  status: ServiceStatus;
  critical: boolean;
  latency_ms: number | null;
  checked_at: string | null;
  circuit: CircuitState;
}

export interface GatewayHealth {
  database: CheckState;
  redis: CheckState;
  jwks: CheckState;
  config_version: number | null;
}

export type PlatformStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthReport {
  status: PlatformStatus;
  checked_at: string;
  gateway: GatewayHealth;
  services: ServiceHealth[];
  summary: { up: number; down: number; disabled: number; total: number };
}

const openish = (c: CircuitState) => c === 'open' || c === 'forced_open';

export function platformStatus(gateway: GatewayHealth, services: readonly ServiceHealth[]): PlatformStatus {
  if (gateway.database === 'error') return 'unhealthy';
  if (services.some((s) => s.critical && (s.status === 'down' || openish(s.circuit)))) return 'unhealthy';
  // A service not yet probed successfully is not known to work: the platform is not fully healthy.
  const notUp = services.some((s) => s.status !== 'up');
  const circuitsNotClosed = services.some((s) => s.circuit !== 'closed');
  if (notUp || circuitsNotClosed || gateway.redis === 'error' || gateway.jwks === 'error') return 'degraded';
  return 'healthy';
}

export function aggregateHealth(checkedAt: string, gateway: GatewayHealth, services: ServiceHealth[]): HealthReport {
  const count = (status: ServiceStatus) => services.filter((s) => s.status === status).length;
  return {
    status: platformStatus(gateway, services),
    checked_at: checkedAt,
    gateway,
    services,
    summary: { up: count('up'), down: count('down'), disabled: count('disabled'), total: services.length },
  };
}
