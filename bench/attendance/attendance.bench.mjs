#!/usr/bin/env node
// Attendance benchmark (issue 12), all on 127.0.0.1, bounded in count and time, stopping by itself and
// removing what it made (data dirs, the PostgreSQL database). See bench/attendance/README.md.
//
//  rush-embedded / rush-pg — the 7:00 rush through the gateway: F fichas (60) of A apprentices (30), one
//    class of each in progress now; every apprentice fetches its code (Q1) and its instructor scans it
//    (Q2) once. (a) saturated: C workers (50) run code-then-scan pairs back to back → scans/s (goal ≥ 300);
//    the records are then deleted (RC4, straight to the service) and (b) the same pairs start at a fixed
//    100 scans/s → Q2 latency p50/p95/p99 (goal p95 ≤ 100 ms). Embedded = a real `sicora start` (PGlite);
//    pg = `sicora serve` users, schedules, attendance and gateway on a fresh PostgreSQL database.
//    Classes must be in progress: the platform runs in a time zone (SICORA_TIMEZONE) where it is now
//    07:00–10:59 on a Monday–Friday that is not a Colombian holiday (BENCH_TIMEZONE to force one).
//  rp4 / al9 — the attendance service in this process (its schedules and users ports answered from
//    memory: the schedules service's own W2 cost is not in the figure) on PGlite and on PostgreSQL, with
//    R (200) fichas × A apprentices × two classes a weekday over the last 184 days written by SQL: RP4
//    centre-wide over 184 days (goal ≤ 5 s), then AL9's full evaluation (R34's 5 s), first run (creating
//    the alerts) and second run (nothing changes).
//
// BENCH_PARTS (comma list, default all four), BENCH_FICHAS, BENCH_APPRENTICES, BENCH_CONCURRENCY,
// BENCH_RATE, BENCH_RP4_FICHAS, BENCH_RP4_DAYS, BENCH_DATABASE_URL (default DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/test: only used to create and drop bench_attendance_<pid>).
// Writes bench/results/attendance-<date>.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { adminToken as firstAdminToken, apiClient, expectStatus, root, serveServices, startPlatform } from '../lib/platform.mjs';
import { addDays, classZone, importCsv, ipOf, lines, localParts, word } from '../lib/people.mjs';
import { withDatabase } from '../lib/postgres.mjs';
import { pool, range, runGuard, sleep, stats } from '../lib/run.mjs';

register();

const PARTS = (process.env.BENCH_PARTS ?? 'rush-embedded,rush-pg,rp4,al9').split(',').map((s) => s.trim()).filter(Boolean);
const FICHAS = Number(process.env.BENCH_FICHAS ?? 60);
const APPRENTICES = Number(process.env.BENCH_APPRENTICES ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const RP4_FICHAS = Number(process.env.BENCH_RP4_FICHAS ?? 200);
const RP4_DAYS = Math.min(184, Number(process.env.BENCH_RP4_DAYS ?? 184));
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 40 * 60) * 1000;
const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Bench#Asistencia-2026x', newPassword: 'Rendimiento#2027-Xy' };
const USER_PASSWORD = 'Rendimiento#2027-Xy';

const { cleanups } = runGuard({ name: 'attendance', hardLimitMs: HARD_LIMIT_MS });

// ---------------------------------------------------------------- time zone where classes run now

// ---------------------------------------------------------------- the rush
const instructorDoc = (i) => String(72_500_000 + i);
const apprenticeDoc = (i) => String(1_088_000_000 + i);
const fichaNumber = (i) => String(3_200_000 + i);
const venueCode = (i) => `AS${String(i + 1).padStart(3, '0')}`;
// Names take letters only (users R…): the index spelt in letters.


