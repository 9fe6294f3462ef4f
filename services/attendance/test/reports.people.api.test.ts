/** RP2 ficha report and attendance sheet (US-ATT-18) and RP1 student report, through HTTP. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import type { Person, Session } from '../src/application/ports.ts';
import type { ServiceClient, ServiceRequest } from '@sicora/platform/http-client';
import { cachedSchedules } from '../src/application/cache.ts';
import { createSchedulesClient } from '../src/infrastructure/schedules.client.ts';
import { createHarness, ROLES, type Harness } from './harness.ts';
import { addRecord, takeRoll } from './reports.fixtures.ts';

let h: Harness;
let sessions: Session[];
let outsider: Person;
let hacker: Person;
let newcomer: Person;
const PERIOD = 'start_date=2026-02-01&end_date=2026-02-28';
const DAYS = ['2026-02-02', '2026-02-03', '2026-02-04', '2026-02-05', '2026-02-06'];
const PROG = 'Programación de software';
const BD = 'Bases de datos';

beforeAll(async () => {
  h = await createHarness();
  h.schedules.groups.set(h.fichaA.id, { id: h.fichaA.id, number: '2826503', program: { id: randomUUID(), code: 'ADSO', name: 'Análisis y Desarrollo de Software' }, campus: { id: randomUUID(), code: 'C52', name: 'Sede Calle 52' } });
  // Five sessions of ficha A, the last one without roll; apprentice 1 A A A P, 2 P P A E, 3 T P P P, 4 P P J P, the rest P.
  sessions = DAYS.map((date, i) => h.addSession({ date, subject: i % 2 === 0 ? PROG : BD }));
  const patterns = ['APTPPPPPPPPPPP', 'APPPPPPPPPPPPP', 'AAPJPPPPPPPPPP', 'PEPPPPPPPPPPPP'];
  const rolls: string[] = [];
  for (const [i, p] of patterns.entries()) rolls.push(await takeRoll(h, sessions[i], p, { firstMark: '06:10', closedAt: '09:05' }));
  // Someone of another ficha with a record of this one, a name that looks like a formula, one without records.
  outsider = h.fichaB.apprentices[0];
  await addRecord(h, rolls[0], sessions[0], outsider, 'PRESENT');
  hacker = h.users.add({ role: 'aprendiz', group_id: h.fichaA.id, group_number: '2826503', first_name: '=HYPERLINK("x")', last_name: 'Ruiz' });
  newcomer = h.users.add({ role: 'aprendiz', group_id: h.fichaA.id, group_number: '2826503', first_name: 'Nuevo', last_name: 'Zapata' });
  for (const p of [hacker, newcomer]) h.schedules.rosters.get(h.fichaA.id)!.push({ id: p.id, first_name: p.first_name, last_name: p.last_name, full_name: p.full_name, document_number: p.document_number ?? null });
  await addRecord(h, rolls[1], sessions[1], hacker, 'LATE');
  await h.db.query(
    `INSERT INTO attendance.alerts (student_id, group_id, group_number, type, level, state, source, title, message) VALUES ($1, $2, '2826503', 'CONSECUTIVE_ABSENCES', 'HIGH', 'OPEN', 'AUTO', '3 inasistencias consecutivas sin justificar', 'm'), ($1, $2, '2826503', 'LOW_ATTENDANCE', 'CRITICAL', 'ACKNOWLEDGED', 'AUTO', 'Asistencia del 25 %', 'm'), ($1, $2, '2826503', 'FREQUENT_LATENESS', 'LOW', 'RESOLVED', 'AUTO', 'viejo', 'm')`,
    [h.fichaA.apprentices[0].id, h.fichaA.id],
  );
  const [j] = await h.db.query<{ id: string }>(
    `INSERT INTO attendance.justifications (student_id, group_id, kind, type, reason, status, submitted_at) VALUES ($1, $2, 'AFTER_ABSENCE', 'MEDICAL', 'Incapacidad médica', 'PENDING', now()) RETURNING id::text AS id`,
    [h.fichaA.apprentices[0].id, h.fichaA.id],
  );
  await h.db.query(
    `INSERT INTO attendance.justification_items (justification_id, student_id, schedule_id, session_date, subject, start_time, end_time, instructor_id) VALUES ($1, $2, $3, $4, $5, '06:00', '09:00', $6)`,
    [j.id, h.fichaA.apprentices[0].id, sessions[0].schedule_id, sessions[0].date, PROG, h.x.id],
  );
});
afterAll(async () => h.close());

describe('RP2 ficha report', () => {
  const url = (id: string, q = PERIOD) => `/api/v1/attendance/reports/groups/${id}?${q}`;

  it('given RP2 for 2826503, then students sorted by attendance_pct ascending (nulls last) with their figures, sessions.missing and by_subject', async () => {
    const data = expectOk(await h.inject('GET', url(h.fichaA.id), h.coordinador)) as Record<string, unknown> & { students: Array<Record<string, unknown>>; by_subject: Array<Record<string, unknown>> };
    expect(data.group).toEqual({ id: h.fichaA.id, number: '2826503', program_code: 'ADSO', campus_name: 'Sede Calle 52' });
    expect(data.sessions).toEqual({ scheduled: 5, taken: 4, missing: 1 });
    expect(data.summary).toMatchObject({ total_records: 58, total_excused: 1, total_absent: 4, consecutive_absent: 3 });
    const [first, second] = data.students;
    expect(first).toEqual({
      student_id: h.fichaA.apprentices[0].id,
      full_name: h.fichaA.apprentices[0].full_name,
      document_number: h.fichaA.apprentices[0].document_number,
      in_roster: true,
      total_scheduled: 4,
      present: 1,
      late: 0,
      absent: 3,
      justified: 0,
      excused: 0,
      attendance_pct: 25,
      punctuality_pct: 100,
      consecutive_absent: 3,
      open_alerts: ['LOW_ATTENDANCE', 'CONSECUTIVE_ABSENCES'],
    });
    expect(second).toMatchObject({ student_id: h.fichaA.apprentices[1].id, total_scheduled: 3, excused: 1, attendance_pct: 66.7, open_alerts: [] });
    expect(data.students).toHaveLength(17);
    expect(data.students.at(-1)).toMatchObject({ student_id: newcomer.id, total_scheduled: 0, attendance_pct: null, in_roster: true });
    expect(data.students.find((s) => s.student_id === outsider.id)).toMatchObject({ in_roster: false, total_scheduled: 1, attendance_pct: 100 });
    expect(data.students.find((s) => s.student_id === h.fichaA.apprentices[2].id)).toMatchObject({ late: 1, punctuality_pct: 75 });
    const pcts = data.students.map((s) => s.attendance_pct).filter((p) => p !== null) as number[];
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(data.by_subject).toEqual([
      expect.objectContaining({ subject: BD, sessions_scheduled: 2, sessions_taken: 2, total_scheduled: 28, absent: 1, excused: 1 }),
      expect.objectContaining({ subject: PROG, sessions_scheduled: 3, sessions_taken: 2, total_scheduled: 29, absent: 3, justified: 1 }),
    ]);
  });

  it('given format=csv&layout=matrix, then one column per session with cells P/T/A/J/E, a BOM, CRLF and formula-safe names', async () => {
    const res = await h.inject('GET', url(h.fichaA.id, `${PERIOD}&format=csv&layout=matrix`), h.coordinador);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="asistencia_planilla_2826503_20260201_20260228.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(`\uFEFFstudent_document,student_name,2026-02-02 06:00 ${PROG},2026-02-03 06:00 ${BD},2026-02-04 06:00 ${PROG},2026-02-05 06:00 ${BD},2026-02-06 06:00 ${PROG},attendance_pct`);
    const a1 = h.fichaA.apprentices[0];
    expect(lines).toContain(`${a1.document_number},${a1.full_name},A,A,A,P,,25`);
    expect(lines).toContain(`${h.fichaA.apprentices[1].document_number},${h.fichaA.apprentices[1].full_name},P,P,A,E,,66.7`);
    expect(lines).toContain(`${newcomer.document_number},${newcomer.full_name},,,,,,`);
    // '=HYPERLINK("x") Ruiz' → a leading ' and RFC 4180 quotes around the cell holding quotes.
    expect(lines).toContain(`${hacker.document_number},"'=HYPERLINK(""x"") Ruiz",,T,,,,100`);
    expect(lines).toHaveLength(19);
  });

  it('given format=csv (students layout), then the §6.2 ficha file; layout=matrix with JSON → 422', async () => {
    const res = await h.inject('GET', url(h.fichaA.id, `${PERIOD}&format=csv`), h.coordinador);
    expect(res.headers['content-disposition']).toBe('attachment; filename="asistencia_ficha_2826503_20260201_20260228.csv"');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFstudent_document,student_name,total_scheduled,present,late,absent,justified,excused,attendance_pct,punctuality_pct,consecutive_absent,open_alerts');
    const a1 = h.fichaA.apprentices[0];
    expect(lines[1]).toBe(`${a1.document_number},${a1.full_name},4,1,0,3,0,0,25,100,3,LOW_ATTENDANCE;CONSECUTIVE_ABSENCES`);
    expect(lines[17]).toBe(`${newcomer.document_number},${newcomer.full_name},0,0,0,0,0,0,,,0,`);
    expectError(await h.inject('GET', url(h.fichaA.id, 'layout=matrix'), h.coordinador), 422, 'VALIDATION_ERROR');
  });

  it('given an instructor not assigned to the ficha, then 403 OUT_OF_SCOPE; given users down, then 503 for the CSV and 200 with meta.warnings for JSON', async () => {
    expectError(await h.inject('GET', url(h.fichaA.id), h.y), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', url(randomUUID()), h.y), 403, 'OUT_OF_SCOPE');
    h.users.down = true;
    try {
      const res = await h.inject('GET', url(h.fichaA.id), h.coordinador);
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
      // The roster (G7) still names the ficha's apprentices.
      expect(res.json().data.students[0].full_name).toBe(h.fichaA.apprentices[0].full_name);
      expectError(await h.inject('GET', url(h.fichaA.id, 'format=csv&layout=matrix'), h.coordinador), 503, 'SERVICE_UNAVAILABLE');
      expectError(await h.inject('GET', url(h.fichaA.id, 'format=csv'), h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.users.down = false;
    }
  });

  it('given an unknown ficha, then 404 GROUP_NOT_FOUND; schedules down → 503; over 366 days → RANGE_TOO_LONG', async () => {
    expectError(await h.inject('GET', url(randomUUID()), h.coordinador), 404, 'GROUP_NOT_FOUND');
    expectError(await h.inject('GET', url(h.fichaA.id, 'start_date=2025-01-01&end_date=2026-02-28'), h.coordinador), 422, 'RANGE_TOO_LONG');
    h.schedules.down = true;
    try {
      expectError(await h.inject('GET', url(h.fichaA.id), h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.schedules.down = false;
    }
  });

  it('permission row RP2: admin, coordinador, service ✔; instructor asg; administrativo, aprendiz ✖', async () => {
    for (const role of ROLES) {
      const res = await h.inject('GET', url(h.fichaA.id), role === 'aprendiz' ? h.fichaA.apprentices[0] : role === 'instructor' ? h.x : role);
      if (role === 'administrativo' || role === 'aprendiz') expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
      else expect(res.statusCode).toBe(200);
    }
  });
});

describe('RP1 student report', () => {
  const url = (id: string, q = PERIOD) => `/api/v1/attendance/reports/students/${id}?${q}`;

  it('given a coordinador, then the figures by subject, month and weekday, unresolved alerts and justifications by status', async () => {
    const a1 = h.fichaA.apprentices[0];
    const data = expectOk(await h.inject('GET', url(a1.id), h.coordinador)) as Record<string, unknown> & { alerts: Array<Record<string, unknown>> };
    expect(data.student).toEqual({ id: a1.id, full_name: a1.full_name, document_number: a1.document_number, group_id: h.fichaA.id, group_number: '2826503' });
    expect(data.summary).toMatchObject({ total_scheduled: 4, total_absent: 3, attendance_pct: 25, consecutive_absent: 3, current_consecutive_absent: 0 });
    expect(data.by_subject).toEqual([
      { subject: BD, total_scheduled: 2, present: 1, late: 0, absent: 1, justified: 0, excused: 0, attendance_pct: 50, punctuality_pct: 100 },
      { subject: PROG, total_scheduled: 2, present: 0, late: 0, absent: 2, justified: 0, excused: 0, attendance_pct: 0, punctuality_pct: null },
    ]);
    expect(data.by_month).toEqual([expect.objectContaining({ month: '2026-02', total_scheduled: 4, attendance_pct: 25 })]);
    expect((data.by_weekday as Array<{ weekday: number; day_name: string; absent: number }>).map((w) => [w.weekday, w.day_name, w.absent])).toEqual([
      [1, 'Lunes', 1],
      [2, 'Martes', 1],
      [3, 'Miércoles', 1],
      [4, 'Jueves', 0],
    ]);
    expect(data.alerts.map((a) => [a.type, a.level, a.state])).toEqual([
      ['LOW_ATTENDANCE', 'CRITICAL', 'ACKNOWLEDGED'],
      ['CONSECUTIVE_ABSENCES', 'HIGH', 'OPEN'],
    ]);
    expect(data.justifications).toEqual({ pending: 1, approved: 0, rejected: 0 });
    // Outside the period the justification does not count.
    expect((expectOk(await h.inject('GET', url(a1.id, 'start_date=2026-03-01&end_date=2026-03-09'), h.coordinador)) as { justifications: unknown }).justifications).toEqual({ pending: 0, approved: 0, rejected: 0 });
  });

  it('given format=csv, then one row per record with the §6.2 columns and the document in the file name', async () => {
    const a3 = h.fichaA.apprentices[2];
    const res = await h.inject('GET', url(a3.id, `${PERIOD}&format=csv`), h.coordinador);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="asistencia_aprendiz_${a3.document_number}_20260201_20260228.csv"`);
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFsession_date,day_name,start_time,end_time,subject,instructor_name,status,check_in_at,late_minutes,method,justification_status,notes');
    expect(lines[1]).toBe(`2026-02-02,Lunes,06:00,09:00,${PROG},${h.x.full_name},LATE,,20,MANUAL,,`);
    expect(lines[4]).toBe(`2026-02-05,Jueves,06:00,09:00,${BD},${h.x.full_name},PRESENT,,,MANUAL,,`);
    expect(lines).toHaveLength(6);
  });

  it('O1/O2: an aprendiz reads their own only, an instructor students of fichas assigned to them', async () => {
    const a1 = h.fichaA.apprentices[0];
    expectOk(await h.inject('GET', url(a1.id), a1));
    expectError(await h.inject('GET', url(h.fichaA.apprentices[1].id), a1), 403, 'OUT_OF_SCOPE');
    expectOk(await h.inject('GET', url(a1.id), h.x));
    expectError(await h.inject('GET', url(a1.id), h.y), 403, 'OUT_OF_SCOPE');
  });

  it('permission row RP1: admin, coordinador, service ✔; instructor asg; aprendiz own; administrativo ✖', async () => {
    const a1 = h.fichaA.apprentices[0];
    for (const role of ROLES) {
      const res = await h.inject('GET', url(a1.id), role === 'aprendiz' ? a1 : role === 'instructor' ? h.x : role);
      if (role === 'administrativo') expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
      else expect(res.statusCode).toBe(200);
    }
  });

  it('given an unknown id or a non-apprentice, then 404 STUDENT_NOT_FOUND; users down → JSON with meta.warnings, CSV 503', async () => {
    expectError(await h.inject('GET', url(randomUUID()), h.coordinador), 404, 'STUDENT_NOT_FOUND');
    expectError(await h.inject('GET', url(h.x.id), 'service'), 404, 'STUDENT_NOT_FOUND');
    h.users.down = true;
    try {
      const res = await h.inject('GET', url(h.fichaA.apprentices[0].id), 'service');
      expect(res.statusCode).toBe(200);
      expect(res.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
      expect(res.json().data.summary.total_scheduled).toBe(4);
      expectError(await h.inject('GET', url(h.fichaA.apprentices[0].id, 'format=csv'), 'service'), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.users.down = false;
    }
    expectError(await h.inject('GET', url(h.fichaA.apprentices[0].id, 'start_date=2026-03-01&end_date=2026-02-01'), h.coordinador), 422, 'VALIDATION_ERROR');
  });
});

describe('RP4 period report', () => {
  const URL = '/api/v1/attendance/reports/period';

  beforeAll(async () => {
    // Ficha B: Y took one roll (A A P T) and missed the next day's.
    await takeRoll(h, h.addSession({ date: '2026-02-02', ficha: h.fichaB, instructor: h.y }), 'AAPT', { firstMark: '06:10' });
    h.addSession({ date: '2026-02-03', ficha: h.fichaB, instructor: h.y });
  });

  it('given two fichas, then R40 totals, one line per ficha with alerts and sessions, and instructors lowest compliance first', async () => {
    const data = expectOk(await h.inject('GET', `${URL}?${PERIOD}`, h.coordinador)) as Record<string, unknown> & { by_group: Array<Record<string, unknown>> };
    expect(data.totals).toEqual({
      total_records: 62,
      total_scheduled: 61,
      total_present: 51,
      total_late: 3,
      total_absent: 6,
      total_justified: 1,
      total_excused: 1,
      attendance_pct: 90.2,
      absence_pct: 9.8,
      justified_pct: 1.6,
      punctuality_pct: 94.4,
      average_lateness_minutes: 20,
      consecutive_absent: 3,
    });
    expect(data.by_group).toHaveLength(2);
    expect(data.by_group[0]).toMatchObject({ group_id: h.fichaA.id, number: '2826503', program_code: 'ADSO', campus_name: 'Sede Calle 52', students: 16, total_scheduled: 57, attendance_pct: 93, absence_pct: 7, consecutive_absent: 3, open_alerts: 2, sessions_scheduled: 5, sessions_taken: 4, compliance_pct: 80 });
    expect(data.by_group[1]).toMatchObject({ group_id: h.fichaB.id, number: '2901817', students: 4, total_scheduled: 4, attendance_pct: 50, consecutive_absent: 1, open_alerts: 0, sessions_scheduled: 2, sessions_taken: 1, compliance_pct: 50 });
    expect(data.by_instructor).toEqual([
      { instructor_id: h.y.id, full_name: h.y.full_name, sessions_scheduled: 2, rolls_taken: 1, compliance_pct: 50 },
      { instructor_id: h.x.id, full_name: h.x.full_name, sessions_scheduled: 5, rolls_taken: 4, compliance_pct: 80 },
    ]);
  });

  it('narrows to a ficha, a campus or a program', async () => {
    const b = expectOk(await h.inject('GET', `${URL}?${PERIOD}&group_id=${h.fichaB.id}`, h.coordinador)) as { totals: { total_records: number }; by_group: unknown[]; by_instructor: unknown[] };
    expect(b.totals.total_records).toBe(4);
    expect(b.by_group).toHaveLength(1);
    expect(b.by_instructor).toHaveLength(1);
    const none = expectOk(await h.inject('GET', `${URL}?${PERIOD}&campus_id=${randomUUID()}`, h.coordinador)) as { totals: { total_records: number; attendance_pct: number | null }; by_group: unknown[] };
    expect(none).toMatchObject({ totals: { total_records: 0, attendance_pct: null }, by_group: [] });
    const program = expectOk(await h.inject('GET', `${URL}?${PERIOD}&program_id=${sessions[0].group.program.id}&campus_id=${sessions[0].venue.campus.id}`, h.coordinador)) as { totals: { total_records: number } };
    expect(program.totals.total_records).toBe(62);
  });

  it('given format=csv, then one row per ficha (periodo_centro)', async () => {
    const res = await h.inject('GET', `${URL}?${PERIOD}&format=csv`, h.admin);
    expect(res.headers['content-disposition']).toBe('attachment; filename="asistencia_periodo_centro_20260201_20260228.csv"');
    expect(res.body.split('\r\n')).toEqual([
      '\uFEFFgroup_number,program_code,campus_name,students,total_scheduled,attendance_pct,absence_pct,open_alerts,sessions_scheduled,sessions_taken,compliance_pct',
      '2826503,ADSO,Sede Calle 52,16,57,93,7,2,5,4,80',
      '2901817,ADSO,Sede Calle 52,4,4,50,50,0,2,1,50',
      '',
    ]);
  });

  it('periods up to 184 days; longer → 422 RANGE_TOO_LONG; schedules down → 503', async () => {
    expectOk(await h.inject('GET', `${URL}?start_date=2026-01-01&end_date=2026-07-03`, h.coordinador));
    expectError(await h.inject('GET', `${URL}?start_date=2026-01-01&end_date=2026-07-04`, h.coordinador), 422, 'RANGE_TOO_LONG');
    h.schedules.down = true;
    try {
      expectError(await h.inject('GET', URL, h.coordinador), 503, 'SERVICE_UNAVAILABLE');
    } finally {
      h.schedules.down = false;
    }
  });

  it('permission row RP4: admin, coordinador ✔; administrativo, instructor, aprendiz, service ✖', async () => {
    for (const role of ROLES) {
      const res = await h.inject('GET', URL, role === 'aprendiz' ? h.fichaA.apprentices[0] : role === 'instructor' ? h.x : role);
      if (role === 'admin' || role === 'coordinador') expect(res.statusCode).toBe(200);
      else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
    }
  });
});

describe('schedules G3 client (report headers)', () => {
  it('when G3 answers, then the ficha; 404 → undefined (GROUP_NOT_FOUND upstream); a failure → SERVICE_UNAVAILABLE; never cached', async () => {
    const calls: ServiceRequest[] = [];
    let status = 200;
    const client = {
      target: 'schedules',
      async request(req: ServiceRequest) {
        calls.push(req);
        if (status === 200) return { status, headers: {}, body: { success: true, data: { id: 'g', number: '2826503', program: { code: 'ADSO' }, campus: { name: 'Sede' } } } };
        return { status, headers: {}, body: { success: false, error: { code: status === 404 ? 'GROUP_NOT_FOUND' : 'INTERNAL_ERROR', message: 'x' } } };
      },
    } as unknown as ServiceClient;
    const port = cachedSchedules(createSchedulesClient(client), () => new Date());
    expect(await port.group('g')).toMatchObject({ number: '2826503' });
    expect(calls[0]).toMatchObject({ path: '/api/v1/groups/g', token: 'service' });
    status = 404;
    expect(await port.group('g')).toBeUndefined();
    status = 500;
    await expect(port.group('g')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(calls).toHaveLength(3);
  });
});
