import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, setupBasics, type Harness } from './harness.ts';

let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let admin: { authorization: string };
const sourceIds: string[] = [];
const count = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schedules.schedule_entries'))[0].n;

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  admin = await h.as('admin');
  const ins = [h.users.add({ role: 'instructor' }), h.users.add({ role: 'instructor' })];
  const days = ['LUN', 'MAR', 'MIE', 'JUE', 'VIE'];
  for (const [gi, g] of [b.groupA, b.groupB].entries()) {
    for (const d of days) {
      for (const k of [1, 2]) {
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { group_id: g.id, instructor_id: ins[gi].id, venue_id: gi === 0 ? b.venue205.id : b.venue412.id, subject: `Tema ${d}${k}`, blocks: `M${d}${k}`, start_date: '2026-03-02', end_date: '2026-05-24' } });
        sourceIds.push(expectOk(res, 201).id);
      }
    }
  }
});
afterAll(async () => h.close());

describe('US-SCH-20 copy a trimester', () => {
  const body = { source_from: '2026-03-02', source_to: '2026-05-24', target_start_date: '2026-06-01', target_end_date: '2026-08-23' };

  it('when S10 targets the next trimester with dry_run, then 200 with 20 items ok and nothing stored; without dry run 201 created=20', async () => {
    const dry = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/copy', headers: admin, payload: { ...body, dry_run: true } }), 200);
    expect(dry.items).toHaveLength(20);
    expect(dry.items.every((i: { status: string }) => i.status === 'ok')).toBe(true);
    expect(await count()).toBe(20);
    const done = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/copy', headers: admin, payload: body }), 201);
    expect(done.created).toBe(20);
    expect(await count()).toBe(40);
    const [row] = await h.db.query<{ start_date: string; end_date: string }>('SELECT start_date::text, end_date::text FROM schedules.schedule_entries WHERE id = $1', [done.items[0].new_id]);
    expect(row).toEqual({ start_date: '2026-06-01', end_date: '2026-08-23' });
  });

  it('when a copied item would clash with an entry already in the target window, then 422 COPY_VALIDATION_FAILED naming that source and nothing stored', async () => {
    const before = await count();
    const err = expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/copy', headers: admin, payload: { ...body, group_ids: [b.groupA.id] } }), 422, 'COPY_VALIDATION_FAILED');
    const failed = (err.details as { items: Array<{ source_id: string; status: string; reason: { code: string } }> }).items.filter((i) => i.status === 'failed');
    expect(failed).toHaveLength(10);
    expect(failed[0].reason.code).toBe('SCHEDULE_CONFLICT');
    expect(sourceIds).toContain(failed[0].source_id);
    expect(await count()).toBe(before);
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/copy', headers: await h.as('administrativo'), payload: body }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});
