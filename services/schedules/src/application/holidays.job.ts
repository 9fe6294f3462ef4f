/**
 * The R25 job: the national holidays of this year and the next, at every start and on 1 December at
 * 02:00 in the service's zone. Idempotent (a year is only seeded while it has no HOLIDAY row), so a
 * start-up run on every replica is harmless; the December slot runs on one replica.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import { seedHolidays } from './calendar.service.ts';
import type { Deps } from './context.ts';

export function holidaysJob(deps: Pick<Deps, 'repos' | 'now' | 'timeZone'>): JobDefinition {
  return {
    name: 'holidays',
    cron: '0 2 1 12 *',
    timeZone: deps.timeZone,
    runOnStart: true,
    run: () => seedHolidays(deps.repos, { now: deps.now, timeZone: deps.timeZone }),
  };
}
