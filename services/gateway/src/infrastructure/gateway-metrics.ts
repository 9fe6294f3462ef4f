/**
 * The gateway's own Prometheus series (gateway.md R48), in the app's registry beside the platform's.
 */
import { Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '@sicora/platform/metrics';
import type { CircuitState } from '../core/health-aggregation.ts';

const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2, forced_open: 3, forced_closed: 4 };

export interface GatewayMetrics {
  upstreamDuration(service: string, method: string, statusClass: string, seconds: number): void;
  circuitState(service: string, state: CircuitState): void;
}

export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const duration = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: 'Duration of each upstream attempt until its response headers, by service, method and status class',
    labelNames: ['service', 'method', 'status_class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const circuit = new Gauge({
    name: 'gateway_circuit_state',
    help: 'Circuit state per upstream: 0 closed, 1 half_open, 2 open, 3 forced_open, 4 forced_closed',
    labelNames: ['service'] as const,
    registers: [registry],
  });
  return {
    upstreamDuration: (service, method, statusClass, seconds) => duration.observe({ service, method, status_class: statusClass }, seconds),
    circuitState: (service, state) => circuit.set({ service }, CIRCUIT_VALUE[state]),
  };
}