/** Instructors, venues, fichas, apprentices and one class per ficha now, through the gateway; then every login. */
async function prepareRush(api, zone) {
  const token = await firstAdminToken(api, ADMIN);
  const now = localParts(zone);
  const K3 = expectStatus(await api('GET', `/api/v1/schedules/non-teaching-days?year=${now.date.slice(0, 4)}`, { token }), 200, 'K3');
  if ((K3 ?? []).some((d) => d.date === now.date && !d.campus_id)) throw new Error(`${now.date} is a non-teaching day in ${zone}: set BENCH_TIMEZONE`);
  // The demo campus and program (already there on the embedded start, created on a bare PostgreSQL).
  for (const [path, body, exists] of [
    ['/api/v1/campuses', { code: 'CALLE52', name: 'Sede Calle 52' }, 'CAMPUS_CODE_EXISTS'],
    ['/api/v1/programs', { code: 'ADSO', name: 'Análisis y Desarrollo de Software', level: 'TECNOLOGO', duration_months: 24 }, 'PROGRAM_CODE_EXISTS'],
  ]) {
    const res = await api('POST', path, { token, json: body });
    if (res.status !== 201 && res.body?.error?.code !== exists) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  await importCsv(api, token, '/api/v1/users/import?role=instructor', lines('first_name,last_name,email,document_type,document_number', range(FICHAS).map((i) => `Instructor ${word(i)},Carga Asistencia,ins${i}@bench-asistencia.sicora.test,CC,${instructorDoc(i)}`)), 'instructores.csv', 'instructors import');
  await importCsv(api, token, '/api/v1/venues/import', lines('code,name,campus_code,type,capacity,floor', range(FICHAS).map((i) => `${venueCode(i)},Aula de carga ${i + 1},CALLE52,AULA,40,1`)), 'ambientes.csv', 'venues import');
  await importCsv(api, token, '/api/v1/groups/import', lines('number,program_code,campus_code,shift,start_date,end_date,current_quarter,max_apprentices', range(FICHAS).map((i) => `${fichaNumber(i)},ADSO,CALLE52,MANANA,${addDays(now.date, -182)},${addDays(now.date, 546)},2,${Math.max(APPRENTICES, 30)}`)), 'fichas.csv', 'fichas import');
  await importCsv(api, token, '/api/v1/users/import?role=aprendiz', lines('first_name,last_name,email,document_type,document_number,group_number', range(FICHAS * APPRENTICES).map((i) => `Aprendiz ${word(i)},Carga Asistencia,apr${i}@bench-asistencia.sicora.test,CC,${apprenticeDoc(i)},${fichaNumber(Math.floor(i / APPRENTICES))}`)), 'aprendices.csv', 'apprentices import');
  const hh = (h) => `${String(h).padStart(2, '0')}:00`;
  await importCsv(api, token, '/api/v1/schedules/import', lines('group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,blocks,start_date,end_date,notes', range(FICHAS).map((i) => `${fichaNumber(i)},${instructorDoc(i)},${venueCode(i)},Construcción de software,${now.weekday},${hh(now.hour)},${hh(now.hour + 2)},,${now.date},${addDays(now.date, 7)},Carga de asistencia`)), 'horarios.csv', 'schedules import');
  const sessions = expectStatus(await api('GET', `/api/v1/schedules/sessions?date=${now.date}`, { token }), 200, 'W2');
  const scheduleOf = new Map(sessions.map((s) => [s.group.number, s.schedule_id]));

  // Every login with its forced password change, a few at a time (argon2id is the cost).
  const login = async (email, doc, ip) => {
    const first = expectStatus(await api('POST', '/api/v1/auth/login', { json: { identifier: email, password: doc }, ip }), 200, `login ${email}`);
    const changed = await api('POST', '/api/v1/auth/change-password', { token: first.access_token, ip, json: { current_password: doc, new_password: USER_PASSWORD } });
    return expectStatus(changed, 200, `change-password ${email}`).access_token;
  };
  const t0 = performance.now();
  const instructors = new Array(FICHAS);
  await pool(range(FICHAS), 6, async (i) => (instructors[i] = { token: await login(`ins${i}@bench-asistencia.sicora.test`, instructorDoc(i), ipOf(20, 200_000 + i)), ip: ipOf(20, 200_000 + i) }));
  const pairs = new Array(FICHAS * APPRENTICES);
  await pool(range(FICHAS * APPRENTICES), 6, async (i) => {
    const f = Math.floor(i / APPRENTICES);
    const scheduleId = scheduleOf.get(fichaNumber(f));
    if (!scheduleId) throw new Error(`no session today for ficha ${fichaNumber(f)}`);
    pairs[i] = { token: await login(`apr${i}@bench-asistencia.sicora.test`, apprenticeDoc(i), ipOf(20, i)), ip: ipOf(20, i), device: randomUUID(), scheduleId, instructor: instructors[f] };
  });
  console.log(`  ${FICHAS} fichas × ${APPRENTICES} apprentices ready, ${pairs.length + FICHAS} logins in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { token, pairs, date: now.date };
}

/** One apprentice's code (Q1) then its scan (Q2) by the ficha's instructor. */
async function codeAndScan(api, p) {
  const a = performance.now();
  const q1 = await api('POST', '/api/v1/attendance/qr/codes', { token: p.token, ip: p.ip, json: { schedule_id: p.scheduleId, device_id: p.device } });
  const b = performance.now();
  if (q1.status !== 201) return { q1_ms: b - a, q1: q1.status, error: q1.body?.error?.code };
  const q2 = await api('POST', '/api/v1/attendance/qr/scan', { token: p.instructor.token, ip: p.instructor.ip, json: { code: q1.body.data.code, schedule_id: p.scheduleId } });
  const c = performance.now();
  return { q1_ms: b - a, q2_ms: c - b, q1: 201, q2: q2.status, error: q2.status === 201 ? undefined : q2.body?.error?.code };
}

function summarise(results, seconds) {
  const ok = results.filter((r) => r.q2 === 201);
  const errors = {};
  for (const r of results) if (r.error) errors[`${r.q2 ?? r.q1} ${r.error}`] = (errors[`${r.q2 ?? r.q1} ${r.error}`] ?? 0) + 1;
  return { pairs: results.length, scans_recorded: ok.length, seconds: +seconds.toFixed(2), scans_per_s: Math.round(ok.length / seconds), q1: stats(results.map((r) => r.q1_ms)), q2: stats(ok.map((r) => r.q2_ms)), errors };
}

async function rush(api, direct, prepared) {
  const { pairs, token } = prepared;
  // (a) saturated: C workers, pairs back to back.
  const a = [];
  let t = performance.now();
  await pool(pairs, CONCURRENCY, async (p) => a.push(await codeAndScan(api, p)));
  const saturated = summarise(a, (performance.now() - t) / 1000);
  console.log(`  saturated (${CONCURRENCY} workers): ${saturated.scans_per_s} scans/s, Q2 p95 ${saturated.q2.p95_ms} ms, ${saturated.scans_recorded}/${saturated.pairs} recorded ${JSON.stringify(saturated.errors)}`);

  // Reset: every record of today deleted (RC4), straight to the attendance service (not measured).
  const ids = [];
  for (let page = 1; ; page++) {
    const res = await direct('GET', `/api/v1/attendance/records?start_date=${prepared.date}&end_date=${prepared.date}&page_size=100&page=${page}`, { token });
    const data = expectStatus(res, 200, 'RC1');
    ids.push(...data.map((r) => r.id));
    if (!res.body.meta.pagination.has_next) break;
  }
  await pool(ids, 8, async (id) => {
    const res = await direct('DELETE', `/api/v1/attendance/records/${id}?reason=${encodeURIComponent('Reinicio de la prueba de carga')}`, { token });
    if (res.status !== 204) throw new Error(`RC4: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  });
  await sleep(3500); // Q1's 1-per-3-s window of each apprentice

  // (b) fixed rate: pair i starts at i / RATE s, whatever the others do (open loop).
  const b = [];
  t = performance.now();
  await Promise.all(pairs.map(async (p, i) => {
    const due = t + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    b.push(await codeAndScan(api, p));
  }));
  const paced = { target_scans_per_s: RATE, ...summarise(b, (performance.now() - t) / 1000) };
  console.log(`  at ${RATE}/s: Q2 p50 ${paced.q2.p50_ms} ms, p95 ${paced.q2.p95_ms} ms, p99 ${paced.q2.p99_ms} ms (Q1 p95 ${paced.q1.p95_ms} ms), ${paced.scans_recorded}/${paced.pairs} recorded ${JSON.stringify(paced.errors)}`);
  return {
    saturated,
    paced,
    goals: { saturated_scans_per_s: { goal: 300, pass: saturated.scans_per_s >= 300 }, p95_at_100_ms: { goal: 100, pass: paced.q2.p95_ms !== null && paced.q2.p95_ms <= 100 }, all_within_one_minute: { pass: saturated.seconds <= 60 } },
  };
}

