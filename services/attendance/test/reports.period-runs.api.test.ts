/**
 * RP4's longest ABSENT run (R40 `consecutive_absent`) and its sessions taken, through HTTP: runs ordered by
 * (session_date, start_time) per student within each ficha, the totals' run over each student's records
 * whatever the ficha (an apprentice transferred mid-period), deleted records (R11) neither counting nor
 * making a roll "taken".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk } from '@sicora/platform/testing/http';
import { createHarness, type Harness } from './harness.ts';
import { addRecord, takeRoll } from './reports.fixtures.ts';

let h: Harness;
const URL = '/api/v1/attendance/reports/period?start_date=2026-03-01&end_date=2026-03-15';

beforeAll(async () => {
  h = await createHarness('2026-03-20T15:00:00Z');
  const B = { ficha: h.fichaB, instructor: h.y };
  // Ficha B (b0 b1 b2 b3), in time order: b0 A A P P A (run 2), b1 P A P A A (2 here), b2 A P A A A (3), b3 all P.
  // The 13:00 session of the 3rd is written first: only (date, start_time) order gives b2 its run of 3.
  const afternoon = h.addSession({ ...B, date: '2026-03-03', start: '13:00', end: '16:00' });
  await takeRoll(h, afternoon, 'PPAP');
  await takeRoll(h, h.addSession({ ...B, date: '2026-03-02' }), 'APAP');
  await takeRoll(h, h.addSession({ ...B, date: '2026-03-03' }), 'AAPP');
  await takeRoll(h, h.addSession({ ...B, date: '2026-03-04' }), 'PAAP');
  await takeRoll(h, h.addSession({ ...B, date: '2026-03-05' }), 'AAAP');
  // b1 moves to ficha A: absent twice more there (run 2 in A, 4 over all their records); a0 P then A.
  const b1 = h.fichaB.apprentices[1];
  for (const [date, a0] of [['2026-03-06', 'P'], ['2026-03-09', 'A']] as const) {
    const s = h.addSession({ date });
    const roll = await takeRoll(h, s, a0);
    await addRecord(h, roll, s, b1, 'ABSENT');
  }
  // A roll whose only record was deleted: not taken, and the deleted ABSENT does not lengthen b1's run.
  const s = h.addSession({ date: '2026-03-10' });
  const roll = await takeRoll(h, s, '');
  await addRecord(h, roll, s, b1, 'ABSENT');
  await h.db.query(`UPDATE attendance.records SET deleted_at = now(), delete_reason = 'Registro duplicado por error' WHERE roll_id = $1`, [roll]);
});

afterAll(async () => {
  await h?.close();
});

describe('RP4 longest runs and sessions taken', () => {
  it('given a transfer mid-period, then each ficha counts its own records and the totals run crosses the change', async () => {
    const data = expectOk(await h.inject('GET', URL, h.coordinador)) as { totals: Record<string, unknown>; by_group: Array<Record<string, unknown>> };
    expect(data.totals).toMatchObject({ total_records: 24, total_absent: 13, total_present: 11, consecutive_absent: 4 });
    const [a, b] = [h.fichaA.id, h.fichaB.id].map((id) => data.by_group.find((g) => g.group_id === id));
    expect(a).toMatchObject({ students: 2, total_scheduled: 4, total_absent: 3, attendance_pct: 25, consecutive_absent: 2, sessions_scheduled: 3, sessions_taken: 2, compliance_pct: 66.7 });
    expect(b).toMatchObject({ students: 4, total_scheduled: 20, total_absent: 10, attendance_pct: 50, consecutive_absent: 3, sessions_scheduled: 5, sessions_taken: 5, compliance_pct: 100 });
  });

  it('given one ficha in scope, then its figures alone (the transferred apprentice counted by their records there)', async () => {
    const data = expectOk(await h.inject('GET', `${URL}&group_id=${h.fichaA.id}`, h.coordinador)) as { totals: Record<string, unknown>; by_group: unknown[] };
    expect(data.totals).toMatchObject({ total_records: 4, total_absent: 3, consecutive_absent: 2 });
    expect(data.by_group).toHaveLength(1);
  });
});
