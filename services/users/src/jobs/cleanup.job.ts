/**
 * The daily retention job (R34) at 03:00 in SICORA_TIMEZONE, on the platform scheduler: one replica runs
 * each day's slot (the others lose the claim); a missed night is not caught up, the next one deletes it all.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { RetentionService } from '../application/retention.service.ts';

export const CLEANUP_JOB = 'users-cleanup';
export const CLEANUP_CRON = '0 3 * * *';

export function cleanupJob(opts: { retention: RetentionService; timezone: string }): JobDefinition {
  return { name: CLEANUP_JOB, cron: CLEANUP_CRON, timeZone: opts.timezone, run: () => opts.retention.purge() };
}