async function rushEmbedded(zone) {
  const platform = startPlatform({ name: 'attendance', basePort: Number(process.env.BENCH_BASE_PORT ?? 18510), admin: ADMIN, hardLimitMs: HARD_LIMIT_MS, env: { SICORA_TIMEZONE: zone, ATTENDANCE_OUTBOX_RELAY: 'false' } });
  const stop = () => platform.stop();
  cleanups.add(stop);
  try {
    const ready_ms = await platform.waitReady();
    const api = apiClient(platform.base);
    const prepared = await prepareRush(api, zone);
    return { backend: 'embedded (sicora start, PGlite)', ready_ms, ...(await rush(api, apiClient(platform.portEnv.ATTENDANCE_URL), prepared)) };
  } finally {
    cleanups.delete(stop);
    await platform.stop();
  }
}


async function rushPostgres(zone) {
  return withDatabase('attendance', cleanups, async (databaseUrl) => {
    const served = await serveServices({
      name: 'attendance', services: ['gateway', 'users', 'schedules', 'attendance'], basePort: Number(process.env.BENCH_PG_BASE_PORT ?? 18530), databaseUrl,
      hardLimitMs: HARD_LIMIT_MS, admin: ADMIN, env: { SICORA_TIMEZONE: zone, ATTENDANCE_OUTBOX_RELAY: 'false' },
    });
    const { url, ready_ms } = served;
    const stop = () => served.stop();
    cleanups.add(stop);
    try {
      const api = apiClient(url('gateway'));
      const prepared = await prepareRush(api, zone);
      return { backend: 'PostgreSQL (sicora serve users, schedules, attendance, gateway)', ready_ms, ...(await rush(api, apiClient(url('attendance')), prepared)) };
    } finally {
      cleanups.delete(stop);
      await served.stop();
    }
  });
}

