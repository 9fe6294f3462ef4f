/**
 * AL1–AL9 (US-ATT-13, 14, 15, the alert rows of §2): evaluation, lifecycle, events, views and scope.
 * Records older than today are written straight to the tables (one CLOSED roll each); the evaluation is
 * run through AL9 for one student, as the debounced job (R34) runs it after a write.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { advisoryKey } from '@sicora/platform/db';
import { errors } from '@sicora/platform/errors';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { alertsNightlyJob, createAlertEvaluation, type GroupInstructorsPort } from '../src/application/alerts.evaluation.ts';
import { createSettingsService } from '../src/application/settings.service.ts';
import { createRepositories, createUnitOfWork } from '../src/infrastructure/repositories.ts';
import type { Person } from '../src/application/ports.ts';
import { addDays } from '../src/domain/time.ts';
import { at, createHarness, MONDAY, ROLES, type Ficha, type Harness } from './harness.ts';

let h: Harness;
/** G8 as the fake answers it: the instructors of each ficha today, or a failure. */
const g8 = { byGroup: new Map<string, string[]>(), down: false, calls: 0 };
beforeAll(async () => {
  h = await createHarness();
  const port: GroupInstructorsPort = {
    async groupInstructors(groupId: string) {
      g8.calls++;
      if (g8.down) throw errors.unavailable({ service: 'schedules' });
      return g8.byGroup.get(groupId) ?? [];
    },
  };
  Object.assign(h.schedules, port);
  g8.byGroup.set(h.fichaA.id, [h.x.id]);
});
afterAll(async () => h.close());
beforeEach(() => {
  h.clock.now = at(MONDAY, '06:05');
  h.users.down = false;
  g8.down = false;
});

const ALERTS = '/api/v1/attendance/alerts';
const EVALUATE = `${ALERTS}/evaluate`;
const LETTER: Record<string, string> = { P: 'PRESENT', T: 'LATE', A: 'ABSENT', J: 'JUSTIFIED', E: 'EXCUSED' };

/** A new apprentice of the ficha (not on the fake roster: their records are seeded). */
function newStudent(f: Ficha = h.fichaA): Person {
  return h.users.add({ role: 'aprendiz', group_id: f.id, group_number: f.number });
}

/** One CLOSED roll and record per session, oldest first: one a day from `from`, or `perDay` a day from 06:00 every 3 h. */
async function seed(student: Person, pattern: string, from: string, o: { ficha?: Ficha; perDay?: number; instructor?: Person } = {}) {
  const f = o.ficha ?? h.fichaA;
  const instructor = o.instructor ?? h.x;
  const perDay = o.perDay ?? 1;
  const ids: string[] = [];
  for (const [i, letter] of [...pattern].entries()) {
    const date = addDays(from, Math.floor(i / perDay));
    const start = `${String(6 + 3 * (i % perDay)).padStart(2, '0')}:00`;
    const scheduleId = randomUUID();
    const [roll] = await h.db.query<{ id: string }>(
      `INSERT INTO attendance.rolls (schedule_id, session_date, group_id, group_number, program_id, campus_id, venue_id, subject, start_time, end_time, start_at, end_at, instructor_id, status, opened_by, opened_at, was_closed)
       VALUES ($1, $2, $3, $4, $5, $5, $5, 'Programación', $6, '23:00', $7, $8, $9, 'CLOSED', $9, $7, true) RETURNING id::text AS id`,
      [scheduleId, date, f.id, f.number, randomUUID(), start, at(date, start), at(date, '23:00'), instructor.id],
    );
    const status = LETTER[letter];
    const [rec] = await h.db.query<{ id: string }>(
      `INSERT INTO attendance.records (roll_id, student_id, schedule_id, session_date, group_id, instructor_id, status, method, late_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'MANUAL', $8) RETURNING id::text AS id`,
      [roll.id, student.id, scheduleId, date, f.id, instructor.id, status, status === 'LATE' ? 20 : null],
    );
    ids.push(rec.id);
  }
  return ids;
}

async function evaluate(student: Person) {
  return expectOk(await h.inject('POST', EVALUATE, h.coordinador, { student_id: student.id }));
}

async function alertsOf(student: Person, state = 'OPEN,ACKNOWLEDGED,RESOLVED', type?: string) {
  return expectOk(await h.inject('GET', `${ALERTS}?student_id=${student.id}&state=${state}${type ? `&type=${type}` : ''}`, h.coordinador));
}

async function eventsFor(alertId: string) {
  const rows = await h.outbox();
  return {
    student: rows.filter((r) => r.body.type === 'attendance.alert_for_student' && r.body.entity_id === alertId),
    staff: rows.filter((r) => r.body.type === 'attendance.alert_for_staff' && r.body.entity_id === alertId),
  };
}

