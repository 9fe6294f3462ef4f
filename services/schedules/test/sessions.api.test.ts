import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, ROLES, setupBasics, type Harness } from './harness.ts';

// "now" = Monday 2026-03-09 07:00 Bogotá (12:00Z).
let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
let X: { id: string };
let Z: { id: string };
let admin: { authorization: string };
let early: { id: string };
let late: { id: string };

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  X = h.users.add({ role: 'instructor', first_name: 'Carlos', last_name: 'Rodríguez' });
  Z = h.users.add({ role: 'instructor', first_name: 'Luz', last_name: 'Moreno' });
  admin = await h.as('admin');
  const mk = async (p: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/schedules', headers: admin, payload: { start_date: '2026-03-02', end_date: '2026-05-24', ...p } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json().data;
  };
  early = await mk({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Backend', blocks: 'MLUN1-MLUN3' });
  late = await mk({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Frontend', blocks: 'MLUN4-MLUN6' });
  await mk({ group_id: b.groupA.id, instructor_id: X.id, venue_id: b.venue205.id, subject: 'Análisis', blocks: 'MMIE1-MMIE3' });
  await mk({ group_id: b.groupA.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Inglés', blocks: 'MJUE1-MJUE2' });
  await mk({ group_id: b.groupB.id, instructor_id: Z.id, venue_id: b.venue412.id, subject: 'Bases de datos', blocks: 'MMAR1-MMAR3' });
});
afterAll(async () => h.close());

describe('US-SCH-15 classes of an instructor today / right now', () => {
  it('when W2 asks instructor X on today, then 2 sessions with UTC instants (06:00 Bogotá = 11:00Z)', async () => {
    const data = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?instructor_id=${X.id}&date=2026-03-09`, headers: await h.as('service') }));
    expect(data.map((s: { start_at: string; end_at: string }) => [s.start_at, s.end_at])).toEqual([
      ['2026-03-09T11:00:00.000Z', '2026-03-09T14:00:00.000Z'],
      ['2026-03-09T14:00:00.000Z', '2026-03-09T17:00:00.000Z'],
    ]);
    expect(data[0]).toMatchObject({ schedule_id: early.id, status: 'SCHEDULED', blocks: ['MLUN1', 'MLUN2', 'MLUN3'], in_progress: true, instructor: { id: X.id, full_name: 'Carlos Rodríguez' }, venue: { code: '205', campus: { code: 'C52' } } });
    expect(data[1].in_progress).toBe(false);
  });

  it('when at is 05:50 Bogotá with margin_before 15, then the 06:00 session; with no margin, none', async () => {
    const at = encodeURIComponent('2026-03-09T10:50:00Z');
    const svc = await h.as('service');
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?instructor_id=${X.id}&at=${at}&margin_before_minutes=15`, headers: svc })).map((s: { schedule_id: string }) => s.schedule_id)).toEqual([early.id]);
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?instructor_id=${X.id}&at=${at}`, headers: svc }))).toEqual([]);
  });

  it('when W3 asks a date that is not the weekday, then 404 SESSION_NOT_FOUND; its weekday → 200', async () => {
    const svc = await h.as('service');
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/${early.id}/sessions/2026-03-10`, headers: svc }), 404, 'SESSION_NOT_FOUND');
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/${early.id}/sessions/2026-03-16`, headers: svc })).date).toBe('2026-03-16');
  });

  it('when the window exceeds 31 days, then 422 VALIDATION_ERROR', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/sessions?from=2026-03-01&to=2026-04-15', headers: admin }), 422, 'VALIDATION_ERROR');
  });
});

describe('US-SCH-14 my schedule', () => {
  it('when instructor X calls W1 without dates, then the sessions of this Monday–Sunday ordered by date and time', async () => {
    const data = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/me', headers: await h.as('instructor', { sub: X.id }) }));
    expect(data.map((s: { date: string; start_time: string; subject: string }) => `${s.date} ${s.start_time} ${s.subject}`)).toEqual(['2026-03-09 06:00 Backend', '2026-03-09 09:00 Frontend', '2026-03-11 06:00 Análisis']);
    expect(data[0]).toMatchObject({ group: { number: b.groupA.number }, venue: { code: '205', campus: { code: 'C52' } } });
  });

  it('when an aprendiz of ficha A calls W1, then only that ficha; an admin → 403', async () => {
    const data = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/me', headers: await h.as('aprendiz', { group_id: b.groupA.id }) }));
    expect(data).toHaveLength(4);
    expect(data.every((s: { group: { id: string } }) => s.group.id === b.groupA.id)).toBe(true);
    for (const role of ['admin', 'coordinador', 'administrativo', 'service']) {
      expectError(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/me', headers: await h.as(role) }), 403, 'INSUFFICIENT_PERMISSIONS');
    }
  });
});

describe('US-SCH-16 views by ficha, instructor and venue', () => {
  it('when W4 has venue 205 and week_of a Wednesday, then 7 days Monday–Sunday with that venue\'s sessions', async () => {
    const data = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/timetable?venue_id=${b.venue205.id}&week_of=2026-03-11`, headers: admin }));
    expect(data.week_start).toBe('2026-03-09');
    expect(data.days.map((d: { date: string }) => d.date)).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15']);
    expect(data.days[0].sessions).toHaveLength(2);
    expect(data.days[2].sessions).toHaveLength(1);
    expect(data.days[3].sessions).toHaveLength(0);
  });

  it('when W4 has both group_id and venue_id, then 422', async () => {
    expectError(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/timetable?venue_id=${b.venue205.id}&group_id=${b.groupA.id}`, headers: admin }), 422, 'VALIDATION_ERROR');
  });

  it.each(ROLES)('when %s reads sessions of ficha B, then the scope applies', async (role) => {
    const claims = role === 'aprendiz' ? { group_id: b.groupA.id } : role === 'instructor' ? { sub: X.id } : {};
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?group_id=${b.groupB.id}&date=2026-03-10`, headers: await h.as(role, claims) });
    if (role === 'aprendiz' || role === 'instructor') expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
    else expect(expectOk(res)).toHaveLength(1);
  });
});

