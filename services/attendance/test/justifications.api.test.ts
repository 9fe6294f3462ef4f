/** J1–J5, J9 (US-ATT-09, US-ATT-11, US-ATT-12; R22–R27) and the permission rows of J1–J9, through HTTP. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { at, createHarness, MONDAY, type Harness } from './harness.ts';
import { countRows, file, J, recordOf, submit, takenSession } from './justifications.fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());
beforeEach(() => {
  h.clock.now = at('2026-03-12', '10:00');
  h.schedules.down = false;
  h.users.down = false;
  h.schedules.holidays = [];
});

const THURSDAY = '2026-03-12';
const WEDNESDAY = '2026-03-11';
const student = (i: number) => h.fichaA.apprentices[i];

describe('J1 after an absence (US-ATT-09, R22, R23)', () => {
  it('given an ABSENT record on Monday, when J1 is sent Thursday 10:00 with one 300 KB PDF, then 201 PENDING and one justification_submitted entry for X', async () => {
    const a = student(0);
    const { session } = await takenSession(h, { absent: [a] });
    const before = (await h.outbox('attendance.justification_submitted')).length;
    const data = expectOk(await submit(h, a, { sessions: [session] }), 201);
    const record = await recordOf(h, a.id, session);
    expect(data).toMatchObject({
      student_id: a.id,
      group_id: h.fichaA.id,
      kind: 'AFTER_ABSENCE',
      type: 'MEDICAL',
      status: 'PENDING',
      reason: 'Incapacidad médica por gripa fuerte',
      deadline_at: new Date('2026-03-13T04:59:59.000Z').toISOString(),
      student_name: a.full_name,
      group_number: '2826503',
      overdue: false,
      reviewed_by: null,
    });
    expect(data.items).toEqual([expect.objectContaining({ schedule_id: session.schedule_id, session_date: MONDAY, instructor_id: h.x.id, instructor_name: h.x.full_name, record_id: record.id, record_status: 'ABSENT', applied: false })]);
    expect(data.files).toHaveLength(1);
    expect(data.files[0]).toMatchObject({ file_name: 'incapacidad.pdf', media_type: 'application/pdf', size_bytes: 300 * 1024, purged: false });
    expect(data.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const events = (await h.outbox('attendance.justification_submitted')).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0].idempotency_key).toBe(`attendance:attendance.justification_submitted:${data.id}:1`);
    expect(events[0].body).toMatchObject({ target_users: [h.x.id], entity_type: 'justification', entity_id: data.id, data: { student_name: a.full_name, group_number: '2826503', type_label: 'Médica', sessions_count: 1, first_session_date: '09/03/2026', last_session_date: '09/03/2026', review_url: `/asistencia/justificaciones/${data.id}` } });
    expect(JSON.stringify(events[0].body)).not.toContain('Incapacidad médica por gripa');
    // The record now points at it and is locked by hand (R10).
    const rec = expectOk(await h.inject('GET', `/api/v1/attendance/records/${record.id}`, a));
    expect(rec.justification).toEqual({ id: data.id, status: 'PENDING' });
  });

  it('given the same on Friday 00:01 (after Thursday\'s deadline), then 409 JUSTIFICATION_DEADLINE_PASSED; a holiday in between moves the deadline', async () => {
    const a = student(1);
    const { session } = await takenSession(h, { absent: [a] });
    h.clock.now = at('2026-03-13', '00:01');
    expectError(await submit(h, a, { sessions: [session] }), 409, 'JUSTIFICATION_DEADLINE_PASSED');
    expect(await countRows(h, a.id)).toEqual({ j: 0, i: 0, f: 0 });
    // Thursday 23:59:59 still counts.
    h.clock.now = new Date(at('2026-03-13', '00:00').getTime() - 500);
    h.schedules.holidays = ['2026-03-10'];
    const data = expectOk(await submit(h, a, { sessions: [session] }), 201);
    // With Tuesday a holiday, the third business day is Friday.
    expect(data.deadline_at).toBe(new Date('2026-03-14T04:59:59.000Z').toISOString());
  });

  it('given a PRESENT record, then 409 SESSION_NOT_ABSENT; no roll at all, the same; a second justification while the first is pending → 409 SESSION_ALREADY_COVERED', async () => {
    const [a, b] = [student(2), student(3)];
    const { session } = await takenSession(h, { absent: [a], present: [b] });
    expectError(await submit(h, b, { sessions: [session] }), 409, 'SESSION_NOT_ABSENT');
    const untaken = h.addSession({});
    expectError(await submit(h, a, { sessions: [untaken] }), 409, 'SESSION_NOT_ABSENT');
    expectOk(await submit(h, a, { sessions: [session] }), 201);
    expectError(await submit(h, a, { sessions: [session] }), 409, 'SESSION_ALREADY_COVERED');
    expect((await countRows(h, a.id)).j).toBe(1);
  });

  it('given a session of another ficha, an unknown or cancelled one, or schedules down, then 403 SESSION_NOT_FOR_STUDENT, 404, 422 and 503, nothing written', async () => {
    const a = student(4);
    const other = h.addSession({ ficha: h.fichaB, instructor: h.y });
    expectError(await submit(h, a, { sessions: [other] }), 403, 'SESSION_NOT_FOR_STUDENT');
    expectError(await submit(h, a, { sessions: [{ schedule_id: randomUUID(), date: MONDAY }] }), 404, 'SESSION_NOT_FOUND');
    const cancelled = h.addSession({ status: 'CANCELLED' });
    expectError(await submit(h, a, { sessions: [cancelled] }), 422, 'SESSION_CANCELLED');
    const { session } = await takenSession(h, { absent: [a] });
    h.schedules.down = true;
    expectError(await submit(h, a, { sessions: [session] }), 503, 'SERVICE_UNAVAILABLE');
    expect(await countRows(h, a.id)).toEqual({ j: 0, i: 0, f: 0 });
  });

  it('when the text parts are wrong (sessions not JSON, 0 or 11 sessions, a repeated one, unknown type, short reason, unknown part), then 422 VALIDATION_ERROR naming the part', async () => {
    const a = student(4);
    const { session } = await takenSession(h, { absent: [a] });
    const bad = async (o: Parameters<typeof submit>[2], field: string) => {
      const err = expectError(await submit(h, a, o), 422, 'VALIDATION_ERROR');
      expect(JSON.stringify(err.details)).toContain(field);
    };
    const { postMultipart } = await import('./justifications.fixtures.ts');
    const raw = expectError(await postMultipart(h, J, a, [{ name: 'sessions', value: '[{' }, { name: 'type', value: 'MEDICAL' }, { name: 'reason', value: 'Incapacidad médica larga' }, file()]), 422, 'VALIDATION_ERROR');
    expect(JSON.stringify(raw.details)).toContain('sessions');
    await bad({ sessions: [] }, 'sessions');
    await bad({ sessions: Array.from({ length: 11 }, () => ({ schedule_id: randomUUID(), date: MONDAY })) }, 'sessions');
    await bad({ sessions: [session, session] }, 'sessions');
    await bad({ sessions: [{ schedule_id: 'nope', date: MONDAY }] }, 'sessions[0]');
    await bad({ sessions: [session], type: 'SICK' }, 'type');
    await bad({ sessions: [session], reason: '  corto   ' }, 'reason');
    await bad({ sessions: [session], extra: [{ name: 'student_id', value: randomUUID() }] }, 'student_id');
    // A JSON body is not the transport.
    expectError(await h.inject('POST', J, a, { sessions: [] }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await countRows(h, a.id)).toEqual({ j: 0, i: 0, f: 0 });
  });
});

describe('J9 review (US-ATT-11, R26)', () => {
  it('given a PENDING justification covering 2 ABSENT records, when X approves, then both JUSTIFIED with justification_id, 2 JUSTIFICATION_APPROVED rows and one justification_reviewed entry', async () => {
    const a = student(5);
    const s1 = await takenSession(h, { absent: [a] });
    const s2 = await takenSession(h, { absent: [a], start: '09:00', end: '12:00' });
    const j = expectOk(await submit(h, a, { sessions: [s1.session, s2.session] }), 201);
    expect(j.items).toHaveLength(2);
    h.clock.now = at(THURSDAY, '11:00');
    const data = expectOk(await h.inject('POST', `${J}/${j.id}/review`, h.x, { decision: 'APPROVED', comment: 'Soporte válido' }));
    expect(data).toMatchObject({ status: 'APPROVED', reviewed_by: h.x.id, reviewer_name: h.x.full_name, reviewed_at: h.clock.now.toISOString(), review_comment: 'Soporte válido', records_updated: 2 });
    expect(data.items.every((i: { applied: boolean; record_status: string }) => i.applied && i.record_status === 'JUSTIFIED')).toBe(true);
    for (const s of [s1.session, s2.session]) {
      const r = await recordOf(h, a.id, s);
      expect(r).toMatchObject({ status: 'JUSTIFIED', method: 'JUSTIFICATION', justification_id: j.id });
      const changes = await h.db.query<{ source: string; from_status: string; to_status: string; actor_id: string }>("SELECT source::text AS source, from_status::text AS from_status, to_status::text AS to_status, actor_id::text AS actor_id FROM attendance.record_changes WHERE record_id = $1 AND source = 'JUSTIFICATION_APPROVED'", [r.id]);
      expect(changes).toEqual([{ source: 'JUSTIFICATION_APPROVED', from_status: 'ABSENT', to_status: 'JUSTIFIED', actor_id: h.x.id }]);
    }
    const events = (await h.outbox('attendance.justification_reviewed')).filter((e) => e.body.entity_id === j.id);
    expect(events).toHaveLength(1);
    expect(events[0].body).toMatchObject({ target_users: [a.id], data: { first_name: a.first_name, decision_label: 'Aprobada', reviewer_name: h.x.full_name, resubmit_until: null, sessions: [{ session_date: '09/03/2026' }, { session_date: '09/03/2026' }] } });
    // R12: the review sends no record_changed of its own.
    expect((await h.outbox('attendance.record_changed')).filter((e) => e.body.target_users && (e.body.target_users as string[]).includes(a.id))).toHaveLength(0);
    // R10: a JUSTIFIED record is locked.
    const r1 = await recordOf(h, a.id, s1.session);
    h.clock.now = at(THURSDAY, '11:05');
    expectError(await h.inject('PATCH', `/api/v1/attendance/records/${r1.id}`, h.coordinador, { status: 'PRESENT', reason: 'Sí asistió' }), 409, 'RECORD_JUSTIFIED');
    // A decided justification: J4, J5, J9 → 409.
    expectError(await h.inject('PATCH', `${J}/${j.id}`, a, { reason: 'Otro motivo más largo' }), 409, 'JUSTIFICATION_NOT_PENDING');
    expectError(await h.inject('DELETE', `${J}/${j.id}`, a), 409, 'JUSTIFICATION_NOT_PENDING');
    expectError(await h.inject('DELETE', `${J}/${j.id}`, h.admin), 409, 'JUSTIFICATION_NOT_PENDING');
    expectError(await h.inject('POST', `${J}/${j.id}/review`, h.coordinador, { decision: 'REJECTED', comment: 'Cambio de opinión tardío' }), 409, 'JUSTIFICATION_NOT_PENDING');
  });

  it('given REJECTED without a comment, then 422 REVIEW_COMMENT_REQUIRED; with one, records stay ABSENT and the apprentice may submit once more; a third try → 409 RESUBMISSION_LIMIT_REACHED', async () => {
    const a = student(6);
    const { session } = await takenSession(h, { absent: [a] });
    const first = expectOk(await submit(h, a, { sessions: [session] }), 201);
    expectError(await h.inject('POST', `${J}/${first.id}/review`, h.x, { decision: 'REJECTED' }), 422, 'REVIEW_COMMENT_REQUIRED');
    expectError(await h.inject('POST', `${J}/${first.id}/review`, h.x, { decision: 'REJECTED', comment: '  corto   ' }), 422, 'REVIEW_COMMENT_REQUIRED');
    const rejected = expectOk(await h.inject('POST', `${J}/${first.id}/review`, h.x, { decision: 'REJECTED', comment: 'El documento no corresponde a la fecha' }));
    expect(rejected).toMatchObject({ status: 'REJECTED', records_updated: 0, review_comment: 'El documento no corresponde a la fecha' });
    expect(await recordOf(h, a.id, session)).toMatchObject({ status: 'ABSENT', justification_id: null });
    const [ev] = (await h.outbox('attendance.justification_reviewed')).filter((e) => e.body.entity_id === first.id);
    // Rejected Thursday 12th: 2 business days after → Monday 16th, later than the Thursday deadline.
    expect(ev.body).toMatchObject({ data: { decision_label: 'Rechazada', review_comment: 'El documento no corresponde a la fecha', resubmit_until: '16/03/2026' } });
    // R23: the resubmission window outlives the original Thursday deadline.
    h.clock.now = at('2026-03-16', '18:00');
    const second = expectOk(await submit(h, a, { sessions: [session], reason: 'Adjunto la incapacidad correcta' }), 201);
    expectOk(await h.inject('POST', `${J}/${second.id}/review`, h.coordinador, { decision: 'REJECTED', comment: 'Sigue sin corresponder a la fecha' }));
    expectError(await submit(h, a, { sessions: [session], reason: 'Tercer intento con otro soporte' }), 409, 'RESUBMISSION_LIMIT_REACHED');
  });

  it('given a resubmission after the window, then 409 JUSTIFICATION_DEADLINE_PASSED', async () => {
    const a = student(7);
    const { session } = await takenSession(h, { absent: [a] });
    const first = expectOk(await submit(h, a, { sessions: [session] }), 201);
    expectOk(await h.inject('POST', `${J}/${first.id}/review`, h.x, { decision: 'REJECTED', comment: 'El documento es ilegible' }));
    h.clock.now = at('2026-03-17', '00:00');
    expectError(await submit(h, a, { sessions: [session] }), 409, 'JUSTIFICATION_DEADLINE_PASSED');
  });

  it('O4: another instructor of the ficha gets 404, the apprentice and staff without the role get 403; a record the student attended after all stays unapplied', async () => {
    const [a] = [student(8)];
    const { session, roll } = await takenSession(h, { absent: [a] });
    const j = expectOk(await submit(h, a, { sessions: [session] }), 201);
    const z = h.users.add({ role: 'instructor', first_name: 'Otro', last_name: 'Instructor' });
    h.schedules.assignments.set(z.id, [h.fichaA.id]);
    expectError(await h.inject('POST', `${J}/${j.id}/review`, z, { decision: 'APPROVED' }), 404, 'JUSTIFICATION_NOT_FOUND');
    expectError(await h.inject('GET', `${J}/${j.id}`, z), 404, 'JUSTIFICATION_NOT_FOUND');
    expectError(await h.inject('POST', `${J}/${j.id}/review`, a, { decision: 'APPROVED' }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('POST', `${J}/${j.id}/review`, 'administrativo', { decision: 'APPROVED' }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('POST', `${J}/${j.id}/review`, 'service', { decision: 'APPROVED' }), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('POST', `${J}/${randomUUID()}/review`, h.coordinador, { decision: 'APPROVED' }), 404, 'JUSTIFICATION_NOT_FOUND');
    // The record became PRESENT meanwhile (a correction by coordination is refused while pending; simulate a scan, R18).
    await h.db.query("UPDATE attendance.records SET status = 'PRESENT', method = 'QR_SCAN' WHERE roll_id = $1 AND student_id = $2", [roll.id, a.id]);
    const data = expectOk(await h.inject('POST', `${J}/${j.id}/review`, h.admin, { decision: 'APPROVED' }));
    expect(data).toMatchObject({ status: 'APPROVED', records_updated: 0, review_comment: null });
    expect(data.items[0]).toMatchObject({ applied: false, record_status: 'PRESENT' });
    expect(await recordOf(h, a.id, session)).toMatchObject({ status: 'PRESENT', justification_id: null });
  });
});

describe('Advance notice (US-ATT-12, R7, R22, R26)', () => {
  it('given next Wednesday\'s two sessions, when J1 is sent with type INSTITUTIONAL, then 201 ADVANCE_NOTICE; 40 days ahead → 422 ADVANCE_NOTICE_TOO_FAR; mixing a past session → 422 JUSTIFICATION_MIXED_KINDS', async () => {
    h.clock.now = at(MONDAY, '10:00');
    const a = student(9);
    const w1 = h.addSession({ date: WEDNESDAY });
    const w2 = h.addSession({ date: WEDNESDAY, start: '09:00', end: '12:00', instructor: h.x });
    const data = expectOk(await submit(h, a, { sessions: [w1, w2], type: 'INSTITUTIONAL', reason: 'Representaré al centro en los juegos regionales' }), 201);
    expect(data).toMatchObject({ kind: 'ADVANCE_NOTICE', type: 'INSTITUTIONAL', deadline_at: null, status: 'PENDING' });
    expect(data.items.map((i: { record_id: string | null }) => i.record_id)).toEqual([null, null]);
    const far = h.addSession({ date: '2026-04-18' });
    expectError(await submit(h, a, { sessions: [far], type: 'INSTITUTIONAL' }), 422, 'ADVANCE_NOTICE_TOO_FAR');
    const edge = h.addSession({ date: '2026-04-08' });
    expectOk(await submit(h, a, { sessions: [edge], type: 'INSTITUTIONAL' }), 201);
    const { session: past } = await takenSession(h, { absent: [a] });
    h.clock.now = at(MONDAY, '10:00');
    const w3 = h.addSession({ date: WEDNESDAY, start: '13:00', end: '15:00' });
    expectError(await submit(h, a, { sessions: [past, w3], type: 'INSTITUTIONAL' }), 422, 'JUSTIFICATION_MIXED_KINDS');
  });

  it('given it was approved, when Wednesday\'s roll closes without the apprentice, then EXCUSED with justification_id; a scanned apprentice stays PRESENT; a pending one approved after close becomes EXCUSED', async () => {
    h.clock.now = at(MONDAY, '10:00');
    const [a, b, c] = [student(10), student(11), student(12)];
    const w = h.addSession({ date: WEDNESDAY, start: '13:00', end: '16:00' });
    const ja = expectOk(await submit(h, a, { sessions: [w], type: 'INSTITUTIONAL' }), 201);
    const jb = expectOk(await submit(h, b, { sessions: [w], type: 'INSTITUTIONAL' }), 201);
    const jc = expectOk(await submit(h, c, { sessions: [w], type: 'FAMILY' }), 201);
    for (const j of [ja, jb]) expectOk(await h.inject('POST', `${J}/${j.id}/review`, h.x, { decision: 'APPROVED' }));
    // Wednesday 13:05: the roll, b present; close at 13:30.
    h.clock.now = at(WEDNESDAY, '13:05');
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: w.schedule_id, session_date: WEDNESDAY }), 201);
    expect(roll.roster.find((r: { student_id: string }) => r.student_id === a.id).advance_notice).toEqual({ justification_id: ja.id, status: 'APPROVED' });
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { marks: [{ student_id: b.id, status: 'PRESENT' }] }));
    const closed = expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, h.x, {}));
    expect(closed.result.excused_marked).toBe(1);
    expect(await recordOf(h, a.id, w)).toMatchObject({ status: 'EXCUSED', method: 'JUSTIFICATION', justification_id: ja.id });
    expect(await recordOf(h, b.id, w)).toMatchObject({ status: 'PRESENT', justification_id: null });
    expect(await recordOf(h, c.id, w)).toMatchObject({ status: 'ABSENT' });
    const readA = expectOk(await h.inject('GET', `${J}/${ja.id}`, a));
    expect(readA.items[0]).toMatchObject({ applied: true, record_status: 'EXCUSED' });
    // c's pending notice got the ABSENT record linked at close (R7); approval applies R26.
    h.clock.now = at(WEDNESDAY, '14:00');
    const approved = expectOk(await h.inject('POST', `${J}/${jc.id}/review`, h.x, { decision: 'APPROVED' }));
    expect(approved.records_updated).toBe(1);
    expect(await recordOf(h, c.id, w)).toMatchObject({ status: 'EXCUSED', method: 'JUSTIFICATION', justification_id: jc.id });
  });
});

describe('J2 list and J3 read (O1, O4)', () => {
  it('scopes: the apprentice sees their own, X those of their sessions, Y none, coordination all; filters and overdue work; names outside scope → 403', async () => {
    const [a, b] = [student(13), h.fichaB.apprentices[0]];
    const { session } = await takenSession(h, { absent: [a] });
    const ja = expectOk(await submit(h, a, { sessions: [session] }), 201);
    const { session: sb } = await (async () => {
      const s = h.addSession({ ficha: h.fichaB, instructor: h.y });
      h.clock.now = at(MONDAY, '06:05');
      const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.y, { schedule_id: s.schedule_id, session_date: MONDAY }), 201);
      expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, h.y, { confirm_all_absent: true }));
      h.clock.now = at(THURSDAY, '10:00');
      return { session: s };
    })();
    const jb = expectOk(await submit(h, b, { sessions: [sb] }), 201);
    const ids = (res: { json(): { data: Array<{ id: string }> } }) => res.json().data.map((x) => x.id);
    const mine = await h.inject('GET', J, a);
    expect(ids(mine)).toEqual(expect.arrayContaining([ja.id]));
    expect(ids(mine)).not.toContain(jb.id);
    expect(mine.json().data.every((x: { student_id: string }) => x.student_id === a.id)).toBe(true);
    expectError(await h.inject('GET', `${J}?student_id=${b.id}`, a), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${J}?group_id=${h.fichaB.id}`, a), 403, 'OUT_OF_SCOPE');
    const xs = ids(await h.inject('GET', J, h.x));
    expect(xs).toContain(ja.id);
    expect(xs).not.toContain(jb.id);
    expect(ids(await h.inject('GET', J, h.y))).toEqual([jb.id]);
    expectError(await h.inject('GET', `${J}?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${J}?student_id=${b.id}`, h.x), 403, 'OUT_OF_SCOPE');
    const all = ids(await h.inject('GET', `${J}?page_size=100`, h.coordinador));
    expect(all).toEqual(expect.arrayContaining([ja.id, jb.id]));
    expect(ids(await h.inject('GET', `${J}?student_id=${b.id}&status=PENDING&kind=AFTER_ABSENCE&type=MEDICAL`, h.coordinador))).toEqual([jb.id]);
    expect(ids(await h.inject('GET', `${J}?student_id=${b.id}&status=APPROVED,REJECTED`, h.coordinador))).toEqual([]);
    expect(ids(await h.inject('GET', `${J}?student_id=${b.id}&overdue=true`, h.coordinador))).toEqual([]);
    // Coordination reaches everything; J3 for the owner, X, coordination; Y and other apprentices → 404.
    expectOk(await h.inject('GET', `${J}/${ja.id}`, a));
    const read = expectOk(await h.inject('GET', `${J}/${ja.id}`, h.x));
    expect(read.id).toBe(ja.id);
    expect((await h.inject('GET', `${J}/${ja.id}`, h.x)).json().links.review).toEqual({ href: `${J}/${ja.id}/review`, method: 'POST' });
    expectError(await h.inject('GET', `${J}/${ja.id}`, h.y), 404, 'JUSTIFICATION_NOT_FOUND');
    expectError(await h.inject('GET', `${J}/${ja.id}`, b), 404, 'JUSTIFICATION_NOT_FOUND');
    expectOk(await h.inject('GET', `${J}/${ja.id}`, h.admin));
    // R27: 8 days later it is overdue.
    h.clock.now = at('2026-03-20', '11:00');
    const overdue = await h.inject('GET', `${J}?student_id=${b.id}&overdue=true&start_date=2026-03-01`, h.coordinador);
    expect(overdue.json().data).toEqual([expect.objectContaining({ id: jb.id, overdue: true })]);
    expectError(await h.inject('GET', `${J}?start_date=2026-03-20&end_date=2026-03-01`, h.coordinador), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${J}?start_date=2025-01-01&end_date=2026-03-01`, h.coordinador), 422, 'RANGE_TOO_LONG');
  });
});

describe('J4 edit and J5 withdraw (R25)', () => {
  it('the owner edits type and reason while PENDING; another apprentice gets 404; a short reason 422', async () => {
    const a = student(0);
    const { session } = await takenSession(h, { absent: [a] });
    const j = expectOk(await submit(h, a, { sessions: [session] }), 201);
    const data = expectOk(await h.inject('PATCH', `${J}/${j.id}`, a, { type: 'FAMILY', reason: '  Calamidad doméstica grave  ' }));
    expect(data).toMatchObject({ type: 'FAMILY', reason: 'Calamidad doméstica grave', status: 'PENDING' });
    expectError(await h.inject('PATCH', `${J}/${j.id}`, student(1), { type: 'OTHER' }), 404, 'JUSTIFICATION_NOT_FOUND');
    expectError(await h.inject('PATCH', `${J}/${j.id}`, a, { reason: 'corto            ' }), 422, 'VALIDATION_ERROR');
    for (const who of [h.x, h.coordinador, h.admin, 'administrativo', 'service'] as const) expectError(await h.inject('PATCH', `${J}/${j.id}`, who, { type: 'OTHER' }), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('the owner withdraws a PENDING justification (hard delete, session free again); an admin may too; coordinador 403; another apprentice 404', async () => {
    const a = student(2);
    const { session } = await takenSession(h, { absent: [a] });
    const before = await countRows(h, a.id);
    const j = expectOk(await submit(h, a, { sessions: [session] }), 201);
    expectError(await h.inject('DELETE', `${J}/${j.id}`, student(3)), 404, 'JUSTIFICATION_NOT_FOUND');
    for (const who of [h.x, h.coordinador, 'administrativo', 'service'] as const) expectError(await h.inject('DELETE', `${J}/${j.id}`, who), 403, 'INSUFFICIENT_PERMISSIONS');
    expect((await h.inject('DELETE', `${J}/${j.id}`, a)).statusCode).toBe(204);
    expectError(await h.inject('GET', `${J}/${j.id}`, a), 404, 'JUSTIFICATION_NOT_FOUND');
    expect(await countRows(h, a.id)).toEqual(before);
    // Withdrawn: the session is free and the limit not spent.
    const again = expectOk(await submit(h, a, { sessions: [session] }), 201);
    expect((await h.inject('DELETE', `${J}/${again.id}`, h.admin)).statusCode).toBe(204);
    expectError(await h.inject('DELETE', `${J}/${again.id}`, h.admin), 404, 'JUSTIFICATION_NOT_FOUND');
  });
});

describe('permission matrix of J1–J9 (§2)', () => {
  it('J1 J4–J7 are the apprentice\'s (J5 also admin); J2 J3 J8 are refused to administrativo and service; J9 to the apprentice, administrativo and service', async () => {
    const id = randomUUID();
    const fid = randomUUID();
    const forbidden = async (method: string, url: string, roles: readonly string[], payload?: unknown) => {
      for (const role of roles) expectError(await h.inject(method, url, role, payload), 403, 'INSUFFICIENT_PERMISSIONS');
    };
    await forbidden('POST', J, ['admin', 'coordinador', 'administrativo', 'instructor', 'service']);
    await forbidden('GET', J, ['administrativo', 'service']);
    await forbidden('GET', `${J}/${id}`, ['administrativo', 'service']);
    await forbidden('PATCH', `${J}/${id}`, ['admin', 'coordinador', 'administrativo', 'instructor', 'service'], { type: 'OTHER' });
    await forbidden('DELETE', `${J}/${id}`, ['coordinador', 'administrativo', 'instructor', 'service']);
    await forbidden('POST', `${J}/${id}/files`, ['admin', 'coordinador', 'administrativo', 'instructor', 'service']);
    await forbidden('DELETE', `${J}/${id}/files/${fid}`, ['admin', 'coordinador', 'administrativo', 'instructor', 'service']);
    await forbidden('GET', `${J}/${id}/files/${fid}`, ['administrativo', 'service']);
    await forbidden('POST', `${J}/${id}/review`, ['aprendiz', 'administrativo', 'service'], { decision: 'APPROVED' });
    // Allowed roles reach the use case (404 for an unknown id).
    for (const role of ['admin', 'coordinador', 'instructor']) expectError(await h.inject('GET', `${J}/${id}`, role), 404, 'JUSTIFICATION_NOT_FOUND');
    for (const role of ['admin', 'coordinador', 'instructor']) expectError(await h.inject('POST', `${J}/${id}/review`, role, { decision: 'APPROVED' }), 404, 'JUSTIFICATION_NOT_FOUND');
    expectError(await h.inject('DELETE', `${J}/${id}`, 'admin'), 404, 'JUSTIFICATION_NOT_FOUND');
    expect((await h.inject('GET', J, 'admin')).statusCode).toBe(200);
    expect((await h.inject('GET', J, 'instructor')).statusCode).toBe(200);
    expect((await h.inject('GET', J, student(0))).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: J })).statusCode).toBe(401);
  });
});
