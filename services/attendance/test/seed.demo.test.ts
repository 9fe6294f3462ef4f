/**
 * The demo seed (§11) on the harness: the demo people and fichas of the users and schedules demos faked
 * at the ports (the schedules demo's weekly entries from M − 14, M the Monday of D's week), the seed run
 * at D = Wednesday 2026-03-18 08:00 Bogotá (no holiday in the window), then read back through the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/domain/time.ts';
import { CUSTOM_ALERT_ID, DEMO_FICHAS, demoUserId, seedJustificationId } from '../src/seed/demo.data.ts';
import { DEMO_SEED, seedAttendanceDemo } from '../src/seed/demo.seed.ts';
import { createHarness, type Harness } from './harness.ts';

const D = '2026-03-18';
const M = '2026-03-16';
// [nn, ficha, ISO weekday, start, end, subject, instructor NN] — schedules' demo entries.
const ENTRIES: Array<[number, 1 | 2, number, string, string, string, number]> = [
  [1, 1, 1, '06:00', '09:00', 'Construcción de software: backend', 12], [2, 1, 1, '09:00', '12:00', 'Inglés técnico', 13],
  [3, 1, 2, '06:00', '09:00', 'Bases de datos: modelado y SQL', 11], [4, 1, 2, '09:00', '12:00', 'Ética y emprendimiento', 14],
  [5, 1, 3, '06:00', '09:00', 'Análisis y diseño de sistemas', 10], [6, 1, 3, '09:00', '12:00', 'Matemáticas aplicadas', 15],
  [7, 1, 4, '06:00', '09:00', 'Construcción de software: frontend', 12], [8, 1, 4, '09:00', '12:00', 'Bases de datos: modelado y SQL', 11],
  [9, 1, 5, '06:00', '09:00', 'Análisis y diseño de sistemas', 10], [10, 1, 5, '09:00', '11:00', 'Inglés técnico', 13],
  [11, 2, 1, '12:00', '15:00', 'Lógica de programación', 10], [12, 2, 1, '15:00', '18:00', 'Matemáticas básicas', 15],
  [13, 2, 2, '12:00', '15:00', 'Programación orientada a objetos', 12], [14, 2, 2, '15:00', '18:00', 'Inglés técnico', 13],
  [15, 2, 3, '12:00', '15:00', 'Bases de datos', 11], [16, 2, 3, '15:00', '18:00', 'Ética y emprendimiento', 14],
  [17, 2, 4, '12:00', '15:00', 'Soporte y mantenimiento de equipos', 15], [18, 2, 4, '15:00', '18:00', 'Lógica de programación', 10],
  [19, 2, 5, '12:00', '15:00', 'Programación orientada a objetos', 12], [20, 2, 5, '15:00', '17:00', 'Bases de datos', 11],
];
const TABLES = ['rolls', 'records', 'record_changes', 'justifications', 'justification_items', 'evidence_files', 'alerts', 'alert_notes', 'outbox', 'evaluation_queue', 'seed_runs'];

let h: Harness;

async function counts() {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM attendance.${t}`))[0].n);
  return out;
}

function demoWorld() {
  const fichas = { 1: { id: DEMO_FICHAS['2826503'], number: '2826503', apprentices: [] }, 2: { id: DEMO_FICHAS['2901817'], number: '2901817', apprentices: [] } };
  const staff = new Map([2, 10, 11, 12, 13, 14, 15].map((nn) => [nn, h.users.add({ id: demoUserId(nn), role: nn === 2 ? 'coordinador' : 'instructor', first_name: `Staff${nn}`, last_name: 'Demo' })]));
  for (const [start, f] of [[21, 1], [41, 2]] as const) {
    const roster = [];
    for (let nn: number = start; nn < start + 15; nn++) {
      const p = h.users.add({ id: demoUserId(nn), role: 'aprendiz', first_name: `Aprendiz${nn}`, last_name: 'Demo', group_id: fichas[f].id, group_number: fichas[f].number, is_active: nn !== 35 && nn !== 55 });
      // The inactive ones are listed too: the seed also checks U12's active state.
      roster.push({ id: p.id, first_name: p.first_name, last_name: p.last_name, full_name: p.full_name, document_number: p.document_number ?? null });
    }
    h.schedules.rosters.set(fichas[f].id, roster);
  }
  h.schedules.groupInstructorIds.set(fichas[1].id, [demoUserId(10)]);
  h.schedules.groupInstructorIds.set(fichas[2].id, [demoUserId(11)]);
  for (let date = addDays(M, -14); date <= addDays(D, 7); date = addDays(date, 1)) {
    const weekday = ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    for (const [nn, f, dow, start, end, subject, ins] of ENTRIES) {
      if (dow === weekday) h.addSession({ scheduleId: `5eed0006-0000-4000-8000-${String(nn).padStart(12, '0')}`, date, start, end, subject, ficha: fichas[f], instructor: staff.get(ins)! });
    }
  }
}

const seed = () => seedAttendanceDemo(h.db, { schedules: h.schedules, users: h.users, now: () => h.clock.now });

beforeAll(async () => {
  h = await createHarness(`${D}T13:00:00Z`);
  demoWorld();
});
afterAll(async () => h?.close());

describe('demo seed (§11)', () => {
  it('when the seed runs on the demo world, then the rolls, records, justifications and alerts of §11 exist and nothing is notified', async () => {
    expect(await seed()).toBe(true);

    // 2826503: its 20 most recent sessions; 2901817: every session before D but the newest (M − 14 … D − 1: 24 each).
    const rolls = await h.db.query<{ group_number: string; n: number; closed: number }>(
      `SELECT group_number, count(*)::int AS n, count(*) FILTER (WHERE status = 'CLOSED' AND close_method = 'MANUAL')::int AS closed FROM attendance.rolls GROUP BY group_number ORDER BY group_number`,
    );
    expect(rolls).toEqual([{ group_number: '2826503', n: 20, closed: 20 }, { group_number: '2901817', n: 23, closed: 23 }]);
    const missing = await h.inject('GET', `/api/v1/attendance/reports/missing-rolls?date=${addDays(D, -1)}&group_id=${DEMO_FICHAS['2901817']}`, h.coordinador);
    expect(missing.json().data.sessions_missing).toBe(1);

    const records = await h.inject('GET', `/api/v1/attendance/records?student_id=${demoUserId(22)}&start_date=${addDays(D, -28)}&end_date=${D}&page_size=100&sort=session_date,start_time`, h.coordinador);
    expect(records.json().data.map((r: any) => r.status[0]).join('')).toBe('AAAPAPAPAPAPPPPPPPPP');
    const dani = await h.inject('GET', `/api/v1/attendance/summary?student_id=${demoUserId(26)}&start_date=${addDays(D, -28)}&end_date=${D}`, h.coordinador);
    expect(dani.json().data).toMatchObject({ total_records: 20, attendance_pct: 55, current_consecutive_absent: 5 });
    const late = await h.inject('GET', `/api/v1/attendance/records?student_id=${demoUserId(24)}&status=LATE&start_date=${addDays(D, -28)}&end_date=${D}`, h.coordinador);
    expect(late.json().data).toHaveLength(6);
    expect(late.json().data[0]).toMatchObject({ method: 'QR_SCAN', late_minutes: 20 });
    const joined = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM attendance.records WHERE student_id = $1`, [demoUserId(34)]);
    expect(joined[0].n).toBe(4);
    const inactive = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM attendance.records WHERE student_id IN ($1, $2)`, [demoUserId(35), demoUserId(55)]);
    expect(inactive[0].n).toBe(0);

    // The justifications: approved (record JUSTIFIED), pending (PNG), rejected, advance notice (record EXCUSED).
    const js = await h.inject('GET', `/api/v1/attendance/justifications?start_date=${addDays(D, -28)}&end_date=${D}&page_size=10`, h.coordinador);
    const byId = new Map(js.json().data.map((j: any) => [j.id, j]));
    expect(byId.get(seedJustificationId(1))).toMatchObject({ status: 'APPROVED', type: 'MEDICAL', review_comment: 'Soporte válido', items: [{ record_status: 'JUSTIFIED', applied: true }], files: [{ media_type: 'application/pdf' }] });
    expect(byId.get(seedJustificationId(2))).toMatchObject({ status: 'PENDING', items: [{ record_status: 'ABSENT', applied: false }], files: [{ media_type: 'image/png' }] });
    expect(byId.get(seedJustificationId(3))).toMatchObject({ status: 'REJECTED', type: 'PERSONAL', items: [{ record_status: 'ABSENT' }] });
    expect(byId.get(seedJustificationId(4))).toMatchObject({ status: 'APPROVED', kind: 'ADVANCE_NOTICE', reviewed_by: demoUserId(2), items: [{ record_status: 'EXCUSED', applied: true }] });
    const pdf = await h.inject('GET', (byId.get(seedJustificationId(1)) as any).files[0].download_url.replace(/^.*(\/api\/)/, '$1'), h.coordinador);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // The alerts §11 lists, and no other.
    const list = await h.inject('GET', '/api/v1/attendance/alerts?page_size=50', h.coordinador);
    const got = list.json().data.map((a: any) => `${Number(a.student_id.slice(-12))} ${a.type} ${a.level} ${a.state}`).sort();
    expect(got).toEqual(
      [
        '22 CONSECUTIVE_ABSENCES HIGH OPEN',
        '22 LOW_ATTENDANCE HIGH OPEN',
        '24 FREQUENT_LATENESS LOW OPEN',
        '26 CONSECUTIVE_ABSENCES CRITICAL OPEN',
        '26 LOW_ATTENDANCE CRITICAL OPEN',
        '28 CUSTOM LOW OPEN',
        '41 CONSECUTIVE_ABSENCES HIGH ACKNOWLEDGED',
        '50 FREQUENT_LATENESS LOW OPEN',
      ].sort(),
    );
    const kevin = list.json().data.find((a: any) => a.student_id === demoUserId(41));
    const detail = await h.inject('GET', `/api/v1/attendance/alerts/${kevin.id}`, h.coordinador);
    expect(detail.json().data).toMatchObject({ acknowledged_by: demoUserId(11), notes: [{ body: 'Se llamó al aprendiz; reporta problemas de transporte, se acordó seguimiento.' }] });
    const custom = await h.inject('GET', `/api/v1/attendance/alerts/${CUSTOM_ALERT_ID}`, h.coordinador);
    expect(custom.json().data).toMatchObject({ source: 'MANUAL', created_by: demoUserId(12), title: 'Seguimiento por cambio de residencia' });

    // No notification for seeded data, and nothing left for the debounced run to notify.
    const c = await counts();
    expect(c.outbox).toBe(0);
    expect(c.evaluation_queue).toBe(0);
  });

  it('when the seed runs again, then nothing changes', async () => {
    const before = await counts();
    expect(await seed()).toBe(false);
    expect(await counts()).toEqual(before);
    const runs = await h.db.query<{ name: string }>(`SELECT name FROM attendance.seed_runs ORDER BY name`);
    expect(runs.map((r) => r.name)).toEqual([DEMO_SEED, `${DEMO_SEED}:started`]);
  });

  it('when a run was interrupted after the first rolls, then the next one completes the same data without duplicates', async () => {
    const full = await counts();
    // Undo the completion and the later steps, as if the first start had stopped after the rolls.
    await h.db.query(`DELETE FROM attendance.seed_runs WHERE name = $1`, [DEMO_SEED]);
    await h.db.query(`DELETE FROM attendance.justification_items`);
    await h.db.query(`DELETE FROM attendance.alert_notes`);
    await h.db.query(`DELETE FROM attendance.alerts`);
    // A later clock: D stays the first attempt's date.
    h.clock.now = new Date(`${addDays(D, 1)}T13:00:00Z`);
    expect(await seed()).toBe(true);
    expect(await counts()).toEqual(full);
  });
});
