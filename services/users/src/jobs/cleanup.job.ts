/**
 * Daily retention job at 03:00 Bogotá (R34): events older than 365 days, expired revoked access tokens,
 * refresh tokens expired more than 30 days ago and reset tokens older than 7 days. One replica runs it
 * (advisory lock); the others find nothing left to delete.
 */
import type { Database } from '@sicora/platform/db';
import { purgeExpired } from '../infrastructure/auth-state.repo.ts';
import { addMs, DAY } from '../domain/time.ts';

/** Milliseconds from `at` to the next `hour`:00 in `timeZone`. */
export function msUntilLocalHour(at: Date, timeZone: string, hour: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at).map((p) => [p.type, p.value]),
  );
  const sinceMidnight = ((+parts.hour * 60 + +parts.minute) * 60 + +parts.second) * 1000 + at.getMilliseconds();
  let wait = hour * 3600_000 - sinceMidnight;
  if (wait <= 0) wait += DAY;
  return wait;
}

export function createCleanupJob(opts: { database: Database; now: () => Date; timezone: string; logger?: { error(o: object, m?: string): void } }) {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  async function runOnce(): Promise<void> {
    const at = opts.now();
    await opts.database.withAdvisoryLock('sicora:users:cleanup', (db) =>
      purgeExpired(db, at, { events: addMs(at, -365 * DAY), refresh: addMs(at, -30 * DAY), reset: addMs(at, -7 * DAY) }),
    );
  }
  function schedule() {
    if (!running) return;
    timer = setTimeout(() => {
      runOnce().catch((err) => opts.logger?.error({ err }, 'users clean-up failed')).finally(schedule);
    }, msUntilLocalHour(opts.now(), opts.timezone, 3));
    timer.unref();
  }
  return {
    runOnce,
    start() {
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
