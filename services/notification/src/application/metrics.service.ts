/**
 * A7 DeliveryMetrics (R57): deliveries bucketed by `created_at` with their current status, hourly or
 * by Bogotá day, every bucket listed, totals with success rate, latency percentiles, read rate, queue,
 * dead letters and providers.
 */
import { AppError } from '@sicora/platform/errors';
import { localParts, localToUtc } from '../domain/rules.ts';
import type { MetricsRepo } from '../infrastructure/metrics.repo.ts';

const HOUR = 3_600_000;
const invalid = (reason: string) => new AppError('METRICS_RANGE_INVALID', 'invalid', 'El rango de métricas no es válido', { reason });

export interface MetricsQuery { from?: string; to?: string; bucket?: 'hour' | 'day'; channel?: string; type?: string }

export function bucketStarts(from: Date, to: Date, bucket: 'hour' | 'day', zone: string): Date[] {
  const out: Date[] = [];
  if (bucket === 'hour') {
    for (let t = from.getTime(); t < to.getTime(); t += HOUR) out.push(new Date(t));
    return out;
  }
  for (let t = from; t.getTime() < to.getTime(); ) {
    out.push(t);
    t = localToUtc(localParts(new Date(t.getTime() + 36 * HOUR), zone).date, 0, zone);
  }
  return out;
}

export function createMetricsService(d: { metrics: MetricsRepo; now: () => Date; zone: string; queue: () => Promise<unknown>; providers: () => Promise<unknown> }) {
  function range(q: MetricsQuery): { from: Date; to: Date; bucket: 'hour' | 'day' } {
    const bucket = q.bucket ?? 'hour';
    const now = d.now();
    const floor = (t: Date) => (bucket === 'hour' ? new Date(Math.floor(t.getTime() / HOUR) * HOUR) : localToUtc(localParts(t, d.zone).date, 0, d.zone));
    const current = floor(now);
    const next = bucket === 'hour' ? new Date(current.getTime() + HOUR) : localToUtc(localParts(new Date(current.getTime() + 36 * HOUR), d.zone).date, 0, d.zone);
    const to = q.to ? new Date(q.to) : next;
    const from = q.from ? floor(new Date(q.from)) : bucket === 'hour' ? new Date(next.getTime() - 24 * HOUR) : localToUtc(localParts(new Date(next.getTime() - 30 * 24 * HOUR + 12 * HOUR), d.zone).date, 0, d.zone);
    if (from.getTime() >= to.getTime()) throw invalid('from_not_before_to');
    if (bucket === 'hour' && to.getTime() - from.getTime() > 7 * 24 * HOUR) throw invalid('too_many_hour_buckets');
    if (bucket === 'day' && to.getTime() - from.getTime() > 92 * 24 * HOUR + 2 * HOUR) throw invalid('too_many_day_buckets');
    return { from, to, bucket };
  }

  return {
    async get(q: MetricsQuery) {
      const { from, to, bucket } = range(q);
      const filter = { from, to, channel: q.channel, type: q.type };
      const rows = await d.metrics.hourly(filter);
      const latency = await d.metrics.latency(filter);
      const read = await d.metrics.inboxReads(from, to);
      const dead = await d.metrics.deadLetters(new Date(d.now().getTime() - 24 * HOUR));

      const starts = bucketStarts(from, to, bucket, d.zone);
      const bucketOf = (t: number) => { let b = starts[0]; for (const s of starts) if (s.getTime() <= t) b = s; return b.toISOString(); };
      const series = new Map<string, { bucket_start: string; channel: string; status: string; count: number }>();
      const totals: Record<string, Record<string, number>> = {};
      for (const r of rows) {
        const key = `${bucketOf(new Date(r.hour).getTime())}|${r.channel}|${r.status}`;
        const s = series.get(key) ?? { bucket_start: key.split('|')[0], channel: r.channel, status: r.status, count: 0 };
        s.count += r.n;
        series.set(key, s);
        const t = (totals[r.channel] ??= { total: 0, sent: 0, delivered: 0, digested: 0, skipped: 0, dead: 0, pending: 0 });
        t.total += r.n;
        if (r.status in t && r.status !== 'total' && r.status !== 'pending') t[r.status] += r.n;
        if (['pending', 'queued', 'sending', 'retrying'].includes(r.status)) t.pending += r.n;
      }
      const withRate = Object.fromEntries(Object.entries(totals).map(([c, t]) => {
        const ok = t.sent + t.delivered + t.digested;
        return [c, { ...t, success_rate: ok + t.dead === 0 ? null : Math.round((ok / (ok + t.dead)) * 10_000) / 10_000 }];
      }));
      return {
        from: from.toISOString(), to: to.toISOString(), bucket, timezone: d.zone, buckets: starts.map((s) => s.toISOString()),
        series: [...series.values()].sort((a, b) => a.bucket_start.localeCompare(b.bucket_start)), totals: withRate,
        latency: Object.fromEntries(latency.map((l) => [l.channel, { p50_ms: l.p50 === null ? null : Math.round(Number(l.p50)), p95_ms: l.p95 === null ? null : Math.round(Number(l.p95)) }])),
        in_app_read_rate: read.total === 0 ? null : Math.round((read.read / read.total) * 10_000) / 10_000,
        queue: await d.queue(), dead_letters: dead, providers: await d.providers(),
      };
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
