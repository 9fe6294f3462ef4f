/**
 * The metrics of §7, counted without touching the use cases: the unit of work, Q2 and the job list are
 * wrapped once in app.ts. Records written and rolls closed are seen where every write of them passes —
 * the transaction's `records.insert/update` and `rolls.update` — and counted only once that transaction
 * has committed, so a rolled-back write (a race lost, an all-or-nothing batch refused) is never counted.
 * The prom-client side is infrastructure/metrics.ts; `attendance_alerts_open` is read there at scrape time.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import { isAppError } from '@sicora/platform/errors';
import type { QrService } from './qr.service.ts';
import type { Repositories, WithTransaction } from './ports.ts';

export interface AttendanceMetrics {
  /** Q2: RECORDED, UPDATED, ALREADY_RECORDED, REPLAYED (R19) or the refusal's error code. */
  qrScan(outcome: string): void;
  recordWritten(method: string, status: string): void;
  rollClosed(closeMethod: string): void;
  jobDuration(job: string, seconds: number): void;
}

export function countedUnitOfWork(withTransaction: WithTransaction, metrics: AttendanceMetrics): WithTransaction {
  return async (work) => {
    let counts: Array<() => void> = [];
    const result = await withTransaction((tx) => {
      counts = [];
      const records: Repositories['records'] = {
        ...tx.records,
        async insert(values) {
          const row = await tx.records.insert(values);
          counts.push(() => metrics.recordWritten(row.method, row.status));
          return row;
        },
        // Soft deletes and the QR link change no status: not a record written.
        async update(id, values) {
          const row = await tx.records.update(id, values);
          if (values.status !== undefined) counts.push(() => metrics.recordWritten(row.method, row.status));
          return row;
        },
      };
      const rolls: Repositories['rolls'] = {
        ...tx.rolls,
        async update(id, values) {
          const row = await tx.rolls.update(id, values);
          if (values.status === 'CLOSED' && row.closeMethod) counts.push(() => metrics.rollClosed(row.closeMethod!));
          return row;
        },
      };
      return work({ ...tx, records, rolls });
    });
    for (const count of counts) count();
    return result;
  };
}

/** Q2's outcome, accepted or refused (a request the schema rejects never reaches it). */
export function countedScans(qr: QrService, metrics: AttendanceMetrics): QrService {
  return {
    ...qr,
    async scan(...args) {
      try {
        const result = await qr.scan(...args);
        metrics.qrScan(result.data.replayed ? 'REPLAYED' : result.data.outcome);
        return result;
      } catch (err) {
        metrics.qrScan(isAppError(err) ? err.code : 'ERROR');
        throw err;
      }
    },
  };
}

/** Each run's wall time, failures included (the scheduler logs them). */
export function timedJobs(jobs: JobDefinition[], metrics: AttendanceMetrics): JobDefinition[] {
  return jobs.map((job) => ({
    ...job,
    async run(ctx) {
      const started = performance.now();
      try {
        return await job.run(ctx);
      } finally {
        metrics.jobDuration(job.name, (performance.now() - started) / 1000);
      }
    },
  }));
}