describe('US-ATT-13 consecutive absences', () => {
  it('given 2 prior ABSENT records, when the third is written at close, then one OPEN HIGH alert and one event for the student and one for staff (G8 instructors + coordinador)', async () => {
    const student = h.fichaA.apprentices[0];
    await seed(student, 'PAA', '2026-03-04');
    const s = h.addSession();
    const roll = expectOk(await h.inject('POST', '/api/v1/attendance/rolls', h.x, { schedule_id: s.schedule_id, session_date: s.date }), 201);
    const others = h.fichaA.apprentices.slice(1).map((p) => ({ student_id: p.id, status: 'PRESENT' }));
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll.id}/marks`, h.x, { marks: others }));
    const closed = expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll.id}/close`, h.x, {}));
    expect(closed.result.absent_marked).toBe(1);

    expect(await evaluate(student)).toEqual({ evaluated: 1, created: 1, escalated: 0, lowered: 0, resolved: 0 });
    const [alert] = await alertsOf(student);
    expect(alert).toMatchObject({ type: 'CONSECUTIVE_ABSENCES', level: 'HIGH', state: 'OPEN', source: 'AUTO', title: '3 inasistencias consecutivas sin justificar', student_name: student.full_name, group_number: '2826503' });
    expect(alert.data).toMatchObject({ max_run: 3, window_days: 30 });
    expect(alert.data.sessions).toHaveLength(3);
    expect(alert.level_history).toEqual([{ level: 'HIGH', at: h.clock.now.toISOString() }]);
    expect(alert.recommended_actions[0]).toBe('Llamar al aprendiz para conocer la causa');

    const ev = await eventsFor(alert.id);
    expect(ev.student).toHaveLength(1);
    expect(ev.staff).toHaveLength(1);
    expect(ev.student[0].idempotency_key).toBe(`attendance:attendance.alert_for_student:${alert.id}:HIGH-1`);
    expect(ev.student[0].body).toMatchObject({ target_users: [student.id], priority: 'high', entity_type: 'alert', data: { first_name: student.first_name, level_label: 'Alta', escalated: false, alert_url: `/asistencia/alertas/${alert.id}` } });
    expect(ev.staff[0].body).toMatchObject({ target_users: [h.x.id], target_roles: ['coordinador'], data: { student_id: student.id, student_name: student.full_name, group_number: '2826503', metrics: { max_run: 3 } } });
    expect((ev.staff[0].body.data as { recommended_actions: string[] }).recommended_actions).toHaveLength(4);

    // Evaluating again changes nothing and sends nothing.
    expect(await evaluate(student)).toMatchObject({ created: 0, escalated: 0 });
    expect((await eventsFor(alert.id)).student).toHaveLength(1);
  });

  it('given the run reaches 5, then the same alert becomes CRITICAL with escalated_at, notified again, and no second alert exists; an acknowledged alert reopens', async () => {
    const student = newStudent();
    await seed(student, 'AAA', '2026-03-02');
    await evaluate(student);
    const [first] = await alertsOf(student);
    expectOk(await h.inject('POST', `${ALERTS}/${first.id}/acknowledge`, h.x, {}));
    h.clock.now = at(MONDAY, '10:00');
    await seed(student, 'AA', '2026-03-05');
    // Five records, none attended: LOW_ATTENDANCE CRITICAL is created beside the escalation.
    expect(await evaluate(student)).toMatchObject({ created: 1, escalated: 1 });
    const list = await alertsOf(student, 'OPEN,ACKNOWLEDGED,RESOLVED', 'CONSECUTIVE_ABSENCES');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: first.id, level: 'CRITICAL', state: 'OPEN', escalated_at: h.clock.now.toISOString(), title: '5 inasistencias consecutivas sin justificar' });
    expect(list[0].level_history.map((e: { level: string }) => e.level)).toEqual(['HIGH', 'CRITICAL']);
    const ev = await eventsFor(first.id);
    expect(ev.student.map((e) => e.idempotency_key.split(':').pop())).toEqual(['HIGH-1', 'CRITICAL-2']);
    expect(ev.staff).toHaveLength(2);
    expect(ev.staff[1].body).toMatchObject({ priority: 'high', data: { escalated: true, level_label: 'Crítica' } });
  });

  it('given a run of exactly 3, when its middle absence is justified, then the next evaluation resolves the alert with AUTO_CLEARED', async () => {
    const student = newStudent();
    const ids = await seed(student, 'PAAA', '2026-03-01');
    await evaluate(student);
    await h.db.query("UPDATE attendance.records SET status = 'JUSTIFIED', method = 'JUSTIFICATION' WHERE id = $1", [ids[2]]);
    expect(await evaluate(student)).toMatchObject({ resolved: 1 });
    const [alert] = await alertsOf(student);
    expect(alert).toMatchObject({ type: 'CONSECUTIVE_ABSENCES', state: 'RESOLVED', resolution: 'AUTO_CLEARED', resolved_at: h.clock.now.toISOString() });
    expect(await alertsOf(student, 'OPEN')).toEqual([]);
  });

  it('when G8 cannot answer, then the staff event goes to role coordinador only; a LOW alert with no instructor today sends no staff event', async () => {
    g8.down = true;
    const student = newStudent();
    await seed(student, 'AAA', '2026-03-02');
    await evaluate(student);
    const [alert] = await alertsOf(student);
    const ev = await eventsFor(alert.id);
    expect(ev.staff[0].body.target_users).toBeUndefined();
    expect(ev.staff[0].body.target_roles).toEqual(['coordinador']);
    g8.down = false;

    const late = newStudent(h.fichaB);
    await seed(late, 'TTTT', '2026-03-02', { ficha: h.fichaB, instructor: h.y });
    await evaluate(late);
    const [lateAlert] = await alertsOf(late);
    expect(lateAlert).toMatchObject({ type: 'FREQUENT_LATENESS', level: 'LOW' });
    const lateEvents = await eventsFor(lateAlert.id);
    expect(lateEvents.student).toHaveLength(1);
    expect(lateEvents.student[0].body.priority).toBe('normal');
    expect(lateEvents.staff).toHaveLength(0);
  });
});

