/**
 * What each readiness probe leaves behind (gateway.md R35, R48): this instance's status book (since when
 * a status holds and the last probe error, for V1/V2), the service-up metrics, and the shared registry row
 * with its transition and sample history. A history row that cannot be written never stops the probes.
 */
import type { Breaker } from '@sicora/platform/breaker';
import type { UpstreamName } from '@sicora/platform/services';
import type { ServiceSetting } from '../core/gateway-config.ts';
import type { ProbeState } from '../core/health-aggregation.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { circuitView, type ProbeResult } from './health-poller.ts';
import type { RegistryRepo } from './registry.repo.ts';

export interface StatusBookEntry {
  since: Date;
  lastError: string | null;
}

export interface ProbeRecorderDeps {
  registry: Pick<RegistryRepo, 'recordProbe'>;
  circuits: Map<UpstreamName, Breaker>;
  metrics: GatewayMetrics;
  now: () => Date;
  onError?: (err: unknown) => void;
}

export function createProbeRecorder(deps: ProbeRecorderDeps) {
  const statusBook = new Map<string, StatusBookEntry>();
  const lastCircuit = new Map<string, string>();

  function onProbe(svc: ServiceSetting, result: ProbeResult, state: ProbeState, previous: ProbeState): void {
    const now = deps.now();
    const book = statusBook.get(svc.name);
    if (!book || state.status !== previous.status) statusBook.set(svc.name, { since: now, lastError: result.errorCode });
    else book.lastError = result.errorCode;
    deps.metrics.serviceUp(svc.name, state.status === 'up', result.latencyMs / 1000);
    const circuit = circuitView(svc, deps.circuits.get(svc.name as UpstreamName)!);
    const circuitChanged = lastCircuit.has(svc.name) && lastCircuit.get(svc.name) !== circuit;
    lastCircuit.set(svc.name, circuit);
    if (state.status === 'unknown') return;
    deps.registry
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
      .catch((err) => deps.onError?.(err));
  }

  return { statusBook, onProbe };
}
