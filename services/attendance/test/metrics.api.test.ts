/**
 * §7's metrics on the service's /metrics: scans by outcome, records written by method and status, rolls
 * closed by method, unresolved alerts by type and level (read at scrape time) and job durations — after
 * real requests through HTTP.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase } from '@sicora/platform/testing/db';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createTestKeys } from '@sicora/platform/testing/keys';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fakeSchedules, fakeUsers } from './fakes.ts';
import { at, createHarness, MONDAY, type Harness } from './harness.ts';
import { J, submit } from './justifications.fixtures.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness(at(MONDAY, '06:10').toISOString());
});
afterAll(async () => h.close());

type Series = { labels: Record<string, string>; value: number };

/** The samples of one metric in Prometheus text format. */
function samples(text: string, name: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

/** name{labels} → value for every series of `name`, keyed by the listed labels joined with `/`. */
async function scrape(app: Harness['app'], name: string, keys: string[]): Promise<Record<string, number>> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return Object.fromEntries(samples(res.body, name).map((s) => [keys.map((k) => s.labels[k]).join('/'), s.value]));
}

describe('§7 metrics', () => {
  it('after scans, marks, a close and an approval, the counters carry their labels and values', async () => {
    const s = h.addSession({});
    const [p0, p1, p2] = h.fichaA.apprentices;
    const code = expectOk(await h.inject('POST', '/api/v1/attendance/qr/codes', p0, { schedule_id: s.schedule_id, device_id: randomUUID() }), 201);
    const scan = expectOk(await h.inject('POST', '/api/v1/attendance/qr/scan', h.x, { code: code.code, schedule_id: s.schedule_id }), 201);
    expect(scan.outcome).toBe('RECORDED');
    // R19's replay writes nothing and is counted apart; a forged code is counted by its refusal code.
    expect(expectOk(await h.inject('POST', '/api/v1/attendance/qr/scan', h.x, { code: code.code, schedule_id: s.schedule_id }))).toMatchObject({ replayed: true });
    expectError(await h.inject('POST', '/api/v1/attendance/qr/scan', h.x, { code: `SQ1.${'A'.repeat(45)}`, schedule_id: s.schedule_id }), 400, 'QR_INVALID');
    expect(await scrape(h.app, 'attendance_qr_scans_total', ['outcome'])).toEqual({ RECORDED: 1, REPLAYED: 1, QR_INVALID: 1 });
    expect(await scrape(h.app, 'attendance_records_written_total', ['method', 'status'])).toEqual({ 'QR_SCAN/PRESENT': 1 });

    const roll = scan.roll.id as string;
    expectOk(await h.inject('PUT', `/api/v1/attendance/rolls/${roll}/marks`, h.x, { marks: [{ student_id: p1.id, status: 'LATE', late_minutes: 10 }, { student_id: p2.id, status: 'ABSENT' }] }));
    // An all-or-nothing batch refused (R6) writes, and counts, nothing.
    expectError(await h.inject('PUT', `/api/v1/attendance/rolls/${roll}/marks`, h.x, { marks: [{ student_id: h.fichaB.apprentices[0].id, status: 'PRESENT' }] }), 422, 'MARKS_VALIDATION_FAILED');
    expect(await scrape(h.app, 'attendance_rolls_closed_total', ['close_method'])).toEqual({});
    expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll}/close`, h.x, {}));
    // A second close of a CLOSED roll is idempotent: not a second close.
    expectOk(await h.inject('POST', `/api/v1/attendance/rolls/${roll}/close`, h.x, {}));
    expect(await scrape(h.app, 'attendance_rolls_closed_total', ['close_method'])).toEqual({ MANUAL: 1 });
    expect(await scrape(h.app, 'attendance_records_written_total', ['method', 'status'])).toEqual({ 'QR_SCAN/PRESENT': 1, 'MANUAL/LATE': 1, 'MANUAL/ABSENT': 1, 'ROLL_CLOSE/ABSENT': 11 });

    // R26's approval writes through the same unit of work: JUSTIFICATION/JUSTIFIED.
    h.clock.now = at(MONDAY, '10:00');
    const j = expectOk(await submit(h, p2, { sessions: [s] }), 201);
    expectOk(await h.inject('POST', `${J}/${j.id}/review`, h.x, { decision: 'APPROVED', comment: 'Soporte válido' }));
    expect((await scrape(h.app, 'attendance_records_written_total', ['method', 'status']))['JUSTIFICATION/JUSTIFIED']).toBe(1);
    const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(samples(text, 'attendance_rolls_closed_total')[0].labels).toEqual({ close_method: 'MANUAL', service: 'attendance' });
  });

  it('attendance_alerts_open counts unresolved alerts by type and level at scrape time, 0 once resolved', async () => {
    const before = await scrape(h.app, 'attendance_alerts_open', ['type', 'level']);
    expect(Object.keys(before)).toHaveLength(16);
    const alert = expectOk(await h.inject('POST', '/api/v1/attendance/alerts', h.x, { student_id: h.fichaA.apprentices[7].id, level: 'MEDIUM', title: 'Seguimiento por cambio de residencia', message: 'El aprendiz informa que se mudó y tarda más de dos horas en llegar.' }), 201);
    const open = await scrape(h.app, 'attendance_alerts_open', ['type', 'level']);
    expect(open['CUSTOM/MEDIUM']).toBe(before['CUSTOM/MEDIUM'] + 1);
    expectOk(await h.inject('POST', `/api/v1/attendance/alerts/${alert.id}/acknowledge`, h.x, {}));
    expect((await scrape(h.app, 'attendance_alerts_open', ['type', 'level']))['CUSTOM/MEDIUM']).toBe(before['CUSTOM/MEDIUM'] + 1);
    expectOk(await h.inject('POST', `/api/v1/attendance/alerts/${alert.id}/resolve`, h.x, { resolution: 'HANDLED', note: 'Se acordó plan de transporte' }));
    expect((await scrape(h.app, 'attendance_alerts_open', ['type', 'level']))['CUSTOM/MEDIUM']).toBe(before['CUSTOM/MEDIUM']);
  });

  it('attendance_job_duration_seconds observes the runs of the app\'s own scheduler', async () => {
    // An app with its jobs on, started at 23:30: the nightly evaluation's same-day catch-up runs at start.
    const db = await createTestDatabase();
    const keys = await createTestKeys();
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), schedules: fakeSchedules(), users: fakeUsers(), now: () => at(MONDAY, '23:30'), outboxRelay: false });
    try {
      await app.ready();
      let runs: Record<string, number> = {};
      for (let i = 0; i < 100 && !runs['alerts-nightly']; i++) {
        runs = await scrape(app, 'attendance_job_duration_seconds_count', ['job']);
        if (!runs['alerts-nightly']) await new Promise((r) => setTimeout(r, 50));
      }
      expect(runs['alerts-nightly']).toBe(1);
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(samples(text, 'attendance_job_duration_seconds_sum').find((s) => s.labels.job === 'alerts-nightly')!.value).toBeGreaterThan(0);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
