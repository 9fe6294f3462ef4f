/** R8 auto-close (US-ATT-03) on a scheduler with the test's clock: the job's slot every 5 minutes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { expectOk } from '@sicora/platform/testing/http';
import { autoCloseJob } from '../src/application/autoclose.job.ts';
import { createSettingsService } from '../src/application/settings.service.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import { at, createHarness, MONDAY, type Harness } from './harness.ts';

let h: Harness;
let jobs: Scheduler;
beforeAll(async () => {
  h = await createHarness(at(MONDAY, '06:05').toISOString());
  const deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
  jobs = createScheduler({ database: h.db, schema: 'attendance', now: deps.now, timers: false }, [autoCloseJob(deps, createSettingsService(deps))]);
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await h.close();
});

const rollOf = async (id: string) => (await h.db.query<{ status: string; close_method: string | null; closed_by: string | null; was_closed: boolean }>('SELECT status::text AS status, close_method::text AS close_method, closed_by::text AS closed_by, was_closed FROM attendance.rolls WHERE id = $1', [id]))[0];

describe('R8 auto-close job', () => {
  it('when the clock reaches 09:31, then an OPEN roll with records closes AUTO (absentees recorded), one without records stays OPEN', async () => {
    const open = async () => {
      const s = h.addSession();
      return expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    };
    const withRecords = await open();
    const empty = await open();
    const reopened = await open();
    const waiting = await open();
    for (const r of [withRecords, reopened, waiting]) {
      expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${r.id}/marks`, h.x, { marks: [{ student_id: h.fichaA.apprentices[0].id, status: 'PRESENT' }] }));
    }
    expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${reopened.id}/close`, h.x, {}));
    expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${reopened.id}/reopen`, h.x));

    h.clock.now = at(MONDAY, '09:25');
    await jobs.runDue();
    expect((await rollOf(withRecords.id)).status).toBe('OPEN');

    const roster = h.schedules.rosters.get(h.fichaA.id)!;
    h.clock.now = at(MONDAY, '09:31');
    await jobs.runDue();
    expect(await rollOf(withRecords.id)).toEqual({ status: 'CLOSED', close_method: 'AUTO', closed_by: null, was_closed: true });
    expect((await rollOf(empty.id)).status).toBe('OPEN');
    expect((await rollOf(reopened.id)).status).toBe('OPEN');
    const absent = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM attendance.records WHERE roll_id = $1 AND status = 'ABSENT' AND method = 'ROLL_CLOSE'", [withRecords.id]);
    expect(absent[0].n).toBe(roster.length - 1);
    const notices = await h.outbox('attendance.absence_recorded');
    expect(notices.filter((n) => n.body.data && (n.body.data as { instructor_name: string }).instructor_name === h.x.full_name).length).toBeGreaterThanOrEqual(roster.length - 1);
  });

  it('when schedules is down at the run, then the due roll waits and closes at the next run', async () => {
    h.clock.now = at('2026-03-16', '06:05');
    const s = h.addSession({ date: '2026-03-16' });
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { mark_rest: 'PRESENT' }));
    h.schedules.down = true;
    h.clock.now = at('2026-03-16', '09:30');
    await jobs.runDue();
    expect((await rollOf(roll.id)).status).toBe('OPEN');
    h.schedules.down = false;
    h.clock.now = at('2026-03-16', '09:35');
    await jobs.runDue();
    expect(await rollOf(roll.id)).toMatchObject({ status: 'CLOSED', close_method: 'AUTO' });
    expect(jobs.nextRunAt('auto-close').toISOString()).toBe(at('2026-03-16', '09:40').toISOString());
  });
});
