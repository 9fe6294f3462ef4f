/**
 * Active probes (gateway.md R35): every upstream's `/health/ready` each interval with a 2 s timeout.
 * `/health` is served from the last results, never from a fresh fan-out (R36). Only R56's lock holder
 * probes; the other instances take the states from the shared rows each round.
 */
import type { Breaker } from '@sicora/platform/breaker';
import type { UpstreamName } from '@sicora/platform/services';
import { effectiveBaseUrl, type ServiceSetting } from '../core/gateway-config.ts';
import {
  aggregateHealth,
  INITIAL_PROBE_STATE,
  nextProbeState,
  type GatewayHealth,
  type HealthReport,
  type ProbeState,
} from '../core/health-aggregation.ts';
import type { CircuitState } from '../core/health-aggregation.ts';
import { upstreamTarget, type UpstreamAgents } from './upstream-agents.ts';

export interface HealthPollerDeps {
  /** The services of the live configuration (enabled, labels, criticality, base URL, forced circuit). */
  services: () => readonly ServiceSetting[];
  agents: UpstreamAgents;
  circuits: Map<UpstreamName, Breaker>;
  intervalMs: number;
  timeoutMs?: number;
  /** The gateway's own part of the report (its database, Redis, keys). */
  gatewayHealth: () => Promise<GatewayHealth>;
  /** In-memory gateway checks read at report time (keys, Redis), so a JWKS loaded just after a round counts at once. */
  gatewayLive?: () => Partial<GatewayHealth>;
  now: () => Date;
  onError?: (err: unknown) => void;
  /** R56: whether this instance runs the probes this round (default: always). */
  role?: () => Promise<'leader' | 'follower'>;
  /** R56: a follower's view, the probe states the leader wrote to the shared rows. */
  sharedStates?: () => Promise<Map<string, ProbeState>>;
  /** Every probe result (for the registry rows, history and metrics). */
  onProbe?: (service: ServiceSetting, result: ProbeResult, state: ProbeState, previous: ProbeState) => void;
}

export interface ProbeResult {
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  errorCode: string | null;
}

function probeErrorCode(err: unknown): string {
  const code = (err as { code?: string; cause?: { code?: string }; name?: string } | null);
  switch (code?.code ?? code?.cause?.code) {
    case 'ECONNREFUSED':
      return 'connect_refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connect_reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    default:
      return 'timeout';
  }
}

/** V5's forced state wins over the breaker's own. */
export function circuitView(service: ServiceSetting, circuit: Breaker): CircuitState {
  return service.circuit_override ?? circuit.state();
}

export interface HealthPoller {
  start(): void;
  stop(): void;
  runOnce(): Promise<void>;
  /**
   * A fresh round at once (after the one in flight, whose probes may predate the event) unless the last
   * report is healthy: for events that can change the answer before the next interval, such as the
   * gateway's keys arriving, which means users answers and the other services can load theirs.
   */
  reprobe(): Promise<void>;
  /** Probes one service now (V6). */
  probeNow(service: ServiceSetting): Promise<ProbeResult | undefined>;
  probeState(name: string): ProbeState;
  /** Whether the last round probed (R56's lock holder) or read the shared rows. */
  leading(): boolean;
  /** Resolves with the report once the first probe round has finished. */
  firstRound(): Promise<HealthReport>;
  report(): HealthReport;
}

export function createHealthPoller(deps: HealthPollerDeps): HealthPoller {
  const now = deps.now;
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const probes = new Map<string, ProbeState>();
  let gateway: GatewayHealth = { database: 'ok', redis: 'not_configured', jwks: 'not_configured', config_version: null };
  let checkedAt = now().toISOString();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const stopping = new AbortController();
  let resolveFirst!: (report: HealthReport) => void;
  const first = new Promise<HealthReport>((resolve) => (resolveFirst = resolve));

  async function probe(service: ServiceSetting): Promise<ProbeResult | undefined> {
    const target = upstreamTarget(effectiveBaseUrl(service));
    const started = performance.now();
    let ok: boolean;
    let httpStatus: number | null = null;
    let errorCode: string | null = null;
    try {
      const res = await deps.agents.get(service.name as UpstreamName)!.request({
        origin: target.origin,
        path: `${target.basePath}${service.health_path}`,
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
      });
      await res.body.dump();
      httpStatus = res.statusCode;
      ok = res.statusCode === 200;
      if (!ok) errorCode = `http_${res.statusCode}`;
    } catch (err) {
      ok = false;
      errorCode = probeErrorCode(err);
    }
    if (stopping.signal.aborted) return undefined;
    const latencyMs = Math.round(performance.now() - started);
    const previous = probes.get(service.name) ?? INITIAL_PROBE_STATE;
    const state = nextProbeState(previous, { ok, latencyMs, checkedAt: now().toISOString() });
    probes.set(service.name, state);
    if (ok) deps.circuits.get(service.name as UpstreamName)!.probeSucceeded();
    const result = { ok, httpStatus, latencyMs, errorCode };
    deps.onProbe?.(service, result, state, previous);
    return result;
  }

  let leading = true;

  async function follow(): Promise<void> {
    const shared = await deps.sharedStates!();
    for (const [name, state] of shared) probes.set(name, state);
  }

  async function round(): Promise<void> {
    leading = deps.role ? (await deps.role()) === 'leader' : true;
    // Disabled services are in maintenance: not probed (R35), shown as `disabled`.
    const work = leading || !deps.sharedStates ? deps.services().filter((s) => s.enabled).map(probe) : [follow()];
    const [own] = await Promise.all([deps.gatewayHealth(), ...work]);
    gateway = own;
    checkedAt = now().toISOString();
    resolveFirst(report());
  }

  function runOnce(): Promise<void> {
    // A slow round is never stacked on another: the next tick waits for it.
    running ??= round()
      .catch((err) => deps.onError?.(err))
      .finally(() => (running = undefined));
    return running;
  }

  let reprobing: Promise<void> | undefined;
  function reprobe(): Promise<void> {
    reprobing ??= (async () => {
      try {
        await running;
        if (report().status !== 'healthy') await runOnce();
      } finally {
        reprobing = undefined;
      }
    })();
    return reprobing;
  }

  function report(): HealthReport {
    const services = deps.services().map((s) => {
      const p = probes.get(s.name) ?? INITIAL_PROBE_STATE;
      return {
        name: s.name,
        display_name: s.display_name,
        status: s.enabled ? p.status : ('disabled' as const),
        critical: s.critical,
        latency_ms: p.latencyMs,
        checked_at: p.checkedAt,
        circuit: circuitView(s, deps.circuits.get(s.name as UpstreamName)!),
      };
    });
    return aggregateHealth(checkedAt, { ...gateway, ...deps.gatewayLive?.() }, services);
  }

  return {
    start() {
      if (timer) return;
      void runOnce();
      timer = setInterval(() => void runOnce(), deps.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      stopping.abort();
    },
    runOnce,
    reprobe,
    probeNow: probe,
    probeState: (name) => probes.get(name) ?? INITIAL_PROBE_STATE,
    leading: () => leading,
    firstRound: () => first,
    report,
  };
}
