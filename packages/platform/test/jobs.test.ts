import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db.ts';
import { createScheduler, localDate, nextCronTime, previousCronTime, type JobContext, type JobDefinition, type Scheduler, type SchedulerOptions } from '../src/jobs.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

/** A wall-clock time in Bogotá (UTC−5 all year). */
const bogota = (local: string) => new Date(`${local.length === 16 ? `${local}:00` : local}-05:00`);

describe('cron times in a time zone', () => {
  it('when a job is due at 23:30 Bogotá, then its next run is 04:30 UTC of the next day', () => {
    const next = nextCronTime('30 23 * * *', bogota('2026-03-10T12:00'));
    expect(next.toISOString()).toBe('2026-03-11T04:30:00.000Z');
    expect(localDate(next)).toBe('2026-03-10');
    expect(localDate(next, 'UTC')).toBe('2026-03-11');
  });

  it('when the year crosses the dates other zones change their clocks, then 08:00 Bogotá stays 13:00 UTC', () => {
    // Around the changes of the US, Europe and Chile.
    const days = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-10-25', '2026-11-01'];
    const runs = days.map((d) => nextCronTime('0 8 * * *', bogota(`${d}T00:00`)).toISOString().slice(11));
    expect(new Set(runs)).toEqual(new Set(['13:00:00.000Z']));
    // The zone's rules come from the time-zone database: Colombia did keep daylight saving in 1992–93.
    expect(nextCronTime('0 8 * * *', new Date('1993-02-06T00:00:00Z')).toISOString()).toBe('1993-02-06T12:00:00.000Z');
  });

  it('when a zone has daylight saving, then a daily job runs once on the days the clocks change', () => {
    const ny = 'America/New_York';
    const spring = [nextCronTime('30 2 * * *', new Date('2026-03-07T12:00:00Z'), ny)];
    spring.push(nextCronTime('30 2 * * *', spring[0], ny));
    // 02:30 does not exist on 8 March: that day's run comes an hour later, and the next day is normal again.
    expect(spring.map((d) => d.toISOString())).toEqual(['2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
    const fall = [nextCronTime('30 1 * * *', new Date('2026-10-31T12:00:00Z'), ny)];
    fall.push(nextCronTime('30 1 * * *', fall[0], ny));
    // 01:30 happens twice on 1 November: one run only.
    expect(fall.map((d) => d.toISOString())).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('when the time is exactly a slot, then that slot is the previous run and the next one follows it', () => {
    const at = bogota('2026-03-10T08:00');
    expect(previousCronTime('0 8 * * *', at).toISOString()).toBe(at.toISOString());
    expect(previousCronTime('0 8 * * *', new Date(at.getTime() - 1)).toISOString()).toBe(bogota('2026-03-09T08:00').toISOString());
    expect(nextCronTime('0 8 * * *', at).toISOString()).toBe(bogota('2026-03-11T08:00').toISOString());
    expect(nextCronTime('*/5 * * * *', bogota('2026-03-10T08:02')).toISOString()).toBe(bogota('2026-03-10T08:05').toISOString());
  });
});

let db: TestDatabase;
let clock: Date;
let schemaNo = 0;
const schedulers: Scheduler[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.destroy();
});

afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
});

function setup() {
  const schema = `jobs_t${++schemaNo}`;
  const runs: Array<JobContext & { by: string }> = [];
  const errors: Array<{ obj: object; msg?: string }> = [];
  const make = (jobs: Array<Partial<JobDefinition>>, extra: Partial<SchedulerOptions> & { by?: string } = {}) => {
    const by = extra.by ?? 'a';
    const scheduler = createScheduler(
      { database: db, schema, now: () => clock, timers: false, logger: { error: (obj, msg) => errors.push({ obj, msg }) }, ...extra },
      jobs.map((j) => ({ name: 'daily', cron: '0 8 * * *', run: (ctx: JobContext) => void runs.push({ ...ctx, by }), ...j })),
    );
    schedulers.push(scheduler);
    return scheduler;
  };
  const rows = () =>
    db.query<{ job: string; slot: Date | string; status: string; reason: string; error: string | null }>(
      `SELECT job, slot, status, reason, error FROM "${schema}".job_runs ORDER BY slot`,
    );
  return { schema, runs, errors, make, rows };
}

describe('scheduler', () => {
  it('when the clock reaches a slot, then the job runs once for it, and again at the next slot', async () => {
    const t = setup();
    clock = bogota('2026-03-10T07:00');
    const s = t.make([{}]);
    await s.start();
    await s.runDue();
    expect(t.runs).toHaveLength(0);
    expect(s.nextRunAt('daily').toISOString()).toBe(bogota('2026-03-10T08:00').toISOString());
    clock = bogota('2026-03-10T08:00');
    await s.runDue();
    clock = bogota('2026-03-10T09:00');
    await s.runDue();
    expect(t.runs.map((r) => [r.slot.toISOString(), r.reason])).toEqual([[bogota('2026-03-10T08:00').toISOString(), 'schedule']]);
    clock = bogota('2026-03-11T08:00');
    await s.runDue();
    expect(t.runs).toHaveLength(2);
    expect((await t.rows()).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('when two replicas share the database, then each slot runs on one of them only', async () => {
    const t = setup();
    clock = bogota('2026-03-10T07:59');
    const a = t.make([{}, { name: 'often', cron: undefined, everyMs: 60_000 }], { by: 'a' });
    const b = t.make([{}, { name: 'often', cron: undefined, everyMs: 60_000 }], { by: 'b' });
    await Promise.all([a.start(), b.start()]);
    for (const local of ['2026-03-10T08:00', '2026-03-10T08:01', '2026-03-10T08:02']) {
      clock = bogota(local);
      await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
    }
    expect(t.runs.filter((r) => r.name === 'daily')).toHaveLength(1);
    expect(t.runs.filter((r) => r.name === 'often').map((r) => r.slot.toISOString())).toEqual(
      ['08:00', '08:01', '08:02'].map((h) => bogota(`2026-03-10T${h}`).toISOString()),
    );
  });

  it('when jobs run on every replica, then no claim is taken and each replica runs each slot', async () => {
    const t = setup();
    clock = bogota('2026-03-10T07:59');
    const a = t.make([{ runOn: 'every-replica' }], { by: 'a', database: undefined });
    const b = t.make([{ runOn: 'every-replica' }], { by: 'b', database: undefined });
    await Promise.all([a.start(), b.start()]);
    clock = bogota('2026-03-10T08:00');
    await Promise.all([a.runDue(), b.runDue()]);
    expect(t.runs.map((r) => r.by).sort()).toEqual(['a', 'b']);
  });

  it('when the service starts after the day’s run time and the run was missed, then it is caught up at start-up the same day only', async () => {
    const t = setup();
    clock = bogota('2026-03-10T10:00');
    const first = t.make([{ catchUp: 'same-day' }], { by: 'first' });
    await first.start();
    await first.idle();
    expect(t.runs.map((r) => [r.by, r.reason, r.slot.toISOString()])).toEqual([['first', 'catch-up', bogota('2026-03-10T08:00').toISOString()]]);
    // A restart (or a second replica) later that day finds the day's run recorded.
    clock = bogota('2026-03-10T23:59');
    const again = t.make([{ catchUp: 'same-day' }], { by: 'again' });
    await again.start();
    await again.idle();
    expect(t.runs).toHaveLength(1);
    // Down the whole of 11 March: starting on the 12th before 08:00 does not run the 11th's slot.
    clock = bogota('2026-03-12T07:30');
    const nextDay = t.make([{ catchUp: 'same-day' }], { by: 'next-day' });
    await nextDay.start();
    await nextDay.idle();
    expect(t.runs).toHaveLength(1);
  });

  it('when a 23:30 job was missed, then starting after midnight Bogotá (already the next day in UTC before it) does not catch it up', async () => {
    const t = setup();
    clock = bogota('2026-03-11T00:30');
    const s = t.make([{ cron: '30 23 * * *', catchUp: 'same-day' }]);
    await s.start();
    await s.idle();
    expect(t.runs).toHaveLength(0);
    clock = bogota('2026-03-10T23:45');
    const sameDay = t.make([{ cron: '30 23 * * *', catchUp: 'same-day' }]);
    await sameDay.start();
    await sameDay.idle();
    expect(t.runs.map((r) => r.slot.toISOString())).toEqual(['2026-03-11T04:30:00.000Z']);
  });

  it('when catch-up is none, latest or run-on-start, then start-up skips the slot, runs it whatever its date, or runs the job once', async () => {
    const t = setup();
    clock = bogota('2026-03-12T07:30');
    const none = t.make([{ name: 'none' }]);
    const latest = t.make([{ name: 'latest', catchUp: 'latest' }]);
    const onStart = t.make([{ name: 'on-start', runOnStart: true }]);
    await Promise.all([none.start(), latest.start(), onStart.start()]);
    await Promise.all([none.idle(), latest.idle(), onStart.idle()]);
    expect(t.runs.map((r) => [r.name, r.reason, r.slot.toISOString()]).sort()).toEqual([
      ['latest', 'catch-up', bogota('2026-03-11T08:00').toISOString()],
      ['on-start', 'start', clock.toISOString()],
    ]);
  });

  it('when a job throws, then the error is logged, the run recorded as failed and, with retryAfterMs, tried again', async () => {
    const t = setup();
    let failing = true;
    clock = bogota('2026-03-10T07:59');
    const s = t.make([{ retryAfterMs: 60_000, run: (ctx) => { if (failing) throw new Error('boom'); t.runs.push({ ...ctx, by: 'a' }); } }]);
    await s.start();
    clock = bogota('2026-03-10T08:00');
    await expect(s.runDue()).resolves.toBeUndefined();
    expect(t.errors).toEqual([{ obj: expect.objectContaining({ job: 'daily', err: expect.objectContaining({ message: 'boom' }) }), msg: 'scheduled job failed' }]);
    expect(await t.rows()).toEqual([expect.objectContaining({ status: 'failed', error: 'boom', reason: 'schedule' })]);
    failing = false;
    clock = bogota('2026-03-10T08:00:30');
    await s.runDue();
    expect(t.runs).toHaveLength(0);
    clock = bogota('2026-03-10T08:01');
    await s.runDue();
    expect(t.runs.map((r) => r.reason)).toEqual(['retry']);
    expect(await t.rows()).toEqual([expect.objectContaining({ status: 'succeeded', error: null, reason: 'retry' })]);
  });

  it('when a run fails, then a replica starting later the same day catches the slot up', async () => {
    const t = setup();
    clock = bogota('2026-03-10T07:59');
    const s = t.make([{ run: () => { throw new Error('down'); } }]);
    await s.start();
    clock = bogota('2026-03-10T08:00');
    await s.runDue();
    await s.stop();
    clock = bogota('2026-03-10T09:00');
    const restarted = t.make([{ catchUp: 'same-day' }]);
    await restarted.start();
    await restarted.idle();
    expect(t.runs.map((r) => r.reason)).toEqual(['catch-up']);
  });

  it('when the claim table cannot be written, then the failure is logged and nothing is thrown', async () => {
    const broken = { ...db, query: () => Promise.reject(new Error('connection lost')), withAdvisoryLock: (_name: string, fn: (d: Database['db']) => Promise<unknown>) => fn(db.db) } as unknown as Database;
    const t = setup();
    clock = bogota('2026-03-10T07:59');
    const s = t.make([{}], { database: broken });
    await s.start();
    clock = bogota('2026-03-10T08:00');
    await expect(s.runDue()).resolves.toBeUndefined();
    expect(t.runs).toHaveLength(0);
    expect(t.errors.map((e) => e.msg)).toEqual(['scheduled job could not claim its slot']);
  });

  it('when a run outlasts the next slot, then the slots that fell during it are folded into one run after it', async () => {
    const t = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    clock = bogota('2026-03-10T07:59');
    const s = t.make([{ cron: undefined, everyMs: 60_000, run: async () => { if (++calls === 1) await gate; } }]);
    await s.start();
    clock = bogota('2026-03-10T08:00');
    const first = s.runDue();
    await expect.poll(() => calls).toBe(1);
    for (const local of ['2026-03-10T08:01', '2026-03-10T08:02']) {
      clock = bogota(local);
      await s.runDue();
    }
    expect(calls).toBe(1);
    release();
    await first;
    await s.runDue();
    expect(calls).toBe(2);
    expect((await t.rows()).map((r) => new Date(r.slot).toISOString())).toEqual([bogota('2026-03-10T08:00').toISOString(), bogota('2026-03-10T08:02').toISOString()]);
  });

  it('when started with real timers, then due slots run by themselves, and stop() ends them', async () => {
    const t = setup();
    let n = 0;
    const s = t.make([{ cron: undefined, everyMs: 20, runOn: 'every-replica', run: () => void n++ }], { now: () => new Date(), timers: true, database: undefined });
    await s.start();
    await expect.poll(() => n, { interval: 10 }).toBeGreaterThanOrEqual(2);
    await s.stop();
    const after = n;
    await new Promise((r) => setTimeout(r, 60));
    expect(n).toBe(after);
    await s.runDue();
    expect(n).toBe(after);
  });

  it('when a definition is wrong, then the scheduler refuses it at creation', () => {
    const base = { schema: 'jobs_bad', database: db, now: () => clock };
    const run = () => undefined;
    expect(() => createScheduler(base, [{ name: 'x', cron: 'not a cron', run }])).toThrow();
    expect(() => createScheduler(base, [{ name: 'x', cron: '0 8 * * *', timeZone: 'Nowhere/Else', run }])).toThrow();
    expect(() => createScheduler(base, [{ name: 'x', run }])).toThrow(/cron or everyMs/);
    expect(() => createScheduler(base, [{ name: 'x', everyMs: 1000, run }, { name: 'x', everyMs: 1000, run }])).toThrow(/unique/);
    expect(() => createScheduler({ schema: 'jobs_bad' }, [{ name: 'x', everyMs: 1000, run }])).toThrow(/database/);
    expect(() => createScheduler({ ...base, schema: 'Bad-Schema' }, [{ name: 'x', everyMs: 1000, run }])).toThrow(/schema/);
    expect(() => createScheduler(base, [{ name: 'x', everyMs: 1000, run }]).nextRunAt('y')).toThrow(/unknown job/);
  });
});