describe('US-ATT-14 low attendance and lateness', () => {
  it('given 20 records in 30 days with 13 attended, then LOW_ATTENDANCE HIGH (65 %); with 4 records only, none', async () => {
    const student = newStudent();
    await seed(student, 'PAPAPAPPAPAPAPPAPPPP', '2026-02-10');
    await evaluate(student);
    const list = await alertsOf(student);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ type: 'LOW_ATTENDANCE', level: 'HIGH', title: 'Asistencia del 65 % en los últimos 30 días', data: { pct: 65, attended: 13, scheduled: 20 } });
    expect(list[0].recommended_actions).toContain('Plan de mejoramiento con seguimiento semanal');

    const few = newStudent();
    await seed(few, 'PAAP', '2026-03-02');
    expect(await evaluate(few)).toMatchObject({ evaluated: 1, created: 0 });
    expect(await alertsOf(few)).toEqual([]);
  });

  it('given 4 LATE in 30 days, then FREQUENT_LATENESS LOW; at 8, MEDIUM', async () => {
    const student = newStudent();
    await seed(student, 'TTTT', '2026-02-20');
    await evaluate(student);
    const [low] = await alertsOf(student);
    expect(low).toMatchObject({ type: 'FREQUENT_LATENESS', level: 'LOW', title: '4 llegadas tarde en los últimos 30 días' });
    expect(low.recommended_actions).toContain('Recordar la tolerancia de 15 minutos');
    await seed(student, 'TTTT', '2026-03-01');
    expect(await evaluate(student)).toMatchObject({ escalated: 1 });
    const [medium] = await alertsOf(student);
    expect(medium).toMatchObject({ id: low.id, level: 'MEDIUM', title: '8 llegadas tarde en los últimos 30 días' });
    expect(Object.values(medium.data.by_weekday as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('given a DISMISSED LOW_ATTENDANCE alert, then no new one for 7 days unless the level would be higher; a lower level is lowered silently', async () => {
    const student = newStudent();
    await seed(student, 'PPAPPAPPAP', '2026-02-20');
    await evaluate(student);
    const [medium] = await alertsOf(student);
    expect(medium).toMatchObject({ type: 'LOW_ATTENDANCE', level: 'MEDIUM', title: 'Asistencia del 70 % en los últimos 30 días' });
    expectOk(await h.inject('POST', `${ALERTS}/${medium.id}/resolve`, h.coordinador, { resolution: 'DISMISSED', note: 'Ya se habló con el aprendiz' }));
    h.clock.now = at('2026-03-12', '07:00');
    expect(await evaluate(student)).toMatchObject({ created: 0 });
    await seed(student, 'A', '2026-03-10');
    expect(await evaluate(student)).toMatchObject({ created: 1 });
    const open = await alertsOf(student, 'OPEN');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ level: 'HIGH', title: 'Asistencia del 63,6 % en los últimos 30 días' });
    // Back above 70 %: lowered to MEDIUM, no new event.
    const before = (await eventsFor(open[0].id)).student.length;
    await seed(student, 'PPP', '2026-03-11', { perDay: 3 });
    expect(await evaluate(student)).toMatchObject({ lowered: 1 });
    const [lowered] = await alertsOf(student, 'OPEN');
    expect(lowered.level).toBe('MEDIUM');
    expect(lowered.level_history.map((e: { level: string }) => e.level)).toEqual(['HIGH', 'MEDIUM']);
    expect((await eventsFor(open[0].id)).student).toHaveLength(before);
  });

  it('given a HANDLED alert, then no new one while the condition holds at that level; once it stops holding, the next occurrence is new', async () => {
    const student = newStudent();
    const ids = await seed(student, 'PAAA', '2026-03-01');
    await evaluate(student);
    const [alert] = await alertsOf(student);
    expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, h.x, { resolution: 'HANDLED', note: 'Se acordó un plan de seguimiento' }));
    expect(await evaluate(student)).toMatchObject({ created: 0 });
    await h.db.query("UPDATE attendance.records SET status = 'PRESENT' WHERE id = $1", [ids[2]]);
    expect(await evaluate(student)).toMatchObject({ created: 0 });
    await h.db.query("UPDATE attendance.records SET status = 'ABSENT' WHERE id = $1", [ids[2]]);
    expect(await evaluate(student)).toMatchObject({ created: 1 });
  });
});

