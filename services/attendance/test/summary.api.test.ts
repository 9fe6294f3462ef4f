/** S1 (US-ATT-16 summary parts, US-ATT-17): figures of R40, scoped by O1/O2, for the ai service too. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Person } from '../src/application/ports.ts';
import { addDays } from '../src/domain/time.ts';
import { at, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const URL = '/api/v1/attendance/summary';
const LETTER: Record<string, string> = { P: 'PRESENT', T: 'LATE', A: 'ABSENT', J: 'JUSTIFIED', E: 'EXCUSED' };

/** One CLOSED roll and record per day from `from`, the pattern's letters oldest first (T = LATE 10/20 min). */
async function seed(student: Person, groupId: string, pattern: string, from: string, instructor: Person) {
  let late = 0;
  for (const [i, letter] of [...pattern].entries()) {
    const date = addDays(from, i);
    const scheduleId = randomUUID();
    const [roll] = await h.db.query<{ id: string }>(
      `INSERT INTO attendance.rolls (schedule_id, session_date, group_id, group_number, program_id, campus_id, venue_id, subject, start_time, end_time, start_at, end_at, instructor_id, status, opened_by, opened_at, was_closed)
       VALUES ($1, $2, $3, '2826503', $4, $4, $4, 'Programación', '06:00', '09:00', $5, $6, $7, 'CLOSED', $7, $5, true) RETURNING id::text AS id`,
      [scheduleId, date, groupId, randomUUID(), at(date, '06:00'), at(date, '09:00'), instructor.id],
    );
    const status = LETTER[letter];
    const minutes = status === 'LATE' ? (late++ % 2 === 0 ? 10 : 20) : null;
    await h.db.query(
      `INSERT INTO attendance.records (roll_id, student_id, schedule_id, session_date, group_id, instructor_id, status, method, late_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'MANUAL', $8)`,
      [roll.id, student.id, scheduleId, date, groupId, instructor.id, status, minutes],
    );
  }
}

describe('S1 summary', () => {
  it('when an apprentice with 14 P, 2 T, 3 A, 1 J, 1 E calls S1, then total_scheduled=20, attendance 85.0, punctuality 87.5, absence 15.0', async () => {
    const me = h.fichaA.apprentices[0];
    await seed(me, h.fichaA.id, 'PPPPPPPTAAPPPPPPTAJEP', '2026-02-10', h.x);
    const data = expectOk(await h.inject('GET', URL, me));
    expect(data).toMatchObject({
      scope: { student_id: me.id, group_id: null },
      start_date: '2026-02-08',
      end_date: '2026-03-09',
      total_records: 21,
      total_scheduled: 20,
      total_present: 14,
      total_late: 2,
      total_absent: 3,
      total_justified: 1,
      total_excused: 1,
      attendance_pct: 85,
      absence_pct: 15,
      justified_pct: 5,
      punctuality_pct: 87.5,
      average_lateness_minutes: 15,
      consecutive_absent: 2,
      current_consecutive_absent: 0,
      open_alerts: [],
      pending_justifications: 0,
    });
  });

  it('when an apprentice names another student or a ficha, then 403 OUT_OF_SCOPE', async () => {
    const me = h.fichaA.apprentices[1];
    expectError(await h.inject('GET', `${URL}?student_id=${h.fichaA.apprentices[0].id}`, me), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${URL}?group_id=${h.fichaA.id}`, me), 403, 'OUT_OF_SCOPE');
    expectOk(await h.inject('GET', `${URL}?student_id=${me.id}`, me));
  });

  it('when the ai service reads an apprentice over 28 days with runs A A P A A A, then consecutive_absent=3 and current=3', async () => {
    const b = h.fichaA.apprentices[2];
    await seed(b, h.fichaA.id, 'AAPAAA', '2026-03-01', h.x);
    const data = expectOk(await h.inject('GET', `${URL}?student_id=${b.id}&start_date=2026-02-10&end_date=2026-03-09`, 'service'));
    expect(data).toMatchObject({ total_scheduled: 6, total_present: 1, total_late: 0, total_absent: 5, total_justified: 0, consecutive_absent: 3, current_consecutive_absent: 3 });
    expectError(await h.inject('GET', `${URL}?student_id=${randomUUID()}`, 'service'), 404, 'STUDENT_NOT_FOUND');
    expectError(await h.inject('GET', `${URL}?student_id=${h.x.id}`, 'service'), 404, 'STUDENT_NOT_FOUND');
    h.users.down = true;
    const res = await h.inject('GET', `${URL}?apprentice_id=${b.id}`, 'service');
    expect(expectOk(res).total_absent).toBe(5);
    expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
    h.users.down = false;
  });

  it('when an instructor asks for a ficha not assigned to them, then 403; without filters, their own sessions', async () => {
    expectError(await h.inject('GET', `${URL}?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${URL}?student_id=${h.fichaB.apprentices[0].id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${URL}?instructor_id=${h.y.id}`, h.x), 403, 'OUT_OF_SCOPE');
    const mine = expectOk(await h.inject('GET', URL, h.x));
    expect(mine.scope.instructor_id).toBe(h.x.id);
    expect(mine.total_records).toBe(27);
    expect(mine.top_absent_students.map((s: { student_id: string }) => s.student_id)).toEqual([h.fichaA.apprentices[2].id, h.fichaA.apprentices[0].id]);
    expect(mine.top_absent_students[0]).toMatchObject({ total_absent: 5, full_name: h.fichaA.apprentices[2].full_name });
    const ficha = expectOk(await h.inject('GET', `${URL}?group_id=${h.fichaA.id}`, h.x));
    expect(ficha.consecutive_absent).toBe(3);
    expectOk(await h.inject('GET', `${URL}?student_id=${h.fichaA.apprentices[0].id}`, h.x));
  });

  it('when a coordinador reads the centre or mixes student and ficha, then figures or 422; a period over 366 days → RANGE_TOO_LONG', async () => {
    const all = expectOk(await h.inject('GET', `${URL}?start_date=2026-01-01`, h.coordinador));
    expect(all).toMatchObject({ start_date: '2026-01-01', end_date: '2026-01-30', total_records: 0, attendance_pct: null });
    expectError(await h.inject('GET', `${URL}?student_id=${h.fichaA.apprentices[0].id}&group_id=${h.fichaA.id}`, h.admin), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${URL}?start_date=2025-01-01&end_date=2026-03-09`, h.admin), 422, 'RANGE_TOO_LONG');
    expectError(await h.inject('GET', `${URL}?start_date=2026-03-09&end_date=2026-03-01`, h.admin), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', URL, 'administrativo'), 403, 'INSUFFICIENT_PERMISSIONS');
    const svc = expectOk(await h.inject('GET', URL, 'service'));
    expect(svc.top_absent_students).toBeUndefined();
  });
});
