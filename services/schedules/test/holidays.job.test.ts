/**
 * R25's yearly run on the scheduler's injected clock: nothing before 1 December 02:00 Bogotá, next year's
 * holidays from then on (the start-up run is covered by every suite: the harness starts the app).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { holidaysJob } from '../src/application/holidays.job.ts';
import { createRepositories } from '../src/infrastructure/repositories.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let jobs: Scheduler;
const clock = { now: new Date('2026-03-09T12:00:00Z') };
const holidaysIn = async (year: number) =>
  (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM schedules.non_teaching_days WHERE source = 'HOLIDAY' AND extract(year from date) = $1", [year]))[0].n;

beforeAll(async () => {
  h = await createHarness(clock.now.toISOString());
  const deps = { repos: createRepositories(h.db.db), now: () => clock.now, timeZone: 'America/Bogota' };
  jobs = createScheduler({ database: h.db, schema: 'schedules', now: deps.now, timers: false }, [holidaysJob(deps)]);
  await jobs.start();
  await jobs.idle();
});
afterAll(async () => {
  await jobs.stop();
  await h.close();
});

describe('R25 holiday job', () => {
  it('when the app started in 2026, then 2026 and 2027 have their holidays and the next run is 1 December 02:00 Bogotá', async () => {
    expect([await holidaysIn(2026), await holidaysIn(2027), await holidaysIn(2028)]).toEqual([18, 18, 0]);
    expect(jobs.nextRunAt('holidays').toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('when the clock reaches 1 December 2027 02:00 Bogotá, then 2028 is seeded, not a minute before', async () => {
    for (const at of ['2026-12-01T07:00:00Z', '2027-12-01T06:59:00Z']) {
      clock.now = new Date(at);
      await jobs.runDue();
    }
    expect(await holidaysIn(2028)).toBe(0);
    clock.now = new Date('2027-12-01T07:00:00Z');
    await jobs.runDue();
    expect(await holidaysIn(2028)).toBeGreaterThan(0);
  });
});