// ---------------------------------------------------------------- RP4 and AL9 in this process
async function reportsOn(backend) {
  const { buildApp } = await import('../../services/attendance/src/app.ts');
  const { loadConfig } = await import('../../services/attendance/src/config.ts');
  const { openPglite, fromPglite, openPool, runMigrations } = await import('@sicora/platform/db');
  const { createLocalVerifier } = await import('@sicora/platform/auth');
  const { createTestKeys, mintToken } = await import('@sicora/platform/testing/keys');

  const run = async (database) => {
    const config = loadConfig({ LOG_LEVEL: 'warn', ATTENDANCE_OUTBOX_RELAY: 'false' });
    await runMigrations(database, { schema: 'attendance', migrationsFolder: join(root, 'services/attendance/drizzle') });
    const world = rp4World(config.timezone);
    const t0 = performance.now();
    const written = await writeRecords(database, world);
    const load_s = +((performance.now() - t0) / 1000).toFixed(1);
    console.log(`  ${backend}: ${world.sessions.length} sessions, ${written.rolls} rolls, ${written.records} records written in ${load_s} s`);
    const keys = await createTestKeys();
    const app = await buildApp(config, { database, migrationsApplied: true, verifier: createLocalVerifier(keys.jwks, config.jwt), schedules: world.schedules, users: world.users, outboxRelay: false, jobs: false });
    await app.ready();
    const headers = { authorization: `Bearer ${await mintToken(keys, { sub: randomUUID(), role: 'admin' })}` };
    const timed = async (method, url, payload) => {
      const a = performance.now();
      const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      const ms = performance.now() - a;
      if (res.statusCode !== 200) throw new Error(`${method} ${url}: HTTP ${res.statusCode} ${res.body.slice(0, 500)}`);
      return { ms: Math.round(ms), res };
    };
    try {
      const out = { backend, sessions: world.sessions.length, rolls: written.rolls, records: written.records, students: world.students, load_s };
      if (PARTS.includes('rp4')) {
        const url = `/api/v1/attendance/reports/period?start_date=${world.from}&end_date=${world.to}`;
        const json = [];
        for (let i = 0; i < 3; i++) json.push((await timed('GET', url)).ms);
        const csv = (await timed('GET', `${url}&format=csv`)).ms;
        const groups = (await timed('GET', url)).res.json().data.by_group.length;
        out.rp4 = { period_days: RP4_DAYS, fichas_in_report: groups, json_ms: json, csv_ms: csv, goal_ms: 5000, pass: Math.min(...json) <= 5000 };
        console.log(`  ${backend}: RP4 ${RP4_DAYS} days, ${groups} fichas: ${json.join(' / ')} ms (CSV ${csv} ms)`);
      }
      if (PARTS.includes('al9')) {
        const first = await timed('POST', '/api/v1/attendance/alerts/evaluate', {});
        const second = await timed('POST', '/api/v1/attendance/alerts/evaluate', {});
        out.al9 = { first_ms: first.ms, first: first.res.json().data, second_ms: second.ms, second: second.res.json().data, goal_ms: 5000, pass: second.ms <= 5000 && first.ms <= 5000 };
        console.log(`  ${backend}: AL9 full evaluation ${first.ms} ms (${JSON.stringify(first.res.json().data)}), again ${second.ms} ms`);
      }
      return out;
    } finally {
      await app.close();
    }
  };
  if (backend === 'pglite') {
    // On disk, as the embedded start keeps it (and a half year of records would not fit in memory comfortably).
    const dir = mkdtempSync(join(tmpdir(), 'sicora-bench-attendance-rp4-'));
    try {
      const database = fromPglite(await openPglite(dir));
      try {
        return await run(database);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return withDatabase('attendance', cleanups, async (url) => {
    const database = openPool(url, { max: 10 });
    try {
      return await run(database);
    } finally {
      await database.close();
    }
  });
}

/** R fichas, two classes a weekday each over the last RP4_DAYS days; ports answered from memory. */
function rp4World(timeZone) {
  const today = localParts(timeZone).date;
  const from = addDays(today, -(RP4_DAYS - 1));
  const id = (kind, n) => `${kind}-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const campus = { id: id('c0000000', 1), code: 'CALLE52', name: 'Sede Calle 52' };
  const program = { id: id('b0000000', 1), code: 'ADSO', name: 'Análisis y Desarrollo de Software' };
  const sessions = [];
  const fichas = [];
  for (let f = 0; f < RP4_FICHAS; f++) {
    const group = { id: id('a0000000', f), number: String(3_300_000 + f), program };
    const instructor = { id: id('d0000000', f), full_name: `Instructor ${f}` };
    const venue = { id: id('e0000000', f), code: `R${f}`, name: `Aula ${f}`, campus };
    fichas.push({ group, instructor });
    for (let d = from; d < today; d = addDays(d, 1)) {
      const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
      if (dow === 0 || dow === 6) continue;
      for (const [k, start, end] of [[0, '06:00', '09:00'], [1, '09:00', '12:00']]) {
        sessions.push({
          schedule_id: id('f0000000', f * 10 + (dow - 1) * 2 + k), date: d, start_time: start, end_time: end,
          start_at: new Date(`${d}T${start}:00-05:00`).toISOString(), end_at: new Date(`${d}T${end}:00-05:00`).toISOString(),
          subject: `Asignatura ${k}`, status: 'SCHEDULED', group, instructor, venue, blocks: [],
        });
      }
    }
  }
  const byDate = new Map();
  for (const s of sessions) (byDate.get(s.date) ?? byDate.set(s.date, []).get(s.date)).push(s);
  const schedules = {
    async session(scheduleId, date) { return (byDate.get(date) ?? []).find((s) => s.schedule_id === scheduleId); },
    async sessions(q) {
      const out = [];
      for (let d = q.date ?? q.from; d <= (q.date ?? q.to); d = addDays(d, 1)) for (const s of byDate.get(d) ?? []) if ((!q.group_id || s.group.id === q.group_id) && (!q.instructor_id || s.instructor.id === q.instructor_id)) out.push(s);
      return out;
    },
    async apprentices() { return []; },
    async nonTeachingDays() { return []; },
    async assignedGroups() { return []; },
    async groupInstructors(groupId) { const f = fichas.find((x) => x.group.id === groupId); return f ? [f.instructor.id] : []; },
    async group(groupId) { const f = fichas.find((x) => x.group.id === groupId); return f && { id: f.group.id, number: f.group.number, program, campus }; },
  };
  const users = {
    async lookup(ids) { return ids.map((i) => ({ id: i, full_name: 'Persona de carga', first_name: 'Persona', last_name: 'de carga', role: 'aprendiz', group_id: null, group_number: null, avatar_url: null, document_number: null, is_active: true, is_deleted: false })); },
  };
  return { sessions, from, to: today, schedules, users, students: RP4_FICHAS * APPRENTICES };
}

/** Rolls in batches of 1 000 rows; records by one INSERT … SELECT per batch (status by a hash: ~85 % P, 7 % T, 7 % A, 1 % J). */
async function writeRecords(database, world) {
  const pgPool = database.pool;
  const exec = async (text, params = []) => (pgPool ? pgPool.query(text, params) : database.pglite.query(text, params));
  let rolls = 0;
  for (let i = 0; i < world.sessions.length; i += 1000) {
    const batch = world.sessions.slice(i, i + 1000);
    const values = [];
    const params = [];
    for (const s of batch) {
      const n = params.length;
      params.push(s.schedule_id, s.date, s.group.id, s.group.number, s.group.program.id, s.venue.campus.id, s.venue.id, s.subject, s.start_time, s.end_time, s.start_at, s.end_at, s.instructor.id);
      values.push(`(md5($${n + 1} || $${n + 2})::uuid, $${n + 1}::uuid, $${n + 2}::date, $${n + 3}::uuid, $${n + 4}, $${n + 5}::uuid, $${n + 6}::uuid, $${n + 7}::uuid, $${n + 8}, $${n + 9}, $${n + 10}, $${n + 11}::timestamptz, $${n + 12}::timestamptz, $${n + 13}::uuid, 'CLOSED', $${n + 13}::uuid, $${n + 11}::timestamptz, $${n + 11}::timestamptz + interval '5 minutes', $${n + 13}::uuid, $${n + 12}::timestamptz + interval '10 minutes', 'MANUAL', true, now(), now())`);
    }
    await exec(`INSERT INTO attendance.rolls (id, schedule_id, session_date, group_id, group_number, program_id, campus_id, venue_id, subject, start_time, end_time, start_at, end_at, instructor_id, status, opened_by, opened_at, first_mark_at, closed_by, closed_at, close_method, was_closed, created_at, updated_at) VALUES ${values.join(',')}`, params);
    rolls += batch.length;
  }
  // Records per roll batch (by session date), so no single statement holds the whole half year.
  const dates = [...new Set(world.sessions.map((s) => s.date))].sort();
  for (let i = 0; i < dates.length; i += 7) {
    await exec(`
      INSERT INTO attendance.records (roll_id, student_id, schedule_id, session_date, group_id, instructor_id, status, check_in_at, late_minutes, method, created_by, updated_by, created_at, updated_at)
      SELECT ro.id, md5(ro.group_id::text || ':' || s)::uuid, ro.schedule_id, ro.session_date, ro.group_id, ro.instructor_id, st.status::attendance.record_status,
        CASE WHEN st.status IN ('PRESENT', 'LATE') THEN ro.start_at + interval '4 minutes' END,
        CASE WHEN st.status = 'LATE' THEN 20 END,
        (CASE WHEN st.status IN ('PRESENT', 'LATE') THEN 'QR_SCAN' WHEN st.status = 'JUSTIFIED' THEN 'JUSTIFICATION' ELSE 'ROLL_CLOSE' END)::attendance.record_method,
        ro.instructor_id, ro.instructor_id, ro.closed_at, ro.closed_at
      FROM attendance.rolls ro
      CROSS JOIN generate_series(1, ${APPRENTICES}) s
      CROSS JOIN LATERAL (SELECT abs(hashtext(ro.id::text || ':' || s)) % 100 AS h) x
      CROSS JOIN LATERAL (SELECT CASE WHEN x.h < 85 THEN 'PRESENT' WHEN x.h < 92 THEN 'LATE' WHEN x.h < 99 THEN 'ABSENT' ELSE 'JUSTIFIED' END AS status) st
      WHERE ro.session_date >= $1::date AND ro.session_date <= $2::date`, [dates[i], dates[Math.min(i + 6, dates.length - 1)]]);
  }
  // Fresh statistics, as a live database has them (without, the planner takes the loaded tables for empty).
  await exec('ANALYZE attendance.rolls');
  await exec('ANALYZE attendance.records');
  const [{ n }] = (await exec('SELECT count(*)::int AS n FROM attendance.records')).rows;
  return { rolls, records: n };
}

// ---------------------------------------------------------------- main
const results = { date: new Date().toISOString(), node: process.version, parts: PARTS, fichas: FICHAS, apprentices_per_ficha: APPRENTICES, concurrency: CONCURRENCY, rate: RATE, load_average_before: loadavg().map((x) => +x.toFixed(2)) };
try {
  if (PARTS.some((p) => p.startsWith('rush'))) {
    const zone = classZone();
    if (!zone) throw new Error('no time zone has a Monday–Friday 07:00–10:59 now (weekend in every zone): set BENCH_TIMEZONE or run on a weekday');
    results.time_zone = zone;
    console.log(`rush: classes in progress in ${zone} (${JSON.stringify(localParts(zone))})`);
    if (PARTS.includes('rush-embedded')) results.rush_embedded = await rushEmbedded(zone);
    if (PARTS.includes('rush-pg')) results.rush_pg = await rushPostgres(zone);
  }
  if (PARTS.includes('rp4') || PARTS.includes('al9')) {
    console.log(`reports: ${RP4_FICHAS} fichas × ${APPRENTICES} apprentices, two classes a weekday over ${RP4_DAYS} days`);
    results.reports = [];
    for (const backend of (process.env.BENCH_BACKENDS ?? 'pglite,postgresql').split(',')) results.reports.push(await reportsOn(backend.trim()));
  }
} catch (err) {
  console.error(`attendance bench failed: ${err.stack ?? err.message}`);
  results.error = err.message;
  process.exitCode = 1;
}
results.load_average_after = loadavg().map((x) => +x.toFixed(2));
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/attendance-${results.date.slice(0, 16).replace(':', '')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`results: ${file}`);
// Leftover sockets of the in-process app must not keep the process alive past the report.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
