/** R34's debounced evaluation (US-ATT-13 "after the debounced evaluation"): the queue, the trigger, the job. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { expectOk } from '@sicora/platform/testing/http';
import { createAlertEvaluation } from '../src/application/alerts.evaluation.ts';
import type { Deps } from '../src/application/context.ts';
import { debouncedEvaluationJob, evaluateDue } from '../src/application/evaluation.job.ts';
import { createSettingsService } from '../src/application/settings.service.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import { at, createHarness, type Harness } from './harness.ts';

let h: Harness;
let jobs: Scheduler;
let deps: Deps;
beforeAll(async () => {
  h = await createHarness(at('2026-05-04', '05:00').toISOString());
  deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
  const evaluation = createAlertEvaluation(deps, createSettingsService(deps));
  jobs = createScheduler({ database: h.db, schema: 'attendance', now: deps.now, timers: false }, [debouncedEvaluationJob(deps, evaluation)]);
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await h.close();
});

const dueOf = async (studentId: string) =>
  (await h.db.query<{ due_at: Date }>('SELECT due_at FROM attendance.evaluation_queue WHERE student_id = $1', [studentId]))[0]?.due_at?.toISOString() ?? null;
const alertsOf = async (studentId: string) =>
  h.db.query<{ type: string; level: string; state: string }>("SELECT type::text AS type, level::text AS level, state::text AS state FROM attendance.alerts WHERE student_id = $1 AND type <> 'CUSTOM' ORDER BY type", [studentId]);

/** A session of ficha A on `date` whose roll marks `student` ABSENT and everyone else PRESENT, closed at 09:05. */
async function absentOn(date: string, studentId: string) {
  const s = h.addSession({ date, start: '06:00', end: '09:00' });
  h.clock.now = at(date, '06:10');
  const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
  expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { marks: [{ student_id: studentId, status: 'ABSENT' }], mark_rest: 'PRESENT' }));
  h.clock.now = at(date, '09:05');
  expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, h.x, {}));
  return roll;
}

describe('R34 debounced evaluation', () => {
  it('when a third consecutive absence is written, then the student is due 60 s after the last change and the next run raises the HIGH alert', async () => {
    const student = h.fichaA.apprentices[3].id;
    await absentOn('2026-05-04', student);
    await absentOn('2026-05-05', student);
    // The first two changes were evaluated on their own runs (nothing to raise yet).
    h.clock.now = at('2026-05-05', '09:10');
    await jobs.runDue();
    expect(await alertsOf(student)).toEqual([]);

    h.clock.now = at('2026-05-06', '06:10');
    const s = h.addSession({ date: '2026-05-06', start: '06:00', end: '09:00' });
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { marks: [{ student_id: student, status: 'ABSENT' }] }));
    expect(await dueOf(student)).toBe(new Date(at('2026-05-06', '06:10').getTime() + 60_000).toISOString());

    // Another change 30 s later pushes the due time back (debounce): 06:11:30 instead of 06:11:00.
    const [record] = await h.db.query<{ id: string }>('SELECT id FROM attendance.records WHERE roll_id = $1 AND student_id = $2', [roll.id, student]);
    const later = new Date(at('2026-05-06', '06:10').getTime() + 30_000);
    await h.db.query("INSERT INTO attendance.record_changes (record_id, at, source, to_status, notes_changed) VALUES ($1, $2, 'MANUAL', 'ABSENT', true)", [record.id, later.toISOString()]);
    expect(await dueOf(student)).toBe(new Date(later.getTime() + 60_000).toISOString());

    h.clock.now = at('2026-05-06', '06:11');
    await jobs.runDue();
    expect(await alertsOf(student)).toEqual([]);
    expect(await dueOf(student)).not.toBeNull();

    h.clock.now = at('2026-05-06', '06:12');
    await jobs.runDue();
    expect(await alertsOf(student)).toEqual([{ type: 'CONSECUTIVE_ABSENCES', level: 'HIGH', state: 'OPEN' }]);
    expect(await dueOf(student)).toBeNull();
  });

  it('when the evaluation fails, then the students go back to the queue for the next run', async () => {
    const student = h.fichaA.apprentices[5].id;
    await h.db.query('INSERT INTO attendance.evaluation_queue (student_id, due_at) VALUES ($1, $2)', [student, at('2026-05-07', '06:00').toISOString()]);
    const at1 = at('2026-05-07', '06:01');
    await expect(evaluateDue(deps, { evaluateStudents: async () => Promise.reject(new Error('boom')) }, at1)).rejects.toThrow('boom');
    expect(await dueOf(student)).toBe(at1.toISOString());
    expect(await evaluateDue(deps, { evaluateStudents: async () => undefined }, at1)).toEqual({ evaluated: 1 });
    expect(await dueOf(student)).toBeNull();
  });
});