describe('US-SCH-17 shifts and blocks', () => {
  it('when K2 has shift=NOCHE&day_of_week=6, then 12 blocks NSAB1…NSAB12; unfiltered 104; K1 3 shifts', async () => {
    const headers = await h.as('aprendiz', { group_id: b.groupA.id });
    const sat = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/blocks?shift=NOCHE&day_of_week=6', headers }));
    expect(sat).toHaveLength(12);
    expect(sat[0]).toEqual({ id: 'NSAB1', shift: 'NOCHE', day_of_week: 6, ordinal: 1, start_time: '06:00', end_time: '07:00' });
    expect(sat[11]).toMatchObject({ id: 'NSAB12', start_time: '17:00', end_time: '18:00' });
    expect(expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/blocks', headers }))).toHaveLength(104);
    const shifts = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/shifts', headers }));
    expect(shifts.map((s: { code: string }) => s.code)).toEqual(['MANANA', 'TARDE', 'NOCHE']);
    expect(shifts[2].windows[0]).toEqual({ day_of_week: 1, start_time: '18:00', end_time: '22:00' });
  });
});

describe('US-SCH-18 holidays', () => {
  it('when K3 is called with year=2026 after a start in 2026, then the 18 R25 dates with source HOLIDAY', async () => {
    const data = expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/non-teaching-days?year=2026', headers: admin }));
    expect(data).toHaveLength(18);
    expect(data.every((d: { source: string }) => d.source === 'HOLIDAY')).toBe(true);
    expect(data.find((d: { date: string }) => d.date === '2026-03-23').name).toBe('San José');
    expect(expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/non-teaching-days?year=2027', headers: admin }))).toHaveLength(18);
  });

  it('when W2 covers San José (Monday 2026-03-23), then no session; with include_cancelled, CANCELLED "HOLIDAY: San José"', async () => {
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?date=2026-03-23&group_id=${b.groupA.id}`, headers: admin }))).toEqual([]);
    const data = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?date=2026-03-23&group_id=${b.groupA.id}&include_cancelled=true`, headers: admin }));
    expect(data.map((s: { status: string; cancel_reason: string }) => [s.status, s.cancel_reason])).toEqual([
      ['CANCELLED', 'HOLIDAY: San José'],
      ['CANCELLED', 'HOLIDAY: San José'],
    ]);
  });

  it('when K4 adds a campus-only closure, then only that campus\'s venues lose their sessions; a repeat → 409', async () => {
    const other = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers: admin, payload: { code: 'FONT', name: 'Sede Fontibón' } }), 201);
    const day = expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/non-teaching-days', headers: admin, payload: { date: '2026-03-17', name: 'Cierre de sede', campus_id: b.campus.id } }), 201);
    expect(day).toMatchObject({ source: 'MANUAL', campus_id: b.campus.id });
    expect(expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/sessions?date=2026-03-17', headers: admin }))).toEqual([]);
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/non-teaching-days', headers: admin, payload: { date: '2026-03-17', name: 'Otra vez', campus_id: b.campus.id } }), 409, 'NON_TEACHING_DAY_EXISTS');
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/non-teaching-days', headers: admin, payload: { date: '2026-03-17', name: 'Cierre Fontibón', campus_id: other.id } }), 201);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/schedules/non-teaching-days/${day.id}`, headers: admin })).statusCode).toBe(204);
    expect(expectOk(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/sessions?date=2026-03-17', headers: admin }))).toHaveLength(1);
    expectError(await h.app.inject({ method: 'POST', url: '/api/v1/schedules/non-teaching-days', headers: await h.as('instructor'), payload: { date: '2026-03-18', name: 'Cierre' } }), 403, 'INSUFFICIENT_PERMISSIONS');
  });
});

