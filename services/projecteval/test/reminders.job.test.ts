/** R48 on a scheduler with the test's clock: hourly slots, each reminder once per due date or start. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { createFileStore } from '../src/infrastructure/files.store.ts';
import { remindersJob } from '../src/application/reminders.job.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import { BASE, createHarness, type Harness } from './harness.ts';
import { deliverable } from './fixtures.ts';

let h: Harness;
let jobs: Scheduler;
let world: Awaited<ReturnType<typeof deliverable>>;
beforeAll(async () => {
  h = await createHarness();
  const deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, files: createFileStore(h.filesDir, () => h.clock.now), now: () => h.clock.now, timeZone: 'America/Bogota' };
  jobs = createScheduler({ database: h.db, schema: 'projecteval', now: deps.now, timers: false }, [remindersJob(deps)]);
  await jobs.start();
  world = await deliverable(h); // due 2026-03-19T14:00Z
});
afterAll(async () => {
  await jobs.stop();
  await h.close();
});

describe('R48 reminders', () => {
  it('when a deliverable without submission is due within 48 h, then the team gets deliverable_due_soon once, with whole hours left', async () => {
    h.clock.now = new Date('2026-03-17T13:30:00Z'); // 48.5 h before: outside the window
    await jobs.runDue();
    expect(await h.outbox('projecteval.deliverable_due_soon')).toHaveLength(0);
    h.clock.now = new Date('2026-03-17T15:00:00Z'); // slot 15:00Z: 47 h left
    await jobs.runDue();
    const notes = await h.outbox('projecteval.deliverable_due_soon');
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toMatchObject({ priority: 'high', data: { hours_left: 47, deliverable_title: 'Prototipo funcional del módulo de inventario' } });
    expect(notes[0].body.target_users).toHaveLength(4);
    h.clock.now = new Date('2026-03-17T16:00:00Z');
    await jobs.runDue();
    expect(await h.outbox('projecteval.deliverable_due_soon')).toHaveLength(1);
  });

  it('when a session starts within 48 h, then jurors get session_reminder; a submitted deliverable gets no reminder', async () => {
    h.clock.now = new Date('2026-03-17T16:30:00Z');
    await h.ok(201, 'POST', `${BASE}/deliverables/${world.deliverable.id}/submissions`, h.fichaA.apprentices[0], { repository_url: 'https://github.com/sena/a' });
    const d2 = await h.ok(201, 'POST', `${BASE}/projects/${world.project.id}/deliverables`, h.x, { title: 'Otro entregable', deliverable_type: 'documentation', due_at: '2026-03-18T20:00:00Z', rubric_id: world.rubricId });
    await h.ok(201, 'POST', `${BASE}/deliverables/${d2.id}/submissions`, h.fichaA.apprentices[0], { repository_url: 'https://github.com/sena/b' });
    await h.ok(201, 'POST', `${BASE}/sessions`, h.coordinador, { title: 'Sesión próxima', session_type: 'progress_review', starts_at: '2026-03-18T13:00:00Z', virtual_url: 'https://meet.example/abc', juror_ids: [h.x.id, h.y.id], chair_id: h.x.id });
    h.clock.now = new Date('2026-03-17T17:00:00Z');
    await jobs.runDue();
    const s = await h.outbox('projecteval.session_reminder');
    expect(s).toHaveLength(1);
    expect(s[0].body.target_users.sort()).toEqual([h.x.id, h.y.id].sort());
    expect(await h.outbox('projecteval.deliverable_due_soon')).toHaveLength(1);
  });
});
