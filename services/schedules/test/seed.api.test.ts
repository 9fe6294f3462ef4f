import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { seedSchedulesDemo } from '../src/seed/demo.seed.ts';
import { createHarness, type Harness } from './harness.ts';

// Seed on Wednesday 2026-03-11 (Bogotá): M = 2026-03-09.
let h: Harness;
beforeAll(async () => {
  h = await createHarness('2026-03-11T15:00:00Z');
  await seedSchedulesDemo(h.db, { now: () => h.clock.now });
});
afterAll(async () => h.close());

describe('demo seed', () => {
  it('when the demo is seeded twice, then the §11 rows exist once with their fixed ids', async () => {
    await seedSchedulesDemo(h.db, { now: () => h.clock.now });
    const count = async (t: string) => (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schedules.${t}`))[0].n;
    expect([await count('campuses'), await count('venues'), await count('programs'), await count('groups'), await count('group_assignments'), await count('schedule_entries'), await count('session_exceptions')]).toEqual([2, 8, 7, 2, 2, 20, 1]);
    const [g] = await h.db.query<{ number: string; start_date: string; end_date: string }>("SELECT number, start_date::text, end_date::text FROM schedules.groups WHERE id = '5eed0005-0000-4000-8000-000000000001'");
    expect(g).toEqual({ number: '2826503', start_date: '2025-09-08', end_date: '2027-09-06' });
    expect((await h.db.query("SELECT 1 FROM schedules.seed_runs WHERE name = 'schedules-demo'")).length).toBe(1);
  });

  it('when the seeded week is read, then each ficha has 29 hours a week without conflicts and the Wednesday exception moves entry 05 to 509', async () => {
    const admin = await h.as('admin');
    const sessions = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/sessions?from=2026-03-09&to=2026-03-15', headers: admin }));
    const hours = (n: string) => sessions.filter((s: { group: { number: string } }) => s.group.number === n).reduce((a: number, s: { blocks: string[] }) => a + s.blocks.length, 0);
    expect([hours('2826503'), hours('2901817')]).toEqual([29, 29]);
    const changed = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/5eed0006-0000-4000-8000-000000000005/sessions/2026-03-18', headers: admin }));
    expect(changed).toMatchObject({ is_changed: true, venue: { code: '509' } });
    const check = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/check-conflicts', headers: admin, payload: { group_id: '5eed0005-0000-4000-8000-000000000001', instructor_id: '5eed0001-0000-4000-8000-000000000012', venue_id: '5eed0003-0000-4000-8000-000000000002', subject: 'Construcción de software: backend', blocks: 'MLUN1-MLUN3', start_date: '2026-02-23', end_date: '2026-05-17', exclude_schedule_id: '5eed0006-0000-4000-8000-000000000001' } }));
    expect(check.has_conflicts).toBe(false);
  });
});
