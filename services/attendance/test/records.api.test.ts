/** RC1–RC5 (US-ATT-04, US-ATT-16 record parts): edits, window, audit trail, deletes and scope. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Person } from '../src/application/ports.ts';
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

const RECORDS = '/api/v1/attendance/records';

/** A roll of a new session of ficha A by X, marked (first apprentice ABSENT, the rest PRESENT), optionally closed. */
async function takenRoll(close = true, instructor: Person = h.x) {
  const s = h.addSession({ instructor });
  const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', instructor, { schedule_id: s.schedule_id, session_date: s.date }), 201);
  const [first] = h.fichaA.apprentices;
  const marked = expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, instructor, { marks: [{ student_id: first.id, status: 'ABSENT' }], mark_rest: 'PRESENT' }));
  // Each step a minute later, so change rows order by time.
  h.clock.now = at(MONDAY, '06:06');
  if (close) expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, instructor, {}));
  h.clock.now = at(MONDAY, '06:07');
  const record = marked.roster.find((r: { student_id: string }) => r.student_id === first.id).record;
  return { session: s, roll, record, student: first };
}

describe('RC3 edits (US-ATT-04, R5, R9, R10, R12)', () => {
  it('when X changes ABSENT → LATE in a CLOSED roll without reason, then 422; with one, 200, version + 1, one CORRECTION row and one record_changed entry', async () => {
    const { record, student } = await takenRoll();
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'LATE', late_minutes: 25 }), 422, 'CHANGE_REASON_REQUIRED');
    const before = (await h.outbox('attendance.record_changed')).length;
    const data = expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'LATE', late_minutes: 25, reason: 'Llegó al terminar el primer bloque' }));
    expect(data).toMatchObject({ status: 'LATE', late_minutes: 25, version: 2, method: 'MANUAL', updated_by: h.x.id, student_name: student.full_name });
    const rows = await h.db.query<{ source: string; from_status: string; to_status: string }>('SELECT source::text AS source, from_status::text AS from_status, to_status::text AS to_status FROM attendance.record_changes WHERE record_id = $1 ORDER BY at, id', [record.id]);
    expect(rows).toEqual([
      { source: 'MANUAL', from_status: null, to_status: 'ABSENT' },
      { source: 'CORRECTION', from_status: 'ABSENT', to_status: 'LATE' },
    ]);
    const events = (await h.outbox('attendance.record_changed')).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0].body).toMatchObject({ target_users: [student.id], entity_id: record.id, data: { from_status_label: 'Inasistencia', to_status_label: 'Llegó tarde' } });
    // Back to ABSENT in a closed roll: the absence notice, not record_changed (R12).
    const abs = (await h.outbox('attendance.absence_recorded')).length;
    h.clock.now = at(MONDAY, '06:08');
    expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'ABSENT', reason: 'Error al registrar' }));
    expect((await h.outbox('attendance.absence_recorded')).length).toBe(abs + 1);
  });

  it('when the next day comes, then X gets 409 EDIT_WINDOW_CLOSED and a coordinador with a reason gets 200', async () => {
    const { record } = await takenRoll();
    h.clock.now = at('2026-03-10', '07:00');
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'PRESENT', reason: 'Corrección tardía' }), 409, 'EDIT_WINDOW_CLOSED');
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.coordinador, { status: 'PRESENT' }), 422, 'CHANGE_REASON_REQUIRED');
    const data = expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.coordinador, { status: 'PRESENT', reason: 'Soporte de asistencia presentado' }));
    expect(data).toMatchObject({ status: 'PRESENT', updated_by: h.coordinador.id });
  });

  it('when expected_version=1 is sent for a record at version 2, then 409 VERSION_CONFLICT carrying the current record', async () => {
    const { record } = await takenRoll(false);
    expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'LATE', late_minutes: 10, expected_version: 1 }));
    const err = expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'PRESENT', expected_version: 1 }), 409, 'VERSION_CONFLICT');
    expect(err.details).toMatchObject({ current: { id: record.id, version: 2, status: 'LATE' } });
  });

  it('when JUSTIFIED is set, EXCUSED lacks notes or late_minutes comes without LATE, then 422 and nothing changes; a note-only edit keeps the status', async () => {
    const { record } = await takenRoll(false);
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'JUSTIFIED' }), 422, 'STATUS_NOT_SETTABLE');
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'EXCUSED', notes: 'no' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { late_minutes: 5 }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, {}), 422, 'VALIDATION_ERROR');
    const noted = expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { notes: 'Avisó por el grupo de la ficha' }));
    expect(noted).toMatchObject({ status: 'ABSENT', method: 'MANUAL', version: 2, notes: 'Avisó por el grupo de la ficha' });
    const same = expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'ABSENT' }));
    expect(same.version).toBe(2);
  });

  it('when a justification covers the record, then RC3 and RC4 answer RECORD_JUSTIFIED or RECORD_HAS_PENDING_JUSTIFICATION', async () => {
    const { session, record, student } = await takenRoll();
    const [j] = await h.db.query<{ id: string }>("INSERT INTO attendance.justifications (student_id, group_id, kind, type, reason, status, submitted_at) VALUES ($1, $2, 'AFTER_ABSENCE', 'MEDICAL', 'Incapacidad médica', 'PENDING', now()) RETURNING id::text AS id", [student.id, h.fichaA.id]);
    await h.db.query("INSERT INTO attendance.justification_items (justification_id, student_id, schedule_id, session_date, subject, start_time, end_time, instructor_id, record_id) VALUES ($1, $2, $3, $4, 'x', '06:00', '09:00', $5, $6)", [j.id, student.id, session.schedule_id, session.date, h.x.id, record.id]);
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'PRESENT', reason: 'Vino al final' }), 409, 'RECORD_HAS_PENDING_JUSTIFICATION');
    expectError(await h.inject('DELETE', `${RECORDS}/${record.id}?reason=Registro%20duplicado`, h.admin), 409, 'RECORD_HAS_PENDING_JUSTIFICATION');
    const read = expectOk(await h.inject('GET', `${RECORDS}/${record.id}`, h.x));
    expect(read.justification).toEqual({ id: j.id, status: 'PENDING' });
    await h.db.query("UPDATE attendance.justifications SET status = 'APPROVED' WHERE id = $1", [j.id]);
    await h.db.query("UPDATE attendance.records SET status = 'JUSTIFIED', method = 'JUSTIFICATION', justification_id = $2 WHERE id = $1", [record.id, j.id]);
    expectError(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.coordinador, { status: 'PRESENT', reason: 'Vino al final' }), 409, 'RECORD_JUSTIFIED');
    expectError(await h.inject('DELETE', `${RECORDS}/${record.id}?reason=Registro%20duplicado`, h.coordinador), 409, 'RECORD_JUSTIFIED');
  });
});

