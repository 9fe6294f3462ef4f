/**
 * §7's metrics on the app's registry (the platform serves them on /metrics). Counters are fed through
 * application/metrics.ts; the open-alerts gauge reads the alerts table at scrape time, so every replica
 * reports the same figure and nothing has to keep it in step with AL5/AL6 or the evaluation.
 */
import { count, ne } from 'drizzle-orm';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '@sicora/platform/db';
import { ALERT_LEVELS, ALERT_TYPES, alerts } from './db/schema.ts';

/** Jobs run from milliseconds (a reminder with nothing due) to minutes (the nightly evaluation). */
const JOB_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

export function createAttendanceMetrics(registry: Registry, database: Database) {
  const scans = new Counter({ name: 'attendance_qr_scans_total', help: 'Q2 scans by outcome (RECORDED, UPDATED, ALREADY_RECORDED, REPLAYED or the refusal code)', labelNames: ['outcome'] as const, registers: [registry] });
  const written = new Counter({ name: 'attendance_records_written_total', help: 'Attendance records created or given a status, by method and resulting status', labelNames: ['method', 'status'] as const, registers: [registry] });
  const closed = new Counter({ name: 'attendance_rolls_closed_total', help: 'Rolls closed, by close method', labelNames: ['close_method'] as const, registers: [registry] });
  const duration = new Histogram({ name: 'attendance_job_duration_seconds', help: 'Scheduled job run duration', labelNames: ['job'] as const, buckets: JOB_BUCKETS, registers: [registry] });
  new Gauge({
    name: 'attendance_alerts_open',
    help: 'Unresolved alerts (OPEN or ACKNOWLEDGED) by type and level',
    labelNames: ['type', 'level'] as const,
    registers: [registry],
    async collect() {
      // A database that cannot answer leaves the last figures: the rest of /metrics is still served.
      const rows = await database.db
        .select({ type: alerts.type, level: alerts.level, n: count() })
        .from(alerts)
        .where(ne(alerts.state, 'RESOLVED'))
        .groupBy(alerts.type, alerts.level)
        .catch(() => undefined);
      if (!rows) return;
      // Every pair is reported, 0 included, so a pair whose last alert was resolved drops to 0.
      for (const type of ALERT_TYPES) for (const level of ALERT_LEVELS) this.set({ type, level }, 0);
      for (const r of rows) this.set({ type: r.type, level: r.level }, Number(r.n));
    },
  });
  return {
    qrScan: (outcome: string) => scans.inc({ outcome }),
    recordWritten: (method: string, status: string) => written.inc({ method, status }),
    rollClosed: (closeMethod: string) => closed.inc({ close_method: closeMethod }),
    jobDuration: (job: string, seconds: number) => duration.observe({ job }, seconds),
  };
}
