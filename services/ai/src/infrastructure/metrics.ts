/**
 * §7's metrics on the app's registry (the platform serves them on /metrics). The open-alerts gauge reads
 * the table at scrape time, so every replica reports the same figure.
 */
import { count, inArray } from 'drizzle-orm';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '@sicora/platform/db';
import { riskAlerts } from './db/schema.ts';

export function createAiMetrics(registry: Registry, database: Database) {
  const answers = new Counter({ name: 'ai_answers_total', help: 'Answers by mode and fallback reason', labelNames: ['answer_mode', 'fallback_reason'] as const, registers: [registry] });
  const latency = new Histogram({ name: 'ai_answer_latency_seconds', help: 'From request receipt to final text', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 90], registers: [registry] });
  const tokens = new Counter({ name: 'ai_llm_tokens_total', help: 'LLM tokens by kind', labelNames: ['kind'] as const, registers: [registry] });
  const limited = new Counter({ name: 'ai_rate_limited_total', help: 'Questions refused by R18 or the stream cap', registers: [registry] });
  const assessments = new Counter({ name: 'ai_risk_assessments_total', help: 'Risk assessments by level', labelNames: ['level'] as const, registers: [registry] });
  new Gauge({
    name: 'ai_risk_alerts_open',
    help: 'Open risk alerts (active or acknowledged) by level',
    labelNames: ['level'] as const,
    registers: [registry],
    async collect() {
      try {
        const rows = await database.db.select({ level: riskAlerts.level, n: count() }).from(riskAlerts).where(inArray(riskAlerts.status, ['active', 'acknowledged'])).groupBy(riskAlerts.level);
        this.reset();
        for (const r of rows) this.set({ level: r.level }, r.n);
      } catch {
        // The last figures stay: the rest of /metrics is still served.
      }
    },
  });
  return {
    answered(r: { answer_mode: string; fallback_reason: string | null; usage: { prompt_tokens: number | null; completion_tokens: number | null } }, latencyMs: number) {
      answers.inc({ answer_mode: r.answer_mode, fallback_reason: r.fallback_reason ?? 'none' });
      latency.observe(latencyMs / 1000);
      if (r.answer_mode === 'generated') {
        tokens.inc({ kind: 'prompt' }, r.usage.prompt_tokens ?? 0);
        tokens.inc({ kind: 'completion' }, r.usage.completion_tokens ?? 0);
      }
    },
    rateLimited: () => limited.inc(),
    assessed: (level: string | null) => assessments.inc({ level: level ?? 'insufficient_data' }),
  };
}

export type AiMetrics = ReturnType<typeof createAiMetrics>;
