/** Q1/Q2 (US-ATT-05…08, US-ATT-21's scan): rotating codes, scans, refusals and shared devices. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Person, Session } from '../src/application/ports.ts';
import { at, createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());
beforeEach(() => {
  h.schedules.down = false;
});

const CODES = '/api/v1/attendance/qr/codes';
const SCAN = '/api/v1/attendance/qr/scan';
let day = 0;

/** A fresh session S (06:00–09:00) on its own Monday-like date, the clock at `time` that day. */
function freshSession(time = '06:10', o: Parameters<Harness['addSession']>[0] = {}): Session {
  day += 1;
  const date = `2026-04-${String(day).padStart(2, '0')}`;
  h.clock.now = at(date, time);
  return h.addSession({ date, ...o });
}

const tick = (seconds: number) => {
  h.clock.now = new Date(h.clock.now.getTime() + seconds * 1000);
};

async function code(student: Person, s: Session, device = randomUUID()) {
  return expectOk(await h.inject('POST', CODES, student, { schedule_id: s.schedule_id, device_id: device }), 201);
}

describe('Q1 show my rotating QR (US-ATT-05)', () => {
  it('when S is at 06:10, then 201 with a 49-character SQ1. code, 15 s of life and a refresh at 12 s', async () => {
    const s = freshSession();
    const data = await code(h.fichaA.apprentices[0], s);
    expect(data.code).toMatch(/^SQ1\./);
    expect(data.code).toHaveLength(49);
    expect(data).toMatchObject({ expires_in_seconds: 15, refresh_after_seconds: 12, session: { schedule_id: s.schedule_id, session_date: s.date, group_number: '2826503', start_time: '06:00' } });
    const [row] = await h.db.query<{ ip_masked: string; state: string }>('SELECT ip_masked, state::text AS state FROM attendance.qr_codes ORDER BY issued_at DESC LIMIT 1');
    expect(row.state).toBe('ACTIVE');
  });

  it('when include_png is true, then the code also comes as a PNG data URL; without it, no image', async () => {
    const s = freshSession();
    const withPng = expectOk(await h.inject('POST', CODES, h.fichaA.apprentices[2], { schedule_id: s.schedule_id, device_id: randomUUID(), include_png: true }), 201);
    expect(withPng.png_data_url).toMatch(/^data:image\/png;base64,/);
    const bytes = Buffer.from(withPng.png_data_url.slice('data:image/png;base64,'.length), 'base64');
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    tick(4);
    const without = await code(h.fichaA.apprentices[2], s);
    expect(without.png_data_url).toBeUndefined();
  });

  it('when a second Q1 comes 12 s later, then the first code is SUPERSEDED; sooner than 3 s → 429', async () => {
    const s = freshSession();
    const me = h.fichaA.apprentices[1];
    const device = randomUUID();
    const first = await code(me, s, device);
    const res = await h.inject('POST', CODES, me, { schedule_id: s.schedule_id, device_id: device });
    expectError(res, 429, 'RATE_LIMITED');
    expect(res.headers['retry-after']).toBeDefined();
    tick(12);
    await code(me, s, device);
    const states = await h.db.query<{ state: string }>('SELECT state::text AS state FROM attendance.qr_codes WHERE student_id = $1 AND schedule_id = $2 ORDER BY issued_at', [me.id, s.schedule_id]);
    expect(states.map((r) => r.state)).toEqual(['SUPERSEDED', 'ACTIVE']);
    tick(1);
    expectError(await h.inject('POST', SCAN, h.x, { code: first.code, schedule_id: s.schedule_id }), 410, 'QR_SUPERSEDED');
  });

  it('when the session is of another ficha, then 403; at 09:00 → 409 SESSION_ENDED; already PRESENT → 409', async () => {
    const s = freshSession();
    const other = h.addSession({ date: s.date, ficha: h.fichaB, instructor: h.y });
    const me = h.fichaA.apprentices[2];
    expectError(await h.inject('POST', CODES, me, { schedule_id: other.schedule_id, device_id: randomUUID() }), 403, 'SESSION_NOT_FOR_STUDENT');
    tick(3);
    const c = await code(me, s);
    expectOk(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 201);
    tick(5);
    expectError(await h.inject('POST', CODES, me, { schedule_id: s.schedule_id, device_id: randomUUID() }), 409, 'ATTENDANCE_ALREADY_RECORDED');
    h.clock.now = at(s.date, '09:00');
    expectError(await h.inject('POST', CODES, h.fichaA.apprentices[3], { schedule_id: s.schedule_id, device_id: randomUUID() }), 409, 'SESSION_ENDED');
    h.clock.now = at(s.date, '05:44');
    expectError(await h.inject('POST', CODES, h.fichaA.apprentices[4], { schedule_id: s.schedule_id, device_id: randomUUID() }), 409, 'SESSION_NOT_STARTED');
  });
});