describe('US-SCH-10 a cancelled entry in the sessions', () => {
  it('when an entry is cancelled from today + 7, then W2 shows no sessions from that date and still earlier ones', async () => {
    expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/schedules/${late.id}/cancel`, headers: admin, payload: { from_date: '2026-03-16', reason: 'Fin del módulo' } }));
    const data = expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/schedules/sessions?from=2026-03-09&to=2026-03-30&instructor_id=${X.id}`, headers: admin }));
    const lateDates = data.filter((s: { schedule_id: string }) => s.schedule_id === late.id).map((s: { date: string }) => s.date);
    expect(lateDates).toEqual(['2026-03-09']);
  });
});

describe('US-SCH-21 calendar export', () => {
  it('when W5 format=ics covers the San José week, then one VEVENT per remaining session with TZID=America/Bogota and none on the holiday', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/schedules/export?format=ics&from=2026-03-23&to=2026-03-29', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    expect(res.headers['content-disposition']).toContain('horario_20260323_20260329.ics');
    const body = res.body.replace(/\r\n /g, '');
    expect(body.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(body).toContain('BEGIN:VTIMEZONE\r\nTZID:America/Bogota');
    expect(body).toContain('DTSTART;TZID=America/Bogota:20260325T060000');
    expect(body).not.toContain('20260323T');
    expect(body).toContain(`SUMMARY:Análisis — Ficha ${b.groupA.number}`);
    expect(res.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });

  it('when W5 format=csv is asked, then UTF-8 with BOM and W2 order; an aprendiz exports only their ficha; > 184 days → 422', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/schedules/export?format=csv&from=2026-03-23&to=2026-03-29', headers: await h.as('aprendiz', { group_id: b.groupA.id }) });
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('\ufeffdate,day_name,start_time,end_time,blocks,group_number,program_code,subject,instructor_name,venue_code,campus_code,status');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2026-03-25', '2026-03-26']);
    expectError(await h.app.inject({ method: 'GET', url: '/api/v1/schedules/export?format=csv&from=2026-01-01&to=2026-12-31', headers: admin }), 422, 'VALIDATION_ERROR');
  });
});