describe('US-ATT-15 follow-up and visibility', () => {
  it('given an OPEN alert, when X (assigned) acknowledges with a note, then ACKNOWLEDGED with the note; a second → 409 ALERT_NOT_OPEN; an instructor not assigned → 404', async () => {
    const student = newStudent();
    await seed(student, 'AAA', '2026-03-02');
    await evaluate(student);
    const [alert] = await alertsOf(student);
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, h.y, { note: 'Lo llamo hoy' }), 404, 'ALERT_NOT_FOUND');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, h.x, { note: 'no' }), 422, 'VALIDATION_ERROR');
    const res = await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, h.x, { note: 'Se llamó al aprendiz; reporta problemas de transporte.' });
    const data = expectOk(res);
    expect(data).toMatchObject({ state: 'ACKNOWLEDGED', acknowledged_by: h.x.id, acknowledged_by_name: h.x.full_name, acknowledged_at: h.clock.now.toISOString() });
    expect(data.notes).toEqual([expect.objectContaining({ author_id: h.x.id, author_name: h.x.full_name, author_role: 'instructor', body: 'Se llamó al aprendiz; reporta problemas de transporte.' })]);
    expect(res.json().links.resolve.href).toBe(`${ALERTS}/${alert.id}/resolve`);
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, h.coordinador), 409, 'ALERT_NOT_OPEN');

    // AL7 then AL6; a resolved alert takes neither notes nor a second resolution.
    const note = expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/notes`, h.coordinador, { body: 'Citado a coordinación el jueves' }), 201);
    expect(note).toMatchObject({ alert_id: alert.id, author_role: 'coordinador', author_name: h.coordinador.full_name });
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/notes`, h.coordinador, { body: 'x' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, h.x, { resolution: 'HANDLED', note: 'ok' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, h.x, { resolution: 'AUTO_CLEARED', note: 'Se resolvió' }), 422, 'VALIDATION_ERROR');
    const resolved = expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, h.x, { resolution: 'HANDLED', note: '  Plan de mejoramiento acordado  ' }));
    expect(resolved).toMatchObject({ state: 'RESOLVED', resolution: 'HANDLED', resolution_note: 'Plan de mejoramiento acordado', resolved_by_name: h.x.full_name });
    expect(resolved.notes).toHaveLength(2);
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, h.admin, { resolution: 'DISMISSED', note: 'Otra vez' }), 409, 'ALERT_RESOLVED');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/notes`, h.admin, { body: 'Nota tardía' }), 409, 'ALERT_RESOLVED');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, h.admin, {}), 409, 'ALERT_NOT_OPEN');
  });

  it('given the apprentice calls AL3 on their alert, then no notes, recommended_actions or data; AL5 → 403; AL8 sets student_seen_at once', async () => {
    const student = newStudent();
    await seed(student, 'AAA', '2026-03-02');
    await evaluate(student);
    const [alert] = await alertsOf(student);
    expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/notes`, h.x, { body: 'Nota privada del personal' }), 201);
    const res = await h.inject('GET', `${ALERTS}/${alert.id}`, student);
    const mine = expectOk(res);
    expect(mine).toMatchObject({ id: alert.id, title: alert.title, level: 'HIGH', student_seen_at: null });
    for (const hidden of ['notes', 'recommended_actions', 'data', 'acknowledged_by_name', 'resolved_by_name', 'created_by', 'resolution_note']) expect(mine).not.toHaveProperty(hidden);
    expect(res.json().links).toBeUndefined();
    const list = expectOk(await h.inject('GET', ALERTS, student));
    expect(list.map((a: { id: string }) => a.id)).toEqual([alert.id]);
    expect(list[0]).not.toHaveProperty('data');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, student, {}), 403, 'INSUFFICIENT_PERMISSIONS');
    expectError(await h.inject('GET', `${ALERTS}/${alert.id}`, h.fichaA.apprentices[5]), 404, 'ALERT_NOT_FOUND');
    expectError(await h.inject('POST', `${ALERTS}/${alert.id}/seen`, h.fichaA.apprentices[5]), 404, 'ALERT_NOT_FOUND');
    expectError(await h.inject('GET', `${ALERTS}?student_id=${h.fichaA.apprentices[5].id}`, student), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${ALERTS}?group_id=${h.fichaB.id}`, student), 403, 'OUT_OF_SCOPE');

    const seen = expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/seen`, student));
    expect(seen.student_seen_at).toBe(h.clock.now.toISOString());
    expect(seen).not.toHaveProperty('recommended_actions');
    h.clock.now = at(MONDAY, '08:00');
    expect(expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/seen`, student)).student_seen_at).toBe(at(MONDAY, '06:05').toISOString());
    const staff = expectOk(await h.inject('GET', `${ALERTS}/${alert.id}`, h.coordinador));
    expect(staff.notes).toHaveLength(1);
    expect(staff.data).toMatchObject({ max_run: 3 });
  });

  it('given AL1 as coordinador, then CRITICAL first (by severity, not by text); an OPEN alert 8 days old shows overdue=true', async () => {
    const student = newStudent();
    for (const level of ['LOW', 'CRITICAL', 'MEDIUM', 'HIGH']) {
      expectOk(await h.inject('POST', ALERTS, h.coordinador, { student_id: student.id, level, title: `Seguimiento ${level}`, message: 'El aprendiz informa un cambio de residencia.' }), 201);
    }
    const list = await alertsOf(student, 'OPEN');
    expect(list.map((a: { level: string }) => a.level)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    const asc = expectOk(await h.inject('GET', `${ALERTS}?student_id=${student.id}&sort=level`, h.coordinador));
    expect(asc.map((a: { level: string }) => a.level)).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
    const page = await h.inject('GET', `${ALERTS}?student_id=${student.id}&level=HIGH,CRITICAL&page_size=1&sort=-created_at`, h.coordinador);
    expect(expectOk(page)).toHaveLength(1);
    expect(page.json().meta.pagination.total).toBe(2);
    expect(list.every((a: { overdue: boolean; days_open: number }) => !a.overdue && a.days_open === 0)).toBe(true);
    expectOk(await h.inject('POST', `${ALERTS}/${list[1].id}/acknowledge`, h.coordinador, {}));

    h.clock.now = at('2026-03-17', '07:00');
    const later = await alertsOf(student, 'OPEN,ACKNOWLEDGED');
    const byLevel = Object.fromEntries(later.map((a: { level: string }) => [a.level, a]));
    expect(byLevel.CRITICAL).toMatchObject({ overdue: true, days_open: 8 });
    expect(byLevel.HIGH).toMatchObject({ state: 'ACKNOWLEDGED', overdue: false });
    const overdue = expectOk(await h.inject('GET', `${ALERTS}?student_id=${student.id}&overdue=true`, h.coordinador));
    expect(overdue).toHaveLength(3);
    expect(expectOk(await h.inject('GET', `${ALERTS}?student_id=${student.id}&overdue=false`, h.coordinador))).toHaveLength(1);
    const stats = expectOk(await h.inject('GET', `${ALERTS}/stats?student_id=${student.id}`, h.coordinador));
    expect(stats).toEqual({
      total: 4,
      by_state: { OPEN: 3, ACKNOWLEDGED: 1, RESOLVED: 0 },
      by_level: { LOW: 1, MEDIUM: 1, HIGH: 1, CRITICAL: 1 },
      by_type: { CONSECUTIVE_ABSENCES: 0, LOW_ATTENDANCE: 0, FREQUENT_LATENESS: 0, CUSTOM: 4 },
      overdue: 3,
      unseen_by_student: 4,
    });
    expectError(await h.inject('GET', `${ALERTS}?state=GONE`, h.coordinador), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('GET', `${ALERTS}?sort=title`, h.coordinador), 422, 'VALIDATION_ERROR');
  });
});

describe('AL4 custom alerts and instructor scope (O2)', () => {
  it('when X creates a CUSTOM alert for an assigned apprentice, then 201, source MANUAL and no event; outside the reach 403; unknown or not an apprentice 404', async () => {
    const student = h.fichaA.apprentices[7];
    const before = (await h.outbox()).length;
    const res = await h.inject('POST', ALERTS, h.x, { student_id: student.id, level: 'LOW', title: 'Seguimiento por cambio de residencia', message: 'El aprendiz informa que se mudó a Soacha y tarda más de dos horas en llegar.' });
    const created = expectOk(res, 201);
    expect(created).toMatchObject({ type: 'CUSTOM', source: 'MANUAL', level: 'LOW', state: 'OPEN', created_by: h.x.id, group_id: h.fichaA.id, group_number: '2826503', recommended_actions: [], notes: [] });
    expect((await h.outbox()).length).toBe(before);
    expectError(await h.inject('POST', ALERTS, h.x, { student_id: h.fichaB.apprentices[0].id, level: 'LOW', title: 'Seguimiento', message: 'Mensaje de seguimiento' }), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('POST', ALERTS, h.admin, { student_id: randomUUID(), level: 'LOW', title: 'Seguimiento', message: 'Mensaje de seguimiento' }), 404, 'STUDENT_NOT_FOUND');
    expectError(await h.inject('POST', ALERTS, h.admin, { student_id: h.y.id, level: 'LOW', title: 'Seguimiento', message: 'Mensaje de seguimiento' }), 404, 'STUDENT_NOT_FOUND');
    expectError(await h.inject('POST', ALERTS, h.admin, { student_id: student.id, level: 'LOW', title: '     ok    ', message: 'Mensaje de seguimiento' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('POST', ALERTS, h.admin, { student_id: student.id, level: 'LOW', title: 'Seguimiento', message: '   corto         ' }), 422, 'VALIDATION_ERROR');
    expectError(await h.inject('POST', ALERTS, h.admin, { student_id: student.id, level: 'URGENT', title: 'Seguimiento', message: 'Mensaje de seguimiento' }), 422, 'VALIDATION_ERROR');
    h.users.down = true;
    expectError(await h.inject('POST', ALERTS, h.admin, { student_id: student.id, level: 'LOW', title: 'Seguimiento', message: 'Mensaje de seguimiento' }), 503, 'SERVICE_UNAVAILABLE');
    // Reads go on without names (R45).
    const read = await h.inject('GET', `${ALERTS}/${created.id}`, h.admin);
    expect(expectOk(read).student_name).toBeNull();
    expect(read.json().meta.warnings).toEqual(['USERS_UNAVAILABLE']);
  });

  it('when instructors list, then each sees the alerts of the fichas assigned to them; a ficha outside → 403, a student outside → 403', async () => {
    const a = newStudent();
    const b = newStudent(h.fichaB);
    for (const s of [a, b]) expectOk(await h.inject('POST', ALERTS, h.admin, { student_id: s.id, level: 'MEDIUM', title: 'Seguimiento de prueba', message: 'Mensaje de seguimiento de prueba' }), 201);
    const xs = expectOk(await h.inject('GET', `${ALERTS}?page_size=100&type=CUSTOM`, h.x));
    expect(xs.length).toBeGreaterThan(0);
    expect(xs.every((x: { group_id: string }) => x.group_id === h.fichaA.id)).toBe(true);
    const ys = expectOk(await h.inject('GET', `${ALERTS}?page_size=100`, h.y));
    expect(ys.some((x: { student_id: string }) => x.student_id === b.id)).toBe(true);
    expect(ys.every((x: { group_id: string }) => x.group_id === h.fichaB.id)).toBe(true);
    expectError(await h.inject('GET', `${ALERTS}?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${ALERTS}?student_id=${b.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expectError(await h.inject('GET', `${ALERTS}/stats?group_id=${h.fichaB.id}`, h.x), 403, 'OUT_OF_SCOPE');
    expect(expectOk(await h.inject('GET', `${ALERTS}?group_id=${h.fichaA.id}&student_id=${a.id}`, h.x))).toHaveLength(1);
    const stats = expectOk(await h.inject('GET', `${ALERTS}/stats?type=CUSTOM`, h.y));
    expect(stats.total).toBe(ys.filter((x: { type: string }) => x.type === 'CUSTOM').length);
    // Y taught a roll of ficha A: that apprentice's alerts come into Y's reach.
    await seed(a, 'P', '2026-03-02', { instructor: h.y });
    expect(expectOk(await h.inject('GET', `${ALERTS}?student_id=${a.id}`, h.y))).toHaveLength(1);
  });
});

