/**
 * R47's daily job at 03:30 America/Bogota: request-log rows older than the retention, health history
 * older than 30 days and config versions beyond the last 200. The platform scheduler runs each day's slot
 * on one instance (its claim row); the advisory lock also keeps a hand-started run from overlapping it.
 */
import type { Database } from '@sicora/platform/db';
import type { JobDefinition } from '@sicora/platform/jobs';
import type { RequestLogRepo } from './request-log.repo.ts';

export const RETENTION_CRON = '30 3 * * *';

export interface RetentionJobDeps {
  database: Database;
  logs: Pick<RequestLogRepo, 'purge'>;
  retentionDays: number;
  timeZone: string;
  now: () => Date;
}

export type RetentionJob = JobDefinition & { runOnce(): Promise<number> };

export function createRetentionJob(deps: RetentionJobDeps): RetentionJob {
  /** Resolves how many request-log rows went. */
  const runOnce = () => deps.database.withAdvisoryLock('gateway:retention', () => deps.logs.purge(deps.now(), deps.retentionDays));
  return { name: 'request-log-retention', cron: RETENTION_CRON, timeZone: deps.timeZone, run: runOnce, runOnce };
}