describe('RC4 delete and RC5 history', () => {
  it('when a coordinador deletes with a reason, then 204, the record disappears and a DELETE row is kept; without reason 422', async () => {
    const { record, roll } = await takenRoll();
    expectError(await h.inject('DELETE', `${RECORDS}/${record.id}`, h.coordinador), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('DELETE', `${RECORDS}/${record.id}?reason=Registro%20duplicado`, h.x), 403, 'INSUFFICIENT_PERMISSIONS');
    const res = await h.inject('DELETE', `${RECORDS}/${record.id}?reason=Registro%20duplicado`, h.coordinador);
    expect(res.statusCode).toBe(204);
    expectError(await h.inject('GET', `${RECORDS}/${record.id}`, h.admin), 404, 'RECORD_NOT_FOUND');
    const [row] = await h.db.query<{ deleted: boolean; reason: string }>('SELECT deleted_at IS NOT NULL AS deleted, delete_reason AS reason FROM attendance.records WHERE id = $1', [record.id]);
    expect(row).toEqual({ deleted: true, reason: 'Registro duplicado' });
    const rollView = expectOk(await h.inject('GET', `/api/v1/attendance/rolls/${roll.id}`, h.admin));
    expect(rollView.counts).toMatchObject({ absent: 0, present: 13, unmarked: 1 });
  });

  it('when the apprentice owner reads RC5, then the change rows oldest first with actor names; another apprentice gets 404', async () => {
    const { record, student } = await takenRoll();
    expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { status: 'LATE', late_minutes: 15, reason: 'Llegó tarde, no ausente' }));
    const changes = expectOk(await h.inject('GET', `${RECORDS}/${record.id}/changes`, student));
    expect(changes.map((c: { source: string }) => c.source)).toEqual(['MANUAL', 'CORRECTION']);
    expect(changes[1]).toMatchObject({ actor_name: h.x.full_name, actor_role: 'instructor', from_status: 'ABSENT', to_status: 'LATE', to_late_minutes: 15, reason: 'Llegó tarde, no ausente' });
    expectError(await h.inject('GET', `${RECORDS}/${record.id}/changes`, h.fichaA.apprentices[1]), 404, 'RECORD_NOT_FOUND');
    expectError(await h.inject('GET', `${RECORDS}/${record.id}/changes`, 'service'), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('RC1/RC2 scope (US-ATT-16, O1, O2)', () => {
  it('when an apprentice names another student in RC1, then 403 OUT_OF_SCOPE; RC2 on another\'s record → 404; their own list holds only their records', async () => {
    const { record, student } = await takenRoll();
    const other = h.fichaA.apprentices[1];
    expectError(await h.inject('GET', `${RECORDS}?student_id=${student.id}`, other), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${RECORDS}?apprentice_id=${student.id}`, other), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${RECORDS}?group_id=${h.fichaB.id}`, other), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${RECORDS}/${record.id}`, other), 404, 'RECORD_NOT_FOUND');
    const own = expectOk(await h.inject('GET', `${RECORDS}?page_size=100`, student));
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r: { student_id: string }) => r.student_id === student.id)).toBe(true);
    expectOk(await h.inject('GET', `${RECORDS}?student_id=${student.id}&status=ABSENT,LATE`, student));
    const one = expectOk(await h.inject('GET', `${RECORDS}/${record.id}`, student));
    expect(one).toMatchObject({ id: record.id, subject: 'Programación de software', group_number: '2826503', start_time: '06:00', justification: null });
  });

  it('when an instructor filters a ficha not assigned to them, then 403; without filters, only records of their sessions', async () => {
    await takenRoll();
    const b = h.addSession({ ficha: h.fichaB, instructor: h.y });
    const yRoll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.y, { schedule_id: b.schedule_id, session_date: b.date }), 201);
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${yRoll.id}/marks`, h.y, { mark_rest: 'PRESENT' }));
    expectError(await h.inject('GET', `${RECORDS}?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${RECORDS}?student_id=${h.fichaB.apprentices[0].id}`, h.x), 403, 'OUT_OF_SCOPE');
    const mine = expectOk(await h.inject('GET', `${RECORDS}?page_size=100`, h.x));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r: { instructor_id: string }) => r.instructor_id === h.x.id)).toBe(true);
    const assigned = expectOk(await h.inject('GET', `${RECORDS}?group_id=${h.fichaA.id}&page_size=5&sort=-updated_at`, h.x));
    expect(assigned).toHaveLength(5);
    expectOk(await h.inject('GET', `${RECORDS}?student_id=${h.fichaA.apprentices[2].id}`, h.x));
    const yRecord = (await h.db.query<{ id: string }>('SELECT id::text AS id FROM attendance.records WHERE roll_id = $1 LIMIT 1', [yRoll.id]))[0];
    expectError(await h.inject('GET', `${RECORDS}/${yRecord.id}`, h.x), 404, 'RECORD_NOT_FOUND');
    expectError(await h.inject('PATCH', `${RECORDS}/${yRecord.id}`, h.x, { status: 'ABSENT' }), 404, 'RECORD_NOT_FOUND');
  });

  it('when a service or coordinador lists, then every record in the period; a bad period or status list is 422', async () => {
    await takenRoll();
    const res = await h.inject('GET', `${RECORDS}?start_date=${MONDAY}&end_date=${MONDAY}&status=ABSENT&flagged=false`, 'service');
    expect(expectOk(res).every((r: { status: string }) => r.status === 'ABSENT')).toBe(true);
    expect(res.json().meta.pagination.total).toBeGreaterThan(0);
    expectOk(await h.inject('GET', `${RECORDS}?method=ROLL_CLOSE&sort=status`, h.coordinador));
    expectError(await h.inject('GET', `${RECORDS}?start_date=2025-01-01&end_date=2026-03-09`, h.admin), 422, 'RANGE_TOO_LONG');
    expectError(await h.inject('GET', `${RECORDS}?start_date=2026-03-09&end_date=2026-03-01`, h.admin), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${RECORDS}?status=GONE`, h.admin), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${RECORDS}?sort=name`, h.admin), 422, 'VALIDATION_ERROR');
  });
});

