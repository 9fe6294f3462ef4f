/**
 * R59, the daily clean-up at 03:15 America/Bogota, a scheduled job (platform jobs: cron in the service's
 * zone, each day's slot claimed by one worker process across replicas, time from the service clock).
 *
 * Every cutoff is measured from the slot (that day's 03:15), not from the moment the run happens, so a
 * late run removes exactly what an on-time run would, and a day missed entirely (no worker running) is
 * covered by the next day's run, whose cutoffs include it. The mail sink's day folders belong to the
 * process that runs the sink, so their pruning is a job of every such process (`pruneMail`).
 */
import type { RetentionCounts, RetentionRepo } from '../infrastructure/retention.repo.ts';

const DAY = 86_400_000;

/** 03:15 every day, in the service's time zone. */
export const RETENTION_CRON = '15 3 * * *';

export interface RetentionRun extends RetentionCounts { ran_for: string }

export function createRetention(d: { retention: RetentionRepo }) {
  /** The clean-up whose cutoffs count back from `slot`. */
  async function run(slot: Date): Promise<RetentionRun> {
    const at = (days: number) => new Date(slot.getTime() - days * DAY);
    const counts = await d.retention.sweep({
      attempts: at(90), records: at(180), inboxRead: at(180), inboxCreated: at(365), idempotencyKeys: at(7), destinations: at(30), devices: at(30),
    });
    return { ...counts, ran_for: slot.toISOString() };
  }

  return { run };
}

export type Retention = ReturnType<typeof createRetention>;
