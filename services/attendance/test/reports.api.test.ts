/** RP5 missing rolls (US-ATT-19, R43) and RP3 instructor compliance (US-ATT-20, R44), through HTTP. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Person, Session } from '../src/application/ports.ts';
import { at, createHarness, ROLES, type Harness } from './harness.ts';
import { takeRoll as takeRollOf } from './reports.fixtures.ts';

const takeRoll = (s: Session, pattern: string, o: { firstMark?: string; closedAt?: string } = {}) => takeRollOf(h, s, pattern, o);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('RP5 missing rolls', () => {
  const URL = '/api/v1/attendance/reports/missing-rolls';
  const D = '2026-03-10';
  let z: Person;
  let s1: Session, s2: Session, s3: Session;

  beforeAll(async () => {
    z = h.users.add({ role: 'instructor', first_name: 'Zoe', last_name: 'Zuluaga' });
    // Tuesday D at 12:30: X's 06:00 and Y's 07:00 sessions ended without record, X's 12:00 is in progress, three were taken.
    s1 = h.addSession({ date: D, start: '06:00', end: '08:00', subject: 'Bases de datos' });
    s1.blocks = ['MMAR1', 'MMAR2'];
    s2 = h.addSession({ date: D, start: '07:00', end: '09:00', ficha: h.fichaB, instructor: h.y });
    s3 = h.addSession({ date: D, start: '12:00', end: '14:00' });
    await takeRoll(h.addSession({ date: D, start: '08:00', end: '10:00' }), 'PPA', { firstMark: '08:05' });
    await takeRoll(h.addSession({ date: D, start: '09:00', end: '11:00', ficha: h.fichaB, instructor: h.y }), 'P', { firstMark: '09:10', closedAt: '11:00' });
    await takeRoll(h.addSession({ date: D, start: '10:00', end: '12:00', instructor: z }), 'T', { firstMark: '10:20' });
    // Cancelled (a holiday, an exception): W2 leaves it out, so it never counts.
    h.addSession({ date: D, start: '14:00', end: '16:00', status: 'CANCELLED' });
  });

  it('given 6 sessions today, 2 ended without record, 1 in progress and 3 taken, then sessions_missing=2 sorted by instructor then time; with include_in_progress 3 items', async () => {
    h.clock.now = at(D, '12:30');
    const data = expectOk(await h.inject('GET', URL, h.coordinador)) as Record<string, unknown> & { items: Array<Record<string, unknown>> };
    expect(data).toMatchObject({ date: D, sessions_total: 6, sessions_taken: 3, sessions_missing: 2, affected_instructors: 2, affected_groups: 2 });
    expect(data.items.map((i) => i.schedule_id)).toEqual([s1.schedule_id, s2.schedule_id]);
    expect(data.items[0]).toEqual({
      instructor_id: h.x.id,
      instructor_name: h.x.full_name,
      group_id: h.fichaA.id,
      group_number: '2826503',
      program_code: 'ADSO',
      schedule_id: s1.schedule_id,
      subject: 'Bases de datos',
      blocks: ['MMAR1', 'MMAR2'],
      start_time: '06:00',
      end_time: '08:00',
      venue_code: '205',
      campus_name: 'Sede Calle 52',
      state: 'ENDED',
      minutes_since_end: 270,
    });

    const all = expectOk(await h.inject('GET', `${URL}?include_in_progress=true&date=${D}`, h.admin)) as { sessions_missing: number; affected_groups: number; items: Array<{ schedule_id: string; state: string; minutes_since_end: number | null }> };
    expect(all.sessions_missing).toBe(3);
    expect(all.items.map((i) => [i.schedule_id, i.state])).toEqual([
      [s1.schedule_id, 'ENDED'],
      [s3.schedule_id, 'IN_PROGRESS'],
      [s2.schedule_id, 'ENDED'],
    ]);
    expect(all.items[1].minutes_since_end).toBeNull();
  });

  it('given a past date, then every session without record has ENDED; filters narrow the sessions', async () => {
    h.clock.now = at('2026-03-11', '07:00');
    const data = expectOk(await h.inject('GET', `${URL}?date=${D}`, h.coordinador)) as { sessions_total: number; sessions_missing: number; items: Array<{ schedule_id: string; state: string }> };
    expect(data.sessions_total).toBe(6);
    expect(data.items.map((i) => [i.schedule_id, i.state])).toEqual([
      [s1.schedule_id, 'ENDED'],
      [s3.schedule_id, 'ENDED'],
      [s2.schedule_id, 'ENDED'],
    ]);
    const byInstructor = expectOk(await h.inject('GET', `${URL}?date=${D}&instructor_id=${h.y.id}`, h.coordinador)) as { sessions_total: number; sessions_taken: number; items: unknown[] };
    expect(byInstructor).toMatchObject({ sessions_total: 2, sessions_taken: 1 });
    expect(byInstructor.items).toHaveLength(1);
    const byGroup = expectOk(await h.inject('GET', `${URL}?date=${D}&group_id=${h.fichaA.id}`, h.coordinador)) as { sessions_total: number; sessions_missing: number };
    expect(byGroup).toMatchObject({ sessions_total: 4, sessions_missing: 2 });
    const byCampus = expectOk(await h.inject('GET', `${URL}?date=${D}&campus_id=${s1.venue.campus.id}&program_id=${s1.group.program.id}`, h.coordinador)) as { sessions_total: number };
    expect(byCampus.sessions_total).toBe(6);
    const otherCampus = expectOk(await h.inject('GET', `${URL}?date=${D}&campus_id=${randomUUID()}`, h.coordinador)) as { sessions_total: number; items: unknown[] };
    expect(otherCampus).toMatchObject({ sessions_total: 0, items: [] });
  });

  it('pages the items with page and page_size; the counts cover every item', async () => {
    h.clock.now = at('2026-03-11', '07:00');
    const res = await h.inject('GET', `${URL}?date=${D}&page=2&page_size=2`, h.coordinador);
    const data = expectOk(res) as { sessions_missing: number; items: Array<{ schedule_id: string }> };
    expect(data.sessions_missing).toBe(3);
    expect(data.items.map((i) => i.schedule_id)).toEqual([s2.schedule_id]);
    expect(res.json().meta.pagination).toMatchObject({ page: 2, page_size: 2, total: 3 });
  });

  it('given a holiday, then no item; date tomorrow → 422 DATE_IN_FUTURE; more than 366 days back → 422', async () => {
    h.schedules.holidays.push('2026-03-23');
    h.addSession({ date: '2026-03-23', status: 'CANCELLED' });
    h.clock.now = at('2026-03-23', '12:00');
    const holiday = expectOk(await h.inject('GET', URL, h.coordinador)) as { sessions_total: number; items: unknown[] };
    expect(holiday).toMatchObject({ sessions_total: 0, items: [] });
    expectError(await h.inject('GET', `${URL}?date=2026-03-24`, h.coordinador), 422, 'DATE_IN_FUTURE');
    expectError(await h.inject('GET', `${URL}?date=2025-03-21`, h.coordinador), 422, 'VALIDATION_ERROR');
    expectOk(await h.inject('GET', `${URL}?date=2025-03-22`, h.coordinador));
  });

  it('given format=csv, then the §6.2 tomas_pendientes file with BOM, CRLF and the exact columns', async () => {
    h.clock.now = at(D, '12:30');
    const res = await h.inject('GET', `${URL}?format=csv&include_in_progress=true`, h.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="asistencia_tomas_pendientes_20260310_20260310_20260310.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFdate,instructor_name,group_number,program_code,subject,blocks,start_time,end_time,venue_code,campus_name,state,minutes_since_end');
    expect(lines[1]).toBe(`${D},${h.x.full_name},2826503,ADSO,Bases de datos,MMAR1;MMAR2,06:00,08:00,205,Sede Calle 52,ENDED,270`);
    expect(lines[2]).toBe(`${D},${h.x.full_name},2826503,ADSO,Programación de software,,12:00,14:00,205,Sede Calle 52,IN_PROGRESS,`);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
  });

  it('given schedules down, then 503; users down with names from schedules, then the report still answers', async () => {
    h.clock.now = at(D, '12:30');
    h.schedules.down = true;
    expectError(await h.inject('GET', URL, h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    h.schedules.down = false;
    h.users.down = true;
    try {
      expectOk(await h.inject('GET', URL, h.coordinador));
      expect((await h.inject('GET', `${URL}?format=csv`, h.coordinador)).statusCode).toBe(200);
    } finally {
      h.users.down = false;
    }
  });

  it('given a session whose instructor name schedules left null and users down, then JSON names null with USERS_UNAVAILABLE and CSV 503', async () => {
    const d = '2026-03-12';
    const s = h.addSession({ date: d, start: '06:00', end: '07:00', instructor: z });
    s.instructor.full_name = null;
    h.clock.now = at(d, '08:00');
    const named = expectOk(await h.inject('GET', URL, h.coordinador)) as { items: Array<{ instructor_name: string | null }> };
    expect(named.items[0].instructor_name).toBe(z.full_name);
    h.users.down = true;
    try {
      const res = await h.inject('GET', URL, h.coordinador);
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
      expect(res.json().data.items[0].instructor_name).toBeNull();
      expectError(await h.inject('GET', `${URL}?format=csv`, h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.users.down = false;
    }
  });

  it('permission row RP5: admin, coordinador ✔; administrativo, instructor, aprendiz, service ✖', async () => {
    h.clock.now = at(D, '12:30');
    for (const role of ROLES) {
      const res = await h.inject('GET', URL, role === 'aprendiz' ? h.fichaA.apprentices[0] : role === 'instructor' ? h.x : role);
      if (role === 'admin' || role === 'coordinador') expect(res.statusCode).toBe(200);
      else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
    }
  });
});

describe('RP3 instructor compliance', () => {
  const url = (id: string, q = 'start_date=2026-02-01&end_date=2026-02-28') => `/api/v1/attendance/reports/instructors/${id}?${q}`;
  const WEEKDAYS = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06', '2026-02-09', '2026-02-10', '2026-02-11', '2026-02-12', '2026-02-13'];
  let sessions: Session[];

  beforeAll(async () => {
    h.clock.now = at('2026-03-09', '06:05');
    // 10 sessions of X: 8 with records (6 first marked before the end, 2 after), 1 never opened, 1 opened with no record.
    sessions = WEEKDAYS.map((date, i) => h.addSession({ date, start: '06:00', end: '09:00', ficha: i < 8 ? h.fichaA : h.fichaB, subject: i === 0 ? '=Matemáticas' : 'Programación de software' }));
    for (const [i, s] of sessions.entries()) {
      if (i < 6) await takeRoll(s, i === 0 ? 'PTAJE' : 'PPPA', { firstMark: '06:10', closedAt: '09:05' });
      else if (i < 8) await takeRoll(s, 'PP', { firstMark: '09:30' });
      else if (i === 9) await takeRoll(s, '', {});
    }
    // Not counted (R42): a cancelled session, and one of Y's the same day.
    h.addSession({ date: '2026-02-16', status: 'CANCELLED' });
    h.addSession({ date: '2026-02-02', instructor: h.y, ficha: h.fichaB });
  });

  it('given 10 scheduled sessions, 8 with records (6 first marked before the end), then compliance 80.0, on time 75.0 and 2 missing', async () => {
    const data = expectOk(await h.inject('GET', url(h.x.id), h.coordinador)) as Record<string, unknown> & { missing: Array<{ schedule_id: string }>; by_group: Array<Record<string, unknown>> };
    expect(data).toMatchObject({
      instructor: { id: h.x.id, full_name: h.x.full_name },
      start_date: '2026-02-01',
      end_date: '2026-02-28',
      sessions_scheduled: 10,
      rolls_taken: 8,
      rolls_on_time: 6,
      compliance_pct: 80,
      on_time_pct: 75,
    });
    // PTAJE + 5 × PPPA + 2 × PP: (3 + 15 + 4) attended of (4 + 20 + 4) scheduled = 78.57 → 78.6.
    expect(data.attendance_pct).toBe(78.6);
    expect(data.missing.map((m) => m.schedule_id)).toEqual([sessions[8].schedule_id, sessions[9].schedule_id]);
    expect(data.by_group).toEqual([
      { group_id: h.fichaA.id, group_number: '2826503', program_code: 'ADSO', sessions_scheduled: 8, rolls_taken: 8, rolls_on_time: 6, compliance_pct: 100, on_time_pct: 75, attendance_pct: 78.6 },
      { group_id: h.fichaB.id, group_number: '2901817', program_code: 'ADSO', sessions_scheduled: 2, rolls_taken: 0, rolls_on_time: 0, compliance_pct: 0, on_time_pct: null, attendance_pct: null },
    ]);
  });

  it('given an instructor calling RP3 with their own id, then 200; with another id, 403 OUT_OF_SCOPE', async () => {
    expect((expectOk(await h.inject('GET', url(h.x.id), h.x)) as { rolls_taken: number }).rolls_taken).toBe(8);
    expectError(await h.inject('GET', url(h.y.id), h.x), 403, 'OUT_OF_SCOPE');
  });

  it('permission row RP3: admin, coordinador ✔; instructor own id only; administrativo, aprendiz, service ✖', async () => {
    for (const role of ROLES) {
      const res = await h.inject('GET', url(h.x.id), role === 'aprendiz' ? h.fichaA.apprentices[0] : role === 'instructor' ? h.x : role);
      if (role === 'admin' || role === 'coordinador' || role === 'instructor') expect(res.statusCode).toBe(200);
      else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
    }
  });

  it('given an unknown id or a non-instructor, then 404 INSTRUCTOR_NOT_FOUND; a period over 366 days → 422 RANGE_TOO_LONG', async () => {
    expectError(await h.inject('GET', url(randomUUID()), h.coordinador), 404, 'INSTRUCTOR_NOT_FOUND');
    expectError(await h.inject('GET', url(h.fichaA.apprentices[0].id), h.coordinador), 404, 'INSTRUCTOR_NOT_FOUND');
    expectError(await h.inject('GET', url(h.x.id, 'start_date=2025-01-01&end_date=2026-02-28'), h.coordinador), 422, 'RANGE_TOO_LONG');
    expectError(await h.inject('GET', url(h.x.id, 'start_date=2026-02-10&end_date=2026-02-01'), h.coordinador), 422, 'VALIDATION_ERROR');
  });

  it('reads W2 in windows of at most 31 days and counts only sessions that have ended', async () => {
    h.schedules.calls.length = 0;
    const data = expectOk(await h.inject('GET', url(h.x.id, 'start_date=2026-01-01&end_date=2026-03-31'), h.coordinador)) as { sessions_scheduled: number; end_date: string };
    // The Monday 2026-03-09 06:00 session of the clock's day has not ended at 06:05; the 03-10 ones lie ahead.
    expect(data.end_date).toBe('2026-03-31');
    expect(data.sessions_scheduled).toBe(10);
    const w2 = h.schedules.calls.filter((c) => c.startsWith('W2'));
    expect(w2.map((c) => JSON.parse(c.slice(3)) as { from: string; to: string }).map((q) => [q.from, q.to])).toEqual([
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-03-03'],
      ['2026-03-04', '2026-03-09'],
    ]);
  });

  it('given format=csv, then one row per scheduled session with TOMADA / NO_TOMADA, local offsets and formula-safe cells', async () => {
    const res = await h.inject('GET', url(h.x.id, 'start_date=2026-02-01&end_date=2026-02-28&format=csv'), h.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="asistencia_instructor_${h.x.id}_20260201_20260228.csv"`);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFsession_date,start_time,end_time,group_number,subject,venue_code,roll_status,first_mark_at,closed_at,close_method,present,late,absent,justified,excused');
    expect(lines[1]).toBe("2026-02-02,06:00,09:00,2826503,'=Matemáticas,205,TOMADA,2026-02-02T06:10:00-05:00,2026-02-02T09:05:00-05:00,MANUAL,1,1,1,1,1");
    expect(lines[7]).toBe('2026-02-10,06:00,09:00,2826503,Programación de software,205,TOMADA,2026-02-10T09:30:00-05:00,,,2,0,0,0,0');
    expect(lines[9]).toBe('2026-02-12,06:00,09:00,2901817,Programación de software,205,NO_TOMADA,,,,0,0,0,0,0');
    expect(lines[10]).toBe('2026-02-13,06:00,09:00,2901817,Programación de software,205,NO_TOMADA,,,,0,0,0,0,0');
    expect(lines).toHaveLength(12);
  });

  it('given users down, then JSON 200 with meta.warnings and CSV 503; schedules down → 503', async () => {
    h.users.down = true;
    try {
      const res = await h.inject('GET', url(h.x.id), h.coordinador);
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
      expect(res.json().data.rolls_taken).toBe(8);
      expectError(await h.inject('GET', url(h.x.id, 'format=csv'), h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.users.down = false;
    }
    h.schedules.down = true;
    try {
      expectError(await h.inject('GET', url(h.x.id), h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.schedules.down = false;
    }
  });
});
