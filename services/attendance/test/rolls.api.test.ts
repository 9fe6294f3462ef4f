/** RL1–RL6 (US-ATT-02, US-ATT-03): opening, marking all-or-nothing, closing and reopening a roll. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { at, createHarness, MONDAY, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());
beforeEach(() => {
  h.clock.now = at(MONDAY, '06:05');
  h.schedules.down = false;
  h.users.down = false;
});

const ROLLS = '/api/v1/attendance/rolls';

async function openRoll(who = h.x, session = h.addSession()) {
  const res = await h.inject('POST', ROLLS, who, { schedule_id: session.schedule_id, session_date: session.date });
  return { session, roll: expectOk(res, 201) };
}

describe('RL2 open a roll (US-ATT-02)', () => {
  it('when X calls RL2 twice at 06:05, then 201 and then 200 with the same roll and the ficha\'s 14 apprentices in last-name order', async () => {
    const { session, roll } = await openRoll();
    expect(roll).toMatchObject({ status: 'OPEN', instructor_id: h.x.id, group_number: '2826503', start_time: '06:00', end_time: '09:00', was_closed: false, can_mark: true, instructor_name: h.x.full_name });
    expect(roll.counts).toEqual({ roster: 14, present: 0, late: 0, absent: 0, justified: 0, excused: 0, unmarked: 14 });
    expect(roll.roster).toHaveLength(14);
    expect(roll.roster[0]).toMatchObject({ full_name: expect.stringContaining('Álvarez'), status: 'UNMARKED', record: null, flags: [], advance_notice: null });
    expect(roll.roster[0].avatar_url).toMatch(/^https:/);
    const again = expectOk(await h.inject('POST', ROLLS, h.x, { schedule_id: session.schedule_id, session_date: session.date }), 200);
    expect(again.id).toBe(roll.id);
    const rows = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.rolls WHERE schedule_id = $1', [session.schedule_id]);
    expect(rows[0].n).toBe(1);
  });

  it('when instructor Y opens S, then 403 NOT_SESSION_INSTRUCTOR; at 05:40 X gets 409 SESSION_NOT_STARTED', async () => {
    const s = h.addSession();
    expectError(await h.inject('POST', ROLLS, h.y, { schedule_id: s.schedule_id, session_date: s.date }), 403, 'NOT_SESSION_INSTRUCTOR');
    h.clock.now = at(MONDAY, '05:40');
    expectError(await h.inject('POST', ROLLS, h.x, { schedule_id: s.schedule_id, session_date: s.date }), 409, 'SESSION_NOT_STARTED');
    h.clock.now = at(MONDAY, '05:45');
    expectOk(await h.inject('POST', ROLLS, h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
  });

  it('when the session is unknown, cancelled, or schedules is down, then 404 SESSION_NOT_FOUND, 422 SESSION_CANCELLED, 503', async () => {
    const cancelled = h.addSession({ status: 'CANCELLED' });
    expectError(await h.inject('POST', ROLLS, h.x, { schedule_id: cancelled.schedule_id, session_date: '2026-03-10' }), 404, 'SESSION_NOT_FOUND');
    expectError(await h.inject('POST', ROLLS, h.x, { schedule_id: cancelled.schedule_id, session_date: MONDAY }), 422, 'SESSION_CANCELLED');
    h.schedules.down = true;
    expectError(await h.inject('POST', ROLLS, h.x, { schedule_id: cancelled.schedule_id, session_date: MONDAY }), 503, 'SERVICE_UNAVAILABLE');
  });

  it('when the next day comes, then X gets 409 EDIT_WINDOW_CLOSED and a coordinador opens it', async () => {
    const s = h.addSession();
    h.clock.now = at('2026-03-10', '00:00');
    expectError(await h.inject('POST', ROLLS, h.x, { schedule_id: s.schedule_id, session_date: s.date }), 409, 'EDIT_WINDOW_CLOSED');
    h.clock.now = new Date(at('2026-03-10', '00:00').getTime() - 1);
    expectOk(await h.inject('POST', ROLLS, h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    const t = h.addSession();
    h.clock.now = at('2026-03-12', '10:00');
    const roll = expectOk(await h.inject('POST', ROLLS, h.coordinador, { schedule_id: t.schedule_id, session_date: t.date }), 201);
    expect(roll).toMatchObject({ opened_by: h.coordinador.id, instructor_id: h.x.id, can_mark: true });
  });
});

describe('RL4 marks (US-ATT-02, R5, R6)', () => {
  it('when RL4 sends ABSENT and LATE 20 with mark_rest=PRESENT on a roster of 14, then created=14 and 12 PRESENT', async () => {
    const { roll } = await openRoll();
    const [a, b] = h.fichaA.apprentices;
    const data = expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: a.id, status: 'ABSENT' }, { student_id: b.id, status: 'LATE', late_minutes: 20 }], mark_rest: 'PRESENT' }));
    expect(data.result).toEqual({ created: 14, updated: 0, unchanged: 0 });
    expect(data.counts).toMatchObject({ present: 12, late: 1, absent: 1, unmarked: 0 });
    const late = data.roster.find((r: { student_id: string }) => r.student_id === b.id);
    expect(late.record).toMatchObject({ status: 'LATE', late_minutes: 20, method: 'MANUAL', check_in_at: null, version: 1 });
    expect(data.first_mark_at).toBe(h.clock.now.toISOString());
    const changes = await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM attendance.record_changes c JOIN attendance.records r ON r.id = c.record_id WHERE r.roll_id = $1 AND c.source = 'MANUAL' AND c.from_status IS NULL", [roll.id]);
    expect(changes[0].n).toBe(14);
    // Changes while the roll is OPEN send nothing (R12).
    expect(await h.outbox()).toHaveLength(0);
    const same = expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: a.id, status: 'ABSENT' }, { student_id: b.id, status: 'PRESENT' }] }));
    expect(same.result).toEqual({ created: 0, updated: 1, unchanged: 1 });
  });

  it('when item 3 is JUSTIFIED, or names a student of another ficha, then 422 MARKS_VALIDATION_FAILED naming index 3 and nothing is stored', async () => {
    const { roll } = await openRoll();
    const ap = h.fichaA.apprentices;
    const base = [0, 1, 2].map((i) => ({ student_id: ap[i].id, status: 'PRESENT' }));
    const err = expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [...base, { student_id: ap[3].id, status: 'JUSTIFIED' }] }), 422, 'MARKS_VALIDATION_FAILED');
    expect(err.details).toEqual({ items: [{ index: 3, student_id: ap[3].id, code: 'STATUS_NOT_SETTABLE', message: expect.any(String) }] });
    const other = h.fichaB.apprentices[0];
    const err2 = expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [...base, { student_id: other.id, status: 'PRESENT' }] }), 422, 'MARKS_VALIDATION_FAILED');
    expect(err2.details).toMatchObject({ items: [{ index: 3, code: 'STUDENT_NOT_IN_GROUP' }] });
    const rows = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.records WHERE roll_id = $1', [roll.id]);
    expect(rows[0].n).toBe(0);
  });

  it('when a mark repeats a student, sets EXCUSED without notes or late_minutes on PRESENT, then each is an item error', async () => {
    const { roll } = await openRoll();
    const [a, b, c] = h.fichaA.apprentices;
    const err = expectError(
      await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: a.id, status: 'PRESENT' }, { student_id: a.id, status: 'ABSENT' }, { student_id: b.id, status: 'EXCUSED' }, { student_id: c.id, status: 'PRESENT', late_minutes: 5 }] }),
      422,
      'MARKS_VALIDATION_FAILED',
    );
    expect((err.details as { items: Array<{ index: number; code: string }> }).items.map((i) => [i.index, i.code])).toEqual([
      [1, 'DUPLICATE_STUDENT'],
      [2, 'VALIDATION_ERROR'],
      [3, 'VALIDATION_ERROR'],
    ]);
    expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, {}), 422, 'VALIDATION_ERROR');
    const ok = expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: b.id, status: 'EXCUSED', notes: 'Cita médica programada' }] }));
    expect(ok.roster.find((r: { student_id: string }) => r.student_id === b.id).record).toMatchObject({ status: 'EXCUSED', notes: 'Cita médica programada' });
  });

  it('when expected_version differs, then the item is VERSION_CONFLICT and nothing is written', async () => {
    const { roll } = await openRoll();
    const a = h.fichaA.apprentices[0];
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: a.id, status: 'PRESENT' }] }));
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: a.id, status: 'LATE', late_minutes: 5, expected_version: 1 }] }));
    const err = expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: a.id, status: 'ABSENT', expected_version: 1 }] }), 422, 'MARKS_VALIDATION_FAILED');
    expect(err.details).toMatchObject({ items: [{ index: 0, code: 'VERSION_CONFLICT' }] });
  });
});

describe('RL5 close and RL6 reopen (US-ATT-03, R7, R9, R12)', () => {
  it('when 10 of 14 are marked and RL5 is called, then 4 ABSENT ROLL_CLOSE records and 4 absence_recorded entries', async () => {
    const { roll } = await openRoll();
    const ap = h.fichaA.apprentices;
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: ap.slice(0, 10).map((p) => ({ student_id: p.id, status: 'PRESENT' })) }));
    h.clock.now = at(MONDAY, '09:05');
    const before = (await h.outbox('attendance.absence_recorded')).length;
    const data = expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    expect(data).toMatchObject({ status: 'CLOSED', close_method: 'MANUAL', closed_by: h.x.id, was_closed: true, result: { absent_marked: 4, excused_marked: 0 } });
    const absent = await h.db.query<{ student_id: string; method: string }>("SELECT student_id::text AS student_id, method::text AS method FROM attendance.records WHERE roll_id = $1 AND status = 'ABSENT'", [roll.id]);
    expect(absent.map((r) => r.method)).toEqual(['ROLL_CLOSE', 'ROLL_CLOSE', 'ROLL_CLOSE', 'ROLL_CLOSE']);
    const events = (await h.outbox('attendance.absence_recorded')).slice(before);
    expect(events).toHaveLength(4);
    expect(events.map((e) => (e.body.target_users as string[])[0]).sort()).toEqual(absent.map((r) => r.student_id).sort());
    expect(events[0].body).toMatchObject({ priority: 'normal', entity_type: 'attendance_record', data: { subject: 'Programación de software', group_number: '2826503', session_date: '09/03/2026', start_time: '06:00', end_time: '09:00', instructor_name: h.x.full_name } });
    expect(events[0].idempotency_key).toMatch(/^attendance:attendance\.absence_recorded:[0-9a-f-]{36}$/);
    // Idempotent: closing again changes nothing.
    const again = expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    expect(again.result).toEqual({ absent_marked: 0, excused_marked: 0 });
    expect((await h.outbox('attendance.absence_recorded')).slice(before)).toHaveLength(4);
  });

  it('when a roll has no record, then RL5 without confirm_all_absent is 409 and with it every apprentice is ABSENT', async () => {
    const { roll } = await openRoll();
    expectError(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}), 409, 'EMPTY_ROLL_CONFIRMATION_REQUIRED');
    expectError(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x), 409, 'EMPTY_ROLL_CONFIRMATION_REQUIRED');
    const data = expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, { confirm_all_absent: true }));
    expect(data.result.absent_marked).toBe(14);
    expect(data.first_mark_at).not.toBeNull();
  });

  it('when a closed roll is reopened, marked with a reason and closed again, then only the new absence is notified', async () => {
    const { roll } = await openRoll();
    const ap = h.fichaA.apprentices;
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: ap.slice(0, 13).map((p) => ({ student_id: p.id, status: 'PRESENT' })) }));
    expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    const first = (await h.outbox('attendance.absence_recorded')).length;
    const reopened = expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/reopen`, h.x));
    expect(reopened).toMatchObject({ status: 'OPEN', was_closed: true, closed_at: null });
    expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/reopen`, h.x));
    // R9: after a close, every manual change needs a reason and is a CORRECTION.
    expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: ap[0].id, status: 'ABSENT' }] }), 422, 'CHANGE_REASON_REQUIRED');
    h.clock.now = at(MONDAY, '06:30');
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: ap[0].id, status: 'ABSENT' }], reason: 'Se retiró antes de iniciar' }));
    const [change] = await h.db.query<{ source: string; reason: string }>("SELECT c.source::text AS source, c.reason FROM attendance.record_changes c JOIN attendance.records r ON r.id = c.record_id WHERE r.roll_id = $1 AND r.student_id = $2 ORDER BY c.at DESC LIMIT 1", [roll.id, ap[0].id]);
    expect(change).toEqual({ source: 'CORRECTION', reason: 'Se retiró antes de iniciar' });
    expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    expect((await h.outbox('attendance.absence_recorded')).length).toBe(first + 1);
  });

  it('when a CLOSED roll gets a mark with a reason, then the change is a CORRECTION and the apprentice is told', async () => {
    const { roll } = await openRoll();
    const ap = h.fichaA.apprentices;
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { mark_rest: 'PRESENT' }));
    expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    const before = (await h.outbox('attendance.record_changed')).length;
    expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: ap[1].id, status: 'LATE', late_minutes: 12 }], reason: 'no' }), 422, 'CHANGE_REASON_REQUIRED');
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: ap[1].id, status: 'LATE', late_minutes: 12 }], reason: 'Llegó con 12 minutos de retraso' }));
    const events = (await h.outbox('attendance.record_changed')).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0].body).toMatchObject({ priority: 'low', target_users: [ap[1].id], data: { from_status_label: 'Asistió', to_status_label: 'Llegó tarde', changed_by_name: h.x.full_name, reason: 'Llegó con 12 minutos de retraso' } });
  });

  it('when an approved advance notice covers the session, then the close writes EXCUSED with its justification', async () => {
    const { session, roll } = await openRoll();
    const [a, b] = h.fichaA.apprentices;
    const [j] = await h.db.query<{ id: string }>(
      "INSERT INTO attendance.justifications (student_id, group_id, kind, type, reason, status, submitted_at) VALUES ($1, $2, 'ADVANCE_NOTICE', 'INSTITUTIONAL', 'Representación del centro', 'APPROVED', now()) RETURNING id::text AS id",
      [a.id, h.fichaA.id],
    );
    await h.db.query("INSERT INTO attendance.justification_items (justification_id, student_id, schedule_id, session_date, subject, start_time, end_time, instructor_id) VALUES ($1, $2, $3, $4, 'x', '06:00', '09:00', $5)", [j.id, a.id, session.schedule_id, session.date, h.x.id]);
    const view = expectOk(await h.inject('GET', `${ROLLS}/${roll.id}`, h.x));
    expect(view.roster.find((r: { student_id: string }) => r.student_id === a.id).advance_notice).toEqual({ justification_id: j.id, status: 'APPROVED' });
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: b.id, status: 'PRESENT' }] }));
    const closed = expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    expect(closed.result).toEqual({ absent_marked: 12, excused_marked: 1 });
    const excused = closed.roster.find((r: { student_id: string }) => r.student_id === a.id).record;
    expect(excused).toMatchObject({ status: 'EXCUSED', method: 'JUSTIFICATION', justification_id: j.id, justification: { id: j.id, status: 'APPROVED' } });
    const [item] = await h.db.query<{ record_id: string; applied: boolean }>('SELECT record_id::text AS record_id, applied_at IS NOT NULL AS applied FROM attendance.justification_items WHERE justification_id = $1', [j.id]);
    expect(item).toEqual({ record_id: excused.id, applied: true });
  });
});

describe('R23 justify_deadline', () => {
  it('when a Friday absence is closed and Monday 23 is San José, then the deadline is Thursday 26 23:59:59 in the roster, RC2, C1 and the notice', async () => {
    h.schedules.holidays = ['2026-03-23'];
    h.clock.now = at('2026-03-20', '06:05');
    const s = h.addSession({ date: '2026-03-20' });
    const roll = expectOk(await h.inject('POST', ROLLS, h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    const [me] = h.fichaA.apprentices;
    expectOk(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { marks: [{ student_id: me.id, status: 'ABSENT' }], mark_rest: 'PRESENT' }));
    const closed = expectOk(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, {}));
    const row = closed.roster.find((r: { student_id: string }) => r.student_id === me.id);
    const shown = '2026-03-27T04:59:59.000Z';
    expect(row.record.justify_deadline).toBe(shown);
    expect(closed.roster.find((r: { student_id: string }) => r.student_id !== me.id).record.justify_deadline).toBeNull();
    const [notice] = (await h.outbox('attendance.absence_recorded')).filter((e) => e.body.entity_id === row.record.id);
    expect(notice.body.data).toMatchObject({ justify_deadline: '26/03/2026', record_id: row.record.id });
    expect(expectOk(await h.inject('GET', `/api/v1/attendance/records/${row.record.id}`, me)).justify_deadline).toBe(shown);
    const classes = expectOk(await h.inject('GET', '/api/v1/attendance/me/classes', me));
    expect(classes.find((c: { schedule_id: string }) => c.schedule_id === s.schedule_id)).toMatchObject({ my_status: 'ABSENT', justify_deadline: shown });
    h.clock.now = at('2026-03-27', '00:00');
    expect(expectOk(await h.inject('GET', `/api/v1/attendance/records/${row.record.id}`, me)).justify_deadline).toBeNull();
    h.schedules.down = true;
    h.clock.now = at('2026-03-26', '10:00');
    expect(expectOk(await h.inject('GET', `/api/v1/attendance/records/${row.record.id}`, me)).justify_deadline).toBeNull();
    h.schedules.holidays = [];
  });
});

describe('RL1 list and RL3 read, scoped (O2)', () => {
  it('when X lists without filters, then only rolls of X\'s sessions; Y cannot read them (404) nor filter ficha A (403)', async () => {
    const { roll } = await openRoll();
    const ySession = h.addSession({ ficha: h.fichaB, instructor: h.y, start: '06:00', end: '09:00' });
    const yRoll = expectOk(await h.inject('POST', ROLLS, h.y, { schedule_id: ySession.schedule_id, session_date: MONDAY }), 201);
    const mine = expectOk(await h.inject('GET', `${ROLLS}?date=${MONDAY}&page_size=100`, h.x));
    expect(mine.every((r: { instructor_id: string }) => r.instructor_id === h.x.id)).toBe(true);
    expect(mine.map((r: { id: string }) => r.id)).toContain(roll.id);
    expect(mine[0].counts).toMatchObject({ roster: null, unmarked: null });
    expectError(await h.inject('GET', `${ROLLS}/${yRoll.id}`, h.x), 404, 'ROLL_NOT_FOUND');
    expectError(await h.inject('GET', `${ROLLS}?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${ROLLS}?instructor_id=${h.y.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('PUT', `${ROLLS}/${yRoll.id}/marks`, h.x, { mark_rest: 'PRESENT' }), 404, 'ROLL_NOT_FOUND');
    const all = expectOk(await h.inject('GET', `${ROLLS}?start_date=${MONDAY}&end_date=${MONDAY}&sort=start_time&page_size=100`, h.coordinador));
    expect(all.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([roll.id, yRoll.id]));
    expectOk(await h.inject('GET', `${ROLLS}?group_id=${h.fichaB.id}&status=OPEN`, h.admin));
    expectError(await h.inject('GET', `${ROLLS}?start_date=2026-01-01&end_date=2026-03-09`, h.admin), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${ROLLS}?start_date=2026-03-09&end_date=2026-03-01`, h.admin), 422, 'VALIDATION_ERROR');
  });

  it('when an instructor of the ficha (assigned today) reads another instructor\'s roll of it, then 200 but may not write it (403)', async () => {
    const s = h.addSession({ instructor: h.y, start: '09:00', end: '12:00' });
    h.clock.now = at(MONDAY, '09:00');
    const roll = expectOk(await h.inject('POST', ROLLS, h.y, { schedule_id: s.schedule_id, session_date: MONDAY }), 201);
    const view = expectOk(await h.inject('GET', `${ROLLS}/${roll.id}`, h.x));
    expect(view.can_mark).toBe(false);
    expectError(await h.inject('PUT', `${ROLLS}/${roll.id}/marks`, h.x, { mark_rest: 'PRESENT' }), 403, 'NOT_SESSION_INSTRUCTOR');
    expectError(await h.inject('POST', `${ROLLS}/${roll.id}/close`, h.x, { confirm_all_absent: true }), 403, 'NOT_SESSION_INSTRUCTOR');
  });

  it('when users is down, then RL3 answers with null names and meta.warnings USERS_UNAVAILABLE', async () => {
    const { roll } = await openRoll();
    h.users.down = true;
    const res = await h.inject('GET', `${ROLLS}/${roll.id}`, h.x);
    const data = expectOk(res);
    expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
    expect(data.instructor_name).toBeNull();
    expect(data.roster[0].avatar_url).toBeNull();
  });
});
