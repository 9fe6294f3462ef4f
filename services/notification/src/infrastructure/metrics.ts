/**
 * Notification metrics (R55) on the app's registry. Gauges read the tables and the queue at scrape time.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '@sicora/platform/db';
import type { JobQueue } from '../application/ports.ts';

export interface DeliveryMetrics {
  outcome(channel: string, provider: string, outcome: string, terminal: string | null, latencySeconds: number | null, providerSeconds: number | null): void;
  created(channel: string, status: string): void;
}

/** Same encoding as the gateway's `gateway_circuit_state`, so one dashboard rule reads both. */
const CIRCUIT_VALUE: Record<string, number> = { closed: 0, half_open: 1, open: 2 };

export function createDeliveryMetrics(
  registry: Registry, database: Database, queue: () => JobQueue | undefined, breakers: () => Record<string, { state: string }> = () => ({}),
): DeliveryMetrics {
  const deliveries = new Counter({ name: 'notification_deliveries_total', help: 'Deliveries reaching a terminal status', labelNames: ['channel', 'status'] as const, registers: [registry] });
  const attempts = new Counter({ name: 'notification_delivery_attempts_total', help: 'Delivery attempts by outcome', labelNames: ['channel', 'provider', 'outcome'] as const, registers: [registry] });
  const latency = new Histogram({ name: 'notification_delivery_latency_seconds', help: 'Accepted to sent or delivered', labelNames: ['channel'] as const, buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600], registers: [registry] });
  const providerDuration = new Histogram({ name: 'notification_provider_duration_seconds', help: 'Provider call duration', labelNames: ['provider'] as const, registers: [registry] });
  new Gauge({
    name: 'notification_dead_letters', help: 'Deliveries in dead state plus failed fan-outs', registers: [registry],
    async collect() {
      const [r] = await database.query<{ n: number }>("SELECT (SELECT count(*) FROM notification.deliveries WHERE status = 'dead') + (SELECT count(*) FROM notification.notifications WHERE status = 'failed' AND status_reason = 'expansion_failed') AS n");
      this.set(Number(r.n));
    },
  });
  new Gauge({
    name: 'notification_queue_depth', help: 'Jobs per queue and state', labelNames: ['queue', 'state'] as const, registers: [registry],
    async collect() {
      const q = queue();
      if (!q) return;
      for (const d of await q.depth().catch(() => [])) {
        for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ queue: d.name, state }, d[state]);
      }
    },
  });
  new Gauge({
    name: 'notification_provider_circuit_state', help: 'Provider breaker in this process: 0 closed, 1 half_open, 2 open', labelNames: ['provider'] as const, registers: [registry],
    collect() {
      for (const [provider, b] of Object.entries(breakers())) this.set({ provider }, CIRCUIT_VALUE[b.state] ?? 0);
    },
  });
  return {
    outcome(channel, provider, outcome, terminal, latencySeconds, providerSeconds) {
      attempts.inc({ channel, provider, outcome });
      if (terminal) deliveries.inc({ channel, status: terminal });
      if (latencySeconds !== null && (terminal === 'sent' || terminal === 'delivered')) latency.observe({ channel }, latencySeconds);
      if (providerSeconds !== null) providerDuration.observe({ provider }, providerSeconds);
    },
    created(channel, status) {
      if (status === 'skipped' || status === 'digested') deliveries.inc({ channel, status });
    },
  };
}
