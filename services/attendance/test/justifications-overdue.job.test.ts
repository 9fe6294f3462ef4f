/**
 * R27 (US-ATT-11): a justification PENDING for more than `justification_overdue_days` (7) is overdue in its
 * views, and the nightly job (23:00 Bogotá) sends one `attendance.justification_overdue` to its O4
 * reviewers and role coordinador — once, never for a decided one. Run by the platform scheduler on the
 * test's clock; the justifications go in and are decided through HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { expectOk } from '@sicora/platform/testing/http';
import type { Deps } from '../src/application/context.ts';
import { justificationsOverdueJob, notifyOverdueJustifications } from '../src/application/justifications-overdue.job.ts';
import { createSettingsService } from '../src/application/settings.service.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import { at, createHarness, type Harness } from './harness.ts';
import { J, submit, takenSession } from './justifications.fixtures.ts';

const TYPE = 'attendance.justification_overdue';
let h: Harness;
let jobs: Scheduler;
let deps: Deps;
let settings: ReturnType<typeof createSettingsService>;
beforeAll(async () => {
  h = await createHarness(at('2026-03-12', '10:00').toISOString());
  deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
  settings = createSettingsService(deps);
  jobs = createScheduler({ database: h.db, schema: 'attendance', now: deps.now, timers: false }, [justificationsOverdueJob(deps, settings)]);
  await jobs.start();
});
afterAll(async () => {
  await jobs.stop();
  await h.close();
});

const night = async (date: string) => {
  h.clock.now = at(date, '23:00');
  await jobs.runDue();
};
const overdueKeys = async () => (await h.outbox(TYPE)).map((n) => n.idempotency_key);

describe('overdue justifications (R27)', () => {
  it('a pending justification gets one notice the night it has been pending more than 7 days, to its reviewers and coordinación; never again, never for a decided one', async () => {
    const [a, b, c] = h.fichaA.apprentices;
    // a: sessions taught by X and by Y (both O4 reviewers); b: decided the next day; c: sent a day later.
    const morning = await takenSession(h, { absent: [a, b], date: '2026-03-09', start: '06:00', end: '09:00' });
    const noon = await takenSession(h, { absent: [a], instructor: h.y, date: '2026-03-09', start: '09:00', end: '12:00' });
    const tuesday = await takenSession(h, { absent: [c], date: '2026-03-10', start: '06:00', end: '09:00' });
    h.clock.now = at('2026-03-12', '10:00');
    const ja = expectOk(await submit(h, a, { sessions: [morning.session, noon.session] }), 201);
    const jb = expectOk(await submit(h, b, { sessions: [morning.session] }), 201);
    h.clock.now = at('2026-03-13', '09:00');
    expectOk(await h.inject('POST', `${J}/${jb.id}/review`, h.x, { decision: 'APPROVED', comment: 'Soporte válido' }));
    h.clock.now = at('2026-03-13', '10:00');
    const jc = expectOk(await submit(h, c, { sessions: [tuesday.session] }), 201);

    // Day 6 and a half: not overdue yet.
    await night('2026-03-18');
    expect(await overdueKeys()).toEqual([]);
    expect(expectOk(await h.inject('GET', `${J}/${ja.id}`, h.coordinador))).toMatchObject({ overdue: false, overdue_notified_at: null });

    // Day 7 and 13 hours: overdue in the view, and the notice goes out that night.
    h.clock.now = at('2026-03-19', '22:00');
    expect(expectOk(await h.inject('GET', `${J}/${ja.id}`, h.coordinador))).toMatchObject({ overdue: true, overdue_notified_at: null });
    await night('2026-03-19');
    const sent = await h.outbox(TYPE);
    expect(sent.map((n) => n.idempotency_key)).toEqual([`attendance:${TYPE}:${ja.id}:1`]);
    expect(sent[0].body).toMatchObject({
      type: TYPE,
      target_roles: ['coordinador'],
      priority: 'normal',
      entity_type: 'justification',
      entity_id: ja.id,
      data: { student_name: a.full_name, group_number: '2826503', submitted_at: '12/03/2026', days_pending: 7, review_url: `/asistencia/justificaciones/${ja.id}` },
    });
    expect([...(sent[0].body.target_users as string[])].sort()).toEqual([h.x.id, h.y.id].sort());
    expect(JSON.stringify(sent[0].body)).not.toContain('Incapacidad');
    expect(expectOk(await h.inject('GET', `${J}/${ja.id}`, h.coordinador))).toMatchObject({ overdue: true, overdue_notified_at: at('2026-03-19', '23:00').toISOString() });

    // The next night: only c, now pending 7 days and 13 hours; a is not sent again, b (approved) never.
    await night('2026-03-20');
    expect(await overdueKeys()).toEqual([`attendance:${TYPE}:${ja.id}:1`, `attendance:${TYPE}:${jc.id}:1`]);
    expect((await h.outbox(TYPE))[1].body).toMatchObject({ target_users: [h.x.id], target_roles: ['coordinador'], data: { days_pending: 7, submitted_at: '13/03/2026' } });
    await night('2026-03-25');
    expect(await overdueKeys()).toHaveLength(2);
    expect((await overdueKeys()).some((k) => k.includes(jb.id))).toBe(false);
  });

  it('the claim lives on the justification: a second run after the outbox let the rows go queues nothing', async () => {
    await h.db.query("DELETE FROM attendance.outbox WHERE body->>'type' = $1", [TYPE]);
    h.clock.now = at('2026-03-26', '23:00');
    expect(await notifyOverdueJustifications(deps, settings)).toEqual({ sent: 0 });
    expect(await h.outbox(TYPE)).toEqual([]);
  });

  it('when users cannot answer, the notice still goes with null names', async () => {
    const d = h.fichaA.apprentices[3];
    const { session } = await takenSession(h, { absent: [d], date: '2026-03-23', start: '06:00', end: '09:00' });
    h.clock.now = at('2026-03-24', '10:00');
    const jd = expectOk(await submit(h, d, { sessions: [session] }), 201);
    h.users.down = true;
    try {
      await night('2026-04-01');
    } finally {
      h.users.down = false;
    }
    const [n] = (await h.outbox(TYPE)).filter((e) => e.body.entity_id === jd.id);
    expect(n.body).toMatchObject({ target_users: [h.x.id], target_roles: ['coordinador'], data: { student_name: null, group_number: null, days_pending: 8, submitted_at: '24/03/2026' } });
  });
});
