/**
 * The gateway's own Prometheus series (gateway.md R48), in the app's registry beside the platform's.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '@sicora/platform/metrics';
import type { CircuitState } from '../core/health-aggregation.ts';

const CIRCUIT_VALUE: Record<CircuitState, number> = { closed: 0, half_open: 1, open: 2, forced_open: 3, forced_closed: 4 };

export interface GatewayMetrics {
  upstreamDuration(service: string, method: string, statusClass: string, seconds: number): void;
  circuitState(service: string, state: CircuitState): void;
  circuitRejection(service: string): void;
  retry(service: string, reason: string): void;
  rateLimitRejection(policy: string): void;
  rateLimitStoreError(): void;
  authFailure(reason: string): void;
  serviceUp(service: string, up: boolean, latencySeconds: number | null): void;
  configVersion(version: number): void;
  requestLogDropped(count: number): void;
  inflight(service: string, delta: number): void;
  jwksRefresh(outcome: 'success' | 'error'): void;
  revocationFeedAge(seconds: number): void;
}

const counter = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  new Counter({ name, help, labelNames, registers: [registry] });
const gauge = (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
  new Gauge({ name, help, labelNames, registers: [registry] });

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
  const circuitRejections = counter(registry, 'gateway_circuit_rejections_total', 'Requests answered 503 by an open circuit', ['service']);
  const transitions = counter(registry, 'gateway_circuit_transitions_total', 'Circuit state changes', ['service', 'to']);
  const retries = counter(registry, 'gateway_retries_total', 'Upstream retries', ['service', 'reason']);
  const rlRejections = counter(registry, 'gateway_rate_limit_rejections_total', 'Requests refused by a rate-limit policy', ['policy']);
  const rlStoreErrors = counter(registry, 'gateway_rate_limit_store_errors_total', 'Rate-limit store failures (error or > 50 ms)');
  const authFailures = counter(registry, 'gateway_auth_failures_total', 'Refused tokens by reason', ['reason']);
  const up = gauge(registry, 'gateway_service_up', '1 when the last probe found the service up', ['service']);
  const probeLatency = gauge(registry, 'gateway_service_probe_latency_seconds', 'Latency of the last readiness probe', ['service']);
  const cfgVersion = gauge(registry, 'gateway_config_version', 'Configuration version in force on this instance');
  const dropped = counter(registry, 'gateway_request_log_dropped_total', 'Request-log rows dropped because the buffer was full');
  const inflight = gauge(registry, 'gateway_inflight_requests', 'Requests being forwarded', ['service']);
  const jwks = counter(registry, 'gateway_jwks_refresh_total', 'JWKS fetches by outcome', ['outcome']);
  const feedAge = gauge(registry, 'gateway_revocation_feed_age_seconds', 'Seconds since the revocation feed was last read (-1 never)');
  // The per-request series keep their labelled children: prom-client otherwise hashes the label
  // object on every call, and these run once or twice for every forwarded request.
  const durationChildren = new Map<string, { observe(v: number): void }>();
  const inflightChildren = new Map<string, { inc(v: number): void }>();
  return {
    jwksRefresh: (outcome) => jwks.inc({ outcome }),
    revocationFeedAge: (seconds) => feedAge.set(seconds),
    circuitRejection: (service) => circuitRejections.inc({ service }),
    retry: (service, reason) => retries.inc({ service, reason }),
    rateLimitRejection: (policy) => rlRejections.inc({ policy }),
    rateLimitStoreError: () => rlStoreErrors.inc(),
    authFailure: (reason) => authFailures.inc({ reason }),
    serviceUp: (service, isUp, latency) => {
      up.set({ service }, isUp ? 1 : 0);
      if (latency !== null) probeLatency.set({ service }, latency);
    },
    configVersion: (v) => cfgVersion.set(v),
    requestLogDropped: (n) => dropped.inc(n),
    inflight: (service, delta) => {
      let child = inflightChildren.get(service);
      if (!child) inflightChildren.set(service, (child = inflight.labels({ service })));
      child.inc(delta);
    },
    upstreamDuration: (service, method, statusClass, seconds) => {
      const key = `${service} ${method} ${statusClass}`;
      let child = durationChildren.get(key);
      if (!child) durationChildren.set(key, (child = duration.labels({ service, method, status_class: statusClass })));
      child.observe(seconds);
    },
    circuitState: (service, state) => {
      circuit.set({ service }, CIRCUIT_VALUE[state]);
      transitions.inc({ service, to: state });
    },
  };
}
