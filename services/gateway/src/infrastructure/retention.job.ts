/**
 * R47's daily job at 03:30 America/Bogota: request-log rows older than the retention, health history
 * older than 30 days and config versions beyond the last 200; one instance at a time (advisory lock).
 */
import type { Database } from '@sicora/platform/db';
import type { RequestLogRepo } from './request-log.repo.ts';

/** Milliseconds from `now` to the next 03:30 in the zone (zones without DST here; computed via Intl). */
export function msUntilNext(now: Date, timezone: string, hour = 3, minute = 30): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const secondsNow = (Number(parts.hour) % 24) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  let delta = hour * 3600 + minute * 60 - secondsNow;
  if (delta <= 0) delta += 86_400;
  return delta * 1000 - now.getMilliseconds();
}

export function createRetentionJob(deps: { database: Database; logs: RequestLogRepo; retentionDays: number; timezone: string; now?: () => Date; onError?: (err: unknown) => void }) {
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function runOnce(): Promise<number> {
    return deps.database.withAdvisoryLock('gateway:retention', () => deps.logs.purge(now(), deps.retentionDays));
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce()
        .catch((err) => deps.onError?.(err))
        .finally(schedule);
    }, msUntilNext(now(), deps.timezone));
    timer.unref();
  }

  return {
    runOnce,
    start: schedule,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