describe('RC6 export (§6.2)', () => {
  it('when a coordinador exports a day, then a CSV with BOM, CRLF, the §6.2 columns, local offsets and formula-safe notes', async () => {
    const { record, roll } = await takenRoll(false);
    expectOk(await h.inject('PATCH', `${RECORDS}/${record.id}`, h.x, { notes: '=HYPERLINK("x")' }));
    const res = await h.inject('GET', `${RECORDS}/export?start_date=${MONDAY}&end_date=${MONDAY}&schedule_id=${roll.schedule_id}`, h.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="asistencia_registros_export_20260309_20260309.csv"');
    expect(res.body.startsWith('\uFEFFrecord_id,session_date,day_name,start_time,end_time,group_number,subject,instructor_name,student_document,student_name,status,check_in_at,late_minutes,method,justification_status,flags,notes,updated_at\r\n')).toBe(true);
    const lines = res.body.trim().split('\r\n');
    expect(lines).toHaveLength(15);
    const row = lines.find((l) => l.startsWith(record.id))!;
    expect(row).toContain(`,2026-03-09,Lunes,06:00,09:00,2826503,Programación de software,${h.x.full_name},${h.fichaA.apprentices[0].document_number},`);
    expect(row).toContain(`"'=HYPERLINK(""x"")"`);
    expect(row).toMatch(/,2026-03-09T06:07:00-05:00$/);
  });

  it('when more than one batch matches, then every row comes once in date order', async () => {
    const { roll } = await takenRoll(false);
    await h.db.query(
      `INSERT INTO attendance.records (roll_id, student_id, schedule_id, session_date, group_id, instructor_id, status, method)
       SELECT $1, gen_random_uuid(), $2, $3, $4, $5, 'PRESENT', 'MANUAL' FROM generate_series(1, 600)`,
      [roll.id, roll.schedule_id, MONDAY, h.fichaA.id, h.x.id],
    );
    const res = await h.inject('GET', `${RECORDS}/export?schedule_id=${roll.schedule_id}&start_date=${MONDAY}&end_date=${MONDAY}`, h.admin);
    const ids = res.body.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]);
    expect(ids).toHaveLength(614);
    expect(new Set(ids).size).toBe(614);
  });

  it('when users is down, the caller is out of scope or an apprentice, then 503, 403 OUT_OF_SCOPE, 403', async () => {
    await takenRoll(false);
    expectError(await h.inject('GET', `${RECORDS}/export?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${RECORDS}/export`, h.fichaA.apprentices[0]), 403, 'INSUFFICIENT_PERMISSIONS');
    const mine = await h.inject('GET', `${RECORDS}/export`, h.x);
    expect(mine.statusCode).toBe(200);
    h.users.down = true;
    expectError(await h.inject('GET', `${RECORDS}/export`, h.coordinador), 503, 'SERVICE_UNAVAILABLE');
  });
});