describe('AL9 evaluation on demand', () => {
  it('when a full run is under way, then a second one → 409 EVALUATION_RUNNING; the run evaluates every student with records in W or an open AUTO alert', async () => {
    const student = newStudent();
    await seed(student, 'AAAAA', '2026-03-02');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const lookup = h.users.lookup;
    h.users.lookup = async (ids) => {
      entered();
      await gate;
      return lookup(ids);
    };
    const first = h.inject('POST', EVALUATE, h.admin);
    await inside;
    expectError(await h.inject('POST', EVALUATE, h.coordinador, {}), 409, 'EVALUATION_RUNNING');
    release();
    const result = expectOk(await first);
    h.users.lookup = lookup;
    expect(result.evaluated).toBeGreaterThan(10);
    expect(result.created).toBeGreaterThanOrEqual(2);
    const mine = await alertsOf(student);
    expect(mine.map((a: { type: string; level: string }) => `${a.type}:${a.level}`).sort()).toEqual(['CONSECUTIVE_ABSENCES:CRITICAL', 'LOW_ATTENDANCE:CRITICAL']);
    // A second full run finds nothing new; a ficha run evaluates only that ficha.
    expect(expectOk(await h.inject('POST', EVALUATE, h.coordinador, {}))).toMatchObject({ created: 0, escalated: 0 });
    const ficha = expectOk(await h.inject('POST', EVALUATE, h.coordinador, { group_id: h.fichaB.id }));
    expect(ficha.evaluated).toBeGreaterThan(0);
  });

  it.runIf(process.env.DATABASE_URL)('when another replica holds the full-run lock (PostgreSQL), then AL9 without filters → 409; filtered runs go on', async () => {
    const client = await h.db.pool!.connect();
    const key = advisoryKey('attendance.alerts.full-evaluation').toString();
    try {
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      expectError(await h.inject('POST', EVALUATE, h.coordinador, {}), 409, 'EVALUATION_RUNNING');
      expectOk(await h.inject('POST', EVALUATE, h.coordinador, { group_id: h.fichaB.id }));
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      client.release();
    }
    expectOk(await h.inject('POST', EVALUATE, h.coordinador, {}));
  });

  it('when records leave the window, then the nightly-style run clears the alert (students with an unresolved AUTO alert are evaluated)', async () => {
    const student = newStudent();
    await seed(student, 'AAA', '2026-02-12');
    await evaluate(student);
    expect(await alertsOf(student, 'OPEN')).toHaveLength(1);
    h.clock.now = at('2026-03-20', '07:00');
    expect(await evaluate(student)).toMatchObject({ evaluated: 1, resolved: 1 });
  });
});

