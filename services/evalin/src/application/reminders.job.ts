/**
 * R40: the 08:00 local job (automatic reminders and the participation refresh of E18). A run missed while
 * the service was down is caught up at start-up the same day (the scheduler's `same-day` catch-up).
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { Deps } from './context.ts';
import type { RemindersService } from './reminders.service.ts';

export function remindersJob(deps: Pick<Deps, 'timeZone'>, reminders: RemindersService): JobDefinition {
  return { name: 'daily-reminders', cron: '0 8 * * *', timeZone: deps.timeZone, catchUp: 'same-day', retryAfterMs: 5 * 60_000, run: () => reminders.runDaily() };
}
