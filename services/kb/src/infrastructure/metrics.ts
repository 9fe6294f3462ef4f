/** §7's Prometheus metrics on the app's registry (the platform serves /metrics). */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createKbMetrics(registry: Registry, semanticAvailable: () => boolean) {
  const total = new Counter({ name: 'kb_search_total', help: 'Searches by the mode that ran', labelNames: ['mode_used'] as const, registers: [registry] });
  const duration = new Histogram({ name: 'kb_search_duration_seconds', help: 'Search duration', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] });
  const zero = new Counter({ name: 'kb_search_zero_results_total', help: 'Searches without results', registers: [registry] });
  const embeddings = new Counter({ name: 'kb_embedding_requests_total', help: 'Embedding provider calls by outcome', labelNames: ['outcome'] as const, registers: [registry] });
  const imports = new Counter({ name: 'kb_pdf_imports_total', help: 'PDF imports finished, by status', labelNames: ['status'] as const, registers: [registry] });
  new Gauge({
    name: 'kb_semantic_available',
    help: '1 when semantic search is available (R12)',
    registers: [registry],
    collect() {
      this.set(semanticAvailable() ? 1 : 0);
    },
  });
  return {
    searched(modeUsed: string, seconds: number, isZero: boolean) {
      total.inc({ mode_used: modeUsed });
      duration.observe(seconds);
      if (isZero) zero.inc();
    },
    embedding: (outcome: string) => embeddings.inc({ outcome }),
    imported: (status: string) => imports.inc({ status }),
  };
}
