/**
 * R59, the daily clean-up at 03:15 America/Bogota, run by the sweeper (R30: a timer in every worker
 * process, one at a time by advisory lock), not by a queue schedule.
 *
 * When: the first sweep at or after 03:15 local of each day runs it; the process remembers the local date
 * of its last run. No table records runs (no schema change): instead every cutoff is measured from that
 * day's 03:15, not from the moment of the sweep, so a second run the same day (another worker process,
 * a restart) finds nothing new to remove. A day missed entirely (no worker running) is caught by the next
 * day's run, whose cutoffs cover it.
 */
import { localParts, localToUtc } from '../domain/rules.ts';
import type { RetentionCounts, RetentionRepo } from '../infrastructure/retention.repo.ts';

const DAY = 86_400_000;
const RUN_HOUR = 3;
const RUN_MINUTE = 15;

export interface RetentionDeps {
  retention: RetentionRepo;
  timezone: string;
  /** When this process runs the mail sink (R41): removes its day folders older than 7 days before `at`. */
  pruneMail?: (at: Date) => number;
}

export interface RetentionRun extends RetentionCounts { ran_for: string; mail_days: number }

export function createRetention(d: RetentionDeps) {
  let lastRunDate: string | null = null;

  /** Runs the day's clean-up when 03:15 local has passed and this process has not run it today. */
  async function runIfDue(now: Date): Promise<RetentionRun | null> {
    const { date, minutes } = localParts(now, d.timezone);
    if (minutes < RUN_HOUR * 60 + RUN_MINUTE || lastRunDate === date) return null;
    const anchor = new Date(localToUtc(date, RUN_HOUR, d.timezone).getTime() + RUN_MINUTE * 60_000);
    const at = (days: number) => new Date(anchor.getTime() - days * DAY);
    const counts = await d.retention.sweep({
      attempts: at(90), records: at(180), inboxRead: at(180), inboxCreated: at(365), idempotencyKeys: at(7), destinations: at(30), devices: at(30),
    });
    const mailDays = d.pruneMail?.(anchor) ?? 0;
    // Only after success: a failed run is tried again by the next sweep.
    lastRunDate = date;
    return { ...counts, ran_for: anchor.toISOString(), mail_days: mailDays };
  }

  return { runIfDue };
}

export type Retention = ReturnType<typeof createRetention>;