describe('nightly run (R34, R36)', () => {
  /** The nightly job's use case over the harness's database and clock, as the scheduler runs it. */
  function nightly() {
    const deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
    const evaluation = createAlertEvaluation(deps, createSettingsService(deps));
    const job = alertsNightlyJob(evaluation, deps.timeZone);
    expect(job).toMatchObject({ name: 'alerts-nightly', cron: '0 23 * * *', timeZone: 'America/Bogota' });
    return evaluation.nightly();
  }

  it('when the debounced job calls evaluateStudents for the students whose records changed, then only they are evaluated', async () => {
    const deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
    const evaluation = createAlertEvaluation(deps, createSettingsService(deps));
    const [a, b] = [newStudent(), newStudent()];
    await seed(a, 'AAA', '2026-03-02');
    await seed(b, 'AAA', '2026-03-02');
    expect(await evaluation.evaluateStudents([a.id, a.id])).toEqual({ evaluated: 1, created: 1, escalated: 0, lowered: 0, resolved: 0 });
    expect(await alertsOf(b)).toEqual([]);
    expect(await evaluation.evaluateStudents([])).toMatchObject({ evaluated: 0 });
  });

  it('given an OPEN alert 8 days old, when the nightly job runs twice, then exactly one attendance.alert_overdue to role coordinador', async () => {
    const student = newStudent();
    const alert = expectOk(await h.inject('POST', ALERTS, h.coordinador, { student_id: student.id, level: 'HIGH', title: 'Seguimiento vencido', message: 'Alerta que nadie atendió a tiempo' }), 201);
    h.clock.now = at('2026-03-16', '06:00');
    await nightly();
    expect((await h.outbox('attendance.alert_overdue')).filter((e) => e.body.entity_id === alert.id)).toHaveLength(0);
    h.clock.now = at('2026-03-17', '23:00');
    const first = await nightly();
    expect(first.overdue_notified).toBeGreaterThanOrEqual(1);
    const events = (await h.outbox('attendance.alert_overdue')).filter((e) => e.body.entity_id === alert.id);
    expect(events).toHaveLength(1);
    expect(events[0].idempotency_key).toBe(`attendance:attendance.alert_overdue:${alert.id}:1`);
    expect(events[0].body).toMatchObject({ target_roles: ['coordinador'], priority: 'normal', data: { student_name: student.full_name, group_number: '2826503', title: 'Seguimiento vencido', level_label: 'Alta', days_open: 8 } });
    expect(events[0].body.target_users).toBeUndefined();
    expect((await nightly()).overdue_notified).toBe(0);
    expect((await h.outbox('attendance.alert_overdue')).filter((e) => e.body.entity_id === alert.id)).toHaveLength(1);
    const read = expectOk(await h.inject('GET', `${ALERTS}/${alert.id}`, h.coordinador));
    expect(read).toMatchObject({ overdue: true, overdue_notified_at: h.clock.now.toISOString() });
  });

  it('given an apprentice who became inactive, when the nightly job runs, then their open alerts are RESOLVED with STUDENT_INACTIVE; with users down nothing is resolved as inactive', async () => {
    const student = newStudent();
    await seed(student, 'AAA', '2026-03-02');
    await evaluate(student);
    expectOk(await h.inject('POST', ALERTS, h.coordinador, { student_id: student.id, level: 'LOW', title: 'Seguimiento manual', message: 'Seguimiento manual del aprendiz' }), 201);
    h.users.people.get(student.id)!.is_active = false;
    h.users.down = true;
    await nightly();
    expect(await alertsOf(student, 'OPEN')).toHaveLength(2);
    h.users.down = false;
    await nightly();
    const all = await alertsOf(student);
    expect(all.map((a: { state: string; resolution: string }) => `${a.state}:${a.resolution}`)).toEqual(['RESOLVED:STUDENT_INACTIVE', 'RESOLVED:STUDENT_INACTIVE']);
  });
});

