/**
 * The daily purge on the scheduler's injected clock: an archived note is kept the retention's 30 days and
 * deleted by the first 03:00 Bogotá run past them, not a day before; notes still listed are never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler } from '@sicora/platform/jobs';
import { expectOk } from '@sicora/platform/testing/http';
import { PURGE_JOB, purgeArchivedNotesJob } from '../src/application/notes.job.ts';
import { createRepositories } from '../src/infrastructure/repositories.ts';
import { createHarness, T0, type Harness } from './harness.ts';

const BASE = '/api/v1/__name__/notes';
let h: Harness;
let jobs: Scheduler;
// The scheduler's own clock, moved by the tests; the app's stays at T0 (Monday 2 March, 09:00 Bogotá).
const clock = { now: T0 };
const notes: { archived?: string; listed?: string } = {};
const stored = async () => (await h.db.query<{ id: string }>('SELECT id FROM __name__.notes ORDER BY title')).map((r) => r.id);

beforeAll(async () => {
  h = await createHarness();
  const headers = await h.as('instructor');
  const create = async (title: string) => expectOk<{ id: string }>(await h.app.inject({ method: 'POST', url: BASE, headers, payload: { title } }), 201).id;
  notes.archived = await create('Archivada');
  notes.listed = await create('En la lista');
  expectOk(await h.app.inject({ method: 'POST', url: `${BASE}/${notes.archived}/archive`, headers }));

  const deps = { repos: createRepositories(h.db.db), timeZone: 'America/Bogota' };
  jobs = createScheduler({ database: h.db, schema: '__name__', now: () => clock.now, timers: false }, [purgeArchivedNotesJob(deps, 30)]);
  await jobs.start();
});

afterAll(async () => {
  await jobs?.stop();
  await h?.close();
});

describe('__name__ archived-notes purge', () => {
  it('when the app starts, then the next run is 03:00 Bogotá the next day', () => {
    expect(jobs.nextRunAt(PURGE_JOB).toISOString()).toBe('2026-03-03T08:00:00.000Z');
  });

  it('when the clock reaches 03:00 Bogotá 31 days after the archive, then the archived note is deleted, not a day before', async () => {
    clock.now = new Date('2026-04-01T08:00:00Z'); // 30 days minus 6 hours after the archive
    await jobs.runDue();
    expect(await stored()).toEqual([notes.archived, notes.listed]);

    clock.now = new Date('2026-04-02T08:00:00Z');
    await jobs.runDue();
    expect(await stored()).toEqual([notes.listed]);
  });
});