describe('Q2 scan the code (US-ATT-06, US-ATT-21)', () => {
  it('when the first scans of a class without roll arrive together, then every one is recorded in the one roll (R17, no unique-violation 500)', async () => {
    const s = freshSession();
    const students = h.fichaA.apprentices.slice(0, 6);
    const codes = [];
    for (const st of students) codes.push(await code(st, s));
    tick(1);
    const answers = await Promise.all(codes.map((c) => h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id })));
    expect(answers.map((r) => r.statusCode)).toEqual(students.map(() => 201));
    const rolls = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.rolls WHERE schedule_id = $1', [s.schedule_id]);
    expect(rolls[0].n).toBe(1);
    expect(new Set(answers.map((r) => r.json().data.roll.id)).size).toBe(1);
  });

  it('when X scans a fresh code at 06:10, then 201 RECORDED, PRESENT with check_in_at, photo and last 4 digits; a replay within 10 min → 200 replayed', async () => {
    const s = freshSession();
    const me = h.fichaA.apprentices[0];
    const c = await code(me, s);
    tick(2);
    const data = expectOk(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 201);
    expect(data).toMatchObject({ outcome: 'RECORDED', replayed: false, record: { status: 'PRESENT', method: 'QR_SCAN', student_id: me.id }, student: { id: me.id, full_name: me.full_name, document_last4: me.document_number!.slice(-4) }, scan: { code_age_seconds: 2, flags: [] } });
    expect(data.record.check_in_at).toBe(h.clock.now.toISOString());
    expect(data.student.avatar_url).toMatch(/^https:/);
    expect(data.roll).toMatchObject({ status: 'OPEN', counts: { present: 1, roster: 14, unmarked: 13 } });
    tick(120);
    const again = expectOk(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 200);
    expect(again).toMatchObject({ outcome: 'RECORDED', replayed: true, record: { id: data.record.id } });
    const rows = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.records WHERE student_id = $1 AND schedule_id = $2', [me.id, s.schedule_id]);
    expect(rows[0].n).toBe(1);
    // US-ATT-07: another scanner gets QR_ALREADY_USED.
    expectError(await h.inject('POST', SCAN, h.coordinador, { code: c.code, schedule_id: s.schedule_id }), 409, 'QR_ALREADY_USED');
  });

  it('when a code is scanned at 06:32, then LATE 32; an ABSENT apprentice becomes LATE with 200 UPDATED and a QR_SCAN change row', async () => {
    const s = freshSession('06:31');
    tick(59);
    const [a, b] = h.fichaA.apprentices;
    const ca = await code(a, s);
    tick(1);
    const late = expectOk(await h.inject('POST', SCAN, h.x, { code: ca.code, schedule_id: s.schedule_id }), 201);
    expect(late.record).toMatchObject({ status: 'LATE', late_minutes: 32 });
    const roll = late.roll.id;
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll}/marks`, h.x, { marks: [{ student_id: b.id, status: 'ABSENT' }] }));
    tick(30);
    const cb = await code(b, s);
    const updated = expectOk(await h.inject('POST', SCAN, h.x, { code: cb.code, schedule_id: s.schedule_id }), 200);
    expect(updated).toMatchObject({ outcome: 'UPDATED', record: { status: 'LATE', version: 2 } });
    const [change] = await h.db.query<{ source: string; from_status: string }>('SELECT source::text AS source, from_status::text AS from_status FROM attendance.record_changes WHERE record_id = $1 ORDER BY at DESC LIMIT 1', [updated.record.id]);
    expect(change).toEqual({ source: 'QR_SCAN', from_status: 'ABSENT' });
  });

  it('when ST2 sets late_after_minutes=10, then a scan at start + 11 min is LATE (US-ATT-21)', async () => {
    const s = freshSession('06:10');
    const me = h.fichaA.apprentices[5];
    const c = await code(me, s);
    tick(1);
    expect(expectOk(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 201).record.status).toBe('PRESENT');
    expectOk(await h.inject('PATCH', '/api/v1/attendance/settings', h.admin, { late_after_minutes: 10 }));
    const other = h.fichaA.apprentices[6];
    h.clock.now = new Date(at(s.date, '06:11').getTime() - 2000);
    const c2 = await code(other, s);
    tick(2);
    expect(expectOk(await h.inject('POST', SCAN, h.x, { code: c2.code, schedule_id: s.schedule_id }), 201).record).toMatchObject({ status: 'LATE', late_minutes: 11 });
    expectOk(await h.inject('PATCH', '/api/v1/attendance/settings', h.admin, { late_after_minutes: 15 }));
  });
});

describe('refused codes (US-ATT-07)', () => {
  it('when a code is 19 s old, then 410 QR_EXPIRED; one changed character → 400 QR_INVALID; another session → 409 QR_WRONG_SESSION; nothing written', async () => {
    const s = freshSession();
    const other = h.addSession({ date: s.date, start: '06:00', end: '09:00', subject: 'Inglés' });
    const me = h.fichaA.apprentices[7];
    const c = await code(me, s);
    const last = c.code.at(-2) === 'A' ? 'B' : 'A';
    expectError(await h.inject('POST', SCAN, h.x, { code: `${c.code.slice(0, -2)}${last}${c.code.at(-1)}`, schedule_id: s.schedule_id }), 400, 'QR_INVALID');
    expectError(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: other.schedule_id }), 409, 'QR_WRONG_SESSION');
    tick(19);
    expectError(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 410, 'QR_EXPIRED');
    const rows = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.records WHERE schedule_id IN ($1, $2)', [s.schedule_id, other.schedule_id]);
    expect(rows[0].n).toBe(0);
    const rolls = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM attendance.rolls WHERE schedule_id IN ($1, $2)', [s.schedule_id, other.schedule_id]);
    expect(rolls[0].n).toBe(0);
  });

  it('when instructor Y scans for S, then 403 NOT_SESSION_INSTRUCTOR; a CLOSED roll → 409 ROLL_CLOSED; a student who left → 422', async () => {
    const s = freshSession();
    const me = h.fichaA.apprentices[8];
    const c = await code(me, s);
    expectError(await h.inject('POST', SCAN, h.y, { code: c.code, schedule_id: s.schedule_id }), 403, 'NOT_SESSION_INSTRUCTOR');
    const roster = h.schedules.rosters.get(h.fichaA.id)!;
    h.schedules.rosters.set(h.fichaA.id, roster.filter((a) => a.id !== me.id));
    expectError(await h.inject('POST', SCAN, h.coordinador, { code: c.code, schedule_id: s.schedule_id }), 422, 'STUDENT_NOT_IN_GROUP');
    h.schedules.rosters.set(h.fichaA.id, roster);
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, h.x, { confirm_all_absent: true }));
    expectError(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 409, 'ROLL_CLOSED');
    tick(5);
    expectError(await h.inject('POST', CODES, me, { schedule_id: s.schedule_id, device_id: randomUUID() }), 409, 'ROLL_CLOSED');
  });
});

describe('one phone, one apprentice (US-ATT-08)', () => {
  it('when B asks from A\'s device, then 409 QR_DEVICE_IN_USE and both roster rows show SHARED_DEVICE_ATTEMPT; A from a second device gets DEVICE_CHANGED once scanned', async () => {
    const s = freshSession();
    const [, , , , , , , , , a, b] = h.fichaA.apprentices;
    const device = randomUUID();
    await code(a, s, device);
    expectError(await h.inject('POST', CODES, b, { schedule_id: s.schedule_id, device_id: device }), 409, 'QR_DEVICE_IN_USE');
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    const flagged = roll.roster.filter((r: { flags: string[] }) => r.flags.includes('SHARED_DEVICE_ATTEMPT')).map((r: { student_id: string }) => r.student_id);
    expect(flagged.sort()).toEqual([a.id, b.id].sort());
    tick(5);
    const c = await code(a, s, randomUUID());
    const scanned = expectOk(await h.inject('POST', SCAN, h.x, { code: c.code, schedule_id: s.schedule_id }), 201);
    expect(scanned.record.flags.sort()).toEqual(['DEVICE_CHANGED', 'SHARED_DEVICE_ATTEMPT']);
  });
});
