/**
 * Active probes (gateway.md R35): every upstream's `/health/ready` each interval with a 2 s timeout.
 * `/health` is served from the last results, never from a fresh fan-out (R36).
 */
import type { UpstreamName } from '@sicora/platform/services';
import {
  aggregateHealth,
  INITIAL_PROBE_STATE,
  nextProbeState,
  type GatewayHealth,
  type HealthReport,
  type ProbeState,
} from '../core/health-aggregation.ts';
import type { UpstreamService } from '../core/service-catalog.ts';
import type { Circuit } from './circuit-breaker.ts';
import { upstreamTarget, type UpstreamAgents } from './upstream-agents.ts';

export interface HealthPollerDeps {
  services: readonly UpstreamService[];
  baseUrls: Record<UpstreamName, string>;
  agents: UpstreamAgents;
  circuits: Map<UpstreamName, Circuit>;
  intervalMs: number;
  timeoutMs?: number;
  /** The gateway's own part of the report (its database, Redis, keys). */
  gatewayHealth: () => Promise<GatewayHealth>;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

export interface HealthPoller {
  start(): void;
  stop(): void;
  runOnce(): Promise<void>;
  /** Resolves with the report once the first probe round has finished. */
  firstRound(): Promise<HealthReport>;
  report(): HealthReport;
}

export function createHealthPoller(deps: HealthPollerDeps): HealthPoller {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const probes = new Map<UpstreamName, ProbeState>(deps.services.map((s) => [s.name, INITIAL_PROBE_STATE]));
  let gateway: GatewayHealth = { database: 'ok', redis: 'not_configured', jwks: 'not_configured', config_version: null };
  let checkedAt = now().toISOString();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const stopping = new AbortController();
  let resolveFirst!: (report: HealthReport) => void;
  const first = new Promise<HealthReport>((resolve) => (resolveFirst = resolve));

  async function probe(service: UpstreamService): Promise<void> {
    const target = upstreamTarget(deps.baseUrls[service.name]);
    const started = performance.now();
    let ok: boolean;
    try {
      const res = await deps.agents.get(service.name)!.request({
        origin: target.origin,
        path: `${target.basePath}/health/ready`,
        method: 'GET',
        headers: { accept: 'application/json' },
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stopping.signal]),
      });
      await res.body.dump();
      ok = res.statusCode === 200;
    } catch {
      ok = false;
    }
    if (stopping.signal.aborted) return;
    const latencyMs = Math.round(performance.now() - started);
    probes.set(service.name, nextProbeState(probes.get(service.name)!, { ok, latencyMs, checkedAt: now().toISOString() }));
    if (ok) deps.circuits.get(service.name)!.probeSucceeded();
  }

  async function round(): Promise<void> {
    const [own] = await Promise.all([deps.gatewayHealth(), ...deps.services.map(probe)]);
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

  function report(): HealthReport {
    const services = deps.services.map((s) => {
      const p = probes.get(s.name)!;
      return {
        name: s.name,
        display_name: s.displayName,
        status: p.status,
        critical: s.critical,
        latency_ms: p.latencyMs,
        checked_at: p.checkedAt,
        circuit: deps.circuits.get(s.name)!.state(),
      };
    });
    return aggregateHealth(checkedAt, gateway, services);
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
    firstRound: () => first,
    report,
  };
}