describe('permission matrix: AL1–AL9 role by role', () => {
  it('every role gets its row of §2', async () => {
    const student = h.fichaA.apprentices[9];
    const alert = expectOk(await h.inject('POST', ALERTS, h.coordinador, { student_id: student.id, level: 'LOW', title: 'Alerta de matriz', message: 'Mensaje de la matriz de permisos' }), 201);
    const people: Record<string, Person | string> = { admin: h.admin, coordinador: h.coordinador, administrativo: 'administrativo', instructor: h.x, aprendiz: student, service: 'service' };
    const allowed = {
      AL1: ['admin', 'coordinador', 'instructor', 'aprendiz'],
      AL2: ['admin', 'coordinador', 'instructor', 'aprendiz'],
      AL3: ['admin', 'coordinador', 'instructor', 'aprendiz'],
      AL4: ['admin', 'coordinador', 'instructor'],
      AL7: ['admin', 'coordinador', 'instructor'],
      AL8: ['aprendiz'],
      AL9: ['admin', 'coordinador'],
    } as const;
    const calls: Record<keyof typeof allowed, [string, string, unknown?]> = {
      AL1: ['GET', ALERTS],
      AL2: ['GET', `${ALERTS}/stats`],
      AL3: ['GET', `${ALERTS}/${alert.id}`],
      AL4: ['POST', ALERTS, { student_id: student.id, level: 'LOW', title: 'Alerta de matriz', message: 'Mensaje de la matriz de permisos' }],
      AL7: ['POST', `${ALERTS}/${alert.id}/notes`, { body: 'Nota de la matriz' }],
      AL8: ['POST', `${ALERTS}/${alert.id}/seen`],
      AL9: ['POST', EVALUATE, { student_id: student.id }],
    };
    for (const role of ROLES) {
      for (const [id, [method, url, body]] of Object.entries(calls) as Array<[keyof typeof allowed, [string, string, unknown?]]>) {
        const res = await h.inject(method, url, people[role], body);
        if ((allowed[id] as readonly string[]).includes(role)) expect(res.statusCode, `${id} ${role}`).toBeLessThan(300);
        else expectError(res, 403, 'INSUFFICIENT_PERMISSIONS');
      }
    }
    // AL5 and AL6 last (they change the state): denied roles first, then the allowed ones.
    for (const role of ['administrativo', 'aprendiz', 'service']) {
      expectError(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, people[role], {}), 403, 'INSUFFICIENT_PERMISSIONS');
      expectError(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, people[role], { resolution: 'HANDLED', note: 'Resuelta en matriz' }), 403, 'INSUFFICIENT_PERMISSIONS');
    }
    expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/acknowledge`, h.x));
    expectOk(await h.inject('POST', `${ALERTS}/${alert.id}/resolve`, h.x, { resolution: 'HANDLED', note: 'Resuelta en matriz' }));
    for (const who of [h.admin, h.coordinador]) {
      const other = expectOk(await h.inject('POST', ALERTS, who, { student_id: student.id, level: 'LOW', title: 'Alerta de matriz', message: 'Mensaje de la matriz de permisos' }), 201);
      expectOk(await h.inject('POST', `${ALERTS}/${other.id}/acknowledge`, who, {}));
      expectOk(await h.inject('POST', `${ALERTS}/${other.id}/resolve`, who, { resolution: 'DISMISSED', note: 'Resuelta en matriz' }));
    }
    expectError(await h.inject('GET', `${ALERTS}/${randomUUID()}`, h.admin), 404, 'ALERT_NOT_FOUND');
  });
});
