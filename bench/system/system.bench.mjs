#!/usr/bin/env node
// The whole system under a mixed load (issue #18 item 4), all on 127.0.0.1, bounded in time, stopping by
// itself and removing what it made. See bench/system/README.md.
//
// A centre of U people (300: 10 fichas × 27 apprentices, 3 instructors a ficha) is built through the
// gateway: the fichas' morning classes with one in progress now, an open evaluation period over the
// fichas, every first sign-in with its forced change (not measured). Then every person loops for
// BENCH_SECONDS (60): one request, its answer, a 1 s pause (gateway.md R61's journey rhythm), drawn from
// what each role really does at 7 a.m.:
//   apprentice  — Mi horario (W1), my records (RC1), my code (Q1, handed to the ficha's instructor),
//                 evaluate one of my instructors (E32, then E30 once all are done), search the
//                 regulations (kb search), ask the assistant (ai /ask), the unread count (I2), a login (A1);
//   instructor  — scan the codes its apprentices handed over (Q2), else today's classes (C1), my week (W1),
//                 the unread count (I2), a login (A1).
// Latency is the client's, send to whole body. A status other than the expected one, or a network error, is
// an error; the expected refusals of a real class (a code for an apprentice already recorded) are counted
// apart, not as errors. Goals (issue #18): p95 < 50 ms and 0 errors; seed targets p95 < 200 ms, < 1 %.
//
// BENCH_MODE: embedded (`sicora start`, PGlite, in-memory limits) or production (`sicora serve` per
// service and `sicora worker notification` on a fresh PostgreSQL database and Redis); default both, one
// after the other. BENCH_SECONDS, BENCH_FICHAS (10), BENCH_APPRENTICES (27 a ficha), BENCH_TIMEZONE (the
// platform's zone; default one where a morning class is in progress now), BENCH_DATABASE_URL, BENCH_REDIS_URL.
// Writes bench/results/system-<mode>-<date>.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminToken as firstAdminToken, apiClient, expectStatus, processGroup, root, SERVICES, startPlatform } from '../lib/platform.mjs';
import { addDays, classZone, importCsv, ipOf, lines, localParts, word } from '../lib/people.mjs';
import { withDatabase } from '../lib/postgres.mjs';
import { pool, range, runGuard, sleep, stats } from '../lib/run.mjs';

const MODES = (process.env.BENCH_MODE ?? 'embedded,production').split(',').map((s) => s.trim()).filter(Boolean);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const FICHAS = Number(process.env.BENCH_FICHAS ?? 10);
const APPRENTICES = Number(process.env.BENCH_APPRENTICES ?? 27);
const INSTRUCTORS_PER_FICHA = 3;
const QUESTIONS = 10;
const PAUSE_MS = 1000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 30 * 60) * 1000;
const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Bench#Sistema-2026x', newPassword: 'Rendimiento#2027-Sx' };
const PASSWORD = 'Sistema#Carga-2027x';
const { cleanups } = runGuard({ name: 'system', hardLimitMs: HARD_LIMIT_MS });

const ZONE = classZone();
if (!ZONE) {
  console.error('system bench: no time zone has a weekday morning class in progress now; set BENCH_TIMEZONE');
  process.exit(1);
}

const fichaNumber = (f) => String(3_300_000 + f);
const venueCode = (f) => `SIS${f + 1}`;
const instructorDoc = (i) => String(61_000_000 + i);
const apprenticeDoc = (i) => String(1_061_000_000 + i);
const ip = (k) => ipOf(70, k);

// What people type into the regulations search and ask the assistant (typos and missing accents included).
const SEARCHES = ['inasistencia', 'justificar una falla', 'cancelacion de matricula', 'llegada tarde', 'deberes del aprendiz', 'excusa medica', 'plan de mejoramiento', 'comite de evaluacion', 'retardos', 'aplazamiento'];
const QUESTIONS_TO_ASSISTANT = ['¿Cuántas faltas puedo tener sin justificar?', '¿Cómo justifico una inasistencia?', '¿Qué pasa si llego tarde?', '¿Qué es un plan de mejoramiento?', '¿Cuáles son mis deberes como aprendiz?'];

// ---------------------------------------------------------------- the centre
async function prepare(api) {
  const token = await firstAdminToken(api, ADMIN);
  const now = localParts(ZONE);
  const K3 = expectStatus(await api('GET', `/api/v1/schedules/non-teaching-days?year=${now.date.slice(0, 4)}`, { token }), 200, 'K3');
  for (const day of (K3 ?? []).filter((d) => d.date === now.date)) expectStatus(await api('DELETE', `/api/v1/schedules/non-teaching-days/${day.id}`, { token }), 204, 'K5');
  for (const [path, body, exists] of [
    ['/api/v1/campuses', { code: 'CALLE52', name: 'Sede Calle 52' }, 'CAMPUS_CODE_EXISTS'],
    ['/api/v1/programs', { code: 'ADSO', name: 'Análisis y Desarrollo de Software', level: 'TECNOLOGO', duration_months: 24 }, 'PROGRAM_CODE_EXISTS'],
  ]) {
    const res = await api('POST', path, { token, json: body });
    if (res.status !== 201 && res.body?.error?.code !== exists) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  const I = FICHAS * INSTRUCTORS_PER_FICHA;
  const A = FICHAS * APPRENTICES;
  await importCsv(api, token, '/api/v1/users/import?role=instructor', lines('first_name,last_name,email,document_type,document_number', range(I).map((i) => `Instructor ${word(i)},Carga Sistema,ins${i}@bench-system.sicora.test,CC,${instructorDoc(i)}`)), 'instructores.csv', 'instructors import');
  await importCsv(api, token, '/api/v1/venues/import', lines('code,name,campus_code,type,capacity,floor', range(FICHAS).map((f) => `${venueCode(f)},Aula del sistema ${f + 1},CALLE52,AULA,40,1`)), 'ambientes.csv', 'venues import');
  await importCsv(api, token, '/api/v1/groups/import', lines('number,program_code,campus_code,shift,start_date,end_date,current_quarter,max_apprentices', range(FICHAS).map((f) => `${fichaNumber(f)},ADSO,CALLE52,MANANA,${addDays(now.date, -182)},${addDays(now.date, 546)},2,${Math.max(APPRENTICES, 30)}`)), 'fichas.csv', 'fichas import');
  await importCsv(api, token, '/api/v1/users/import?role=aprendiz', lines('first_name,last_name,email,document_type,document_number,group_number', range(A).map((i) => `Aprendiz ${word(i)},Carga Sistema,apr${i}@bench-system.sicora.test,CC,${apprenticeDoc(i)},${fichaNumber(Math.floor(i / APPRENTICES))}`)), 'aprendices.csv', 'apprentices import');
  // Instructor 0 of each ficha teaches it now (this hour to two hours later, inside the 06–12 window);
  // instructors 1 and 2 on the next two weekdays at 07:00, so E30 lists all three.
  const start = Math.min(now.hour, 10);
  const hh = (h) => `${String(h).padStart(2, '0')}:00`;
  const otherDay = (k) => ((now.weekday - 1 + k) % 5) + 1;
  await importCsv(api, token, '/api/v1/schedules/import', lines('group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,blocks,start_date,end_date,notes',
    range(I).map((i) => {
      const f = Math.floor(i / INSTRUCTORS_PER_FICHA);
      const k = i % INSTRUCTORS_PER_FICHA;
      const [day, from, to] = k === 0 ? [now.weekday, start, Math.min(start + 2, 12)] : [otherDay(k), 7, 9];
      return `${fichaNumber(f)},${instructorDoc(i)},${venueCode(f)},Competencia ${k + 1},${day},${hh(from)},${hh(to)},,${addDays(now.date, -7)},${addDays(now.date, 27)},Carga del sistema`;
    })), 'horarios.csv', 'schedules import');
  const groups = expectStatus(await api('GET', `/api/v1/groups?numbers=${range(FICHAS).map(fichaNumber).join(',')}&page_size=100`, { token }), 200, 'G1');
  if (groups.length !== FICHAS) throw new Error(`G1 found ${groups.length} of ${FICHAS} fichas`);
  const questionIds = [];
  for (const q of range(QUESTIONS)) questionIds.push(expectStatus(await api('POST', '/api/v1/evalin/questions', { token, json: { text: `Pregunta del sistema número ${word(q)}`, question_type: 'likert', category: `Sistema ${q % 3}` } }), 201, 'E2').id);
  const questionnaire = expectStatus(await api('POST', '/api/v1/evalin/questionnaires', { token, json: { name: `Cuestionario del sistema ${randomUUID().slice(0, 8)}`, question_ids: questionIds } }), 201, 'E10');
  const period = expectStatus(await api('POST', '/api/v1/evalin/periods', { token, json: { name: `Evaluación del sistema ${now.date}`, start_date: now.date, end_date: addDays(now.date, 14), questionnaire_id: questionnaire.id, group_ids: groups.map((g) => g.id) } }), 201, 'E19');
  expectStatus(await api('POST', `/api/v1/evalin/periods/${period.id}/activate`, { token }), 200, 'E23');

  // Every first sign-in with its forced change, from each person's own address; then what each keeps.
  const people = [];
  const t0 = performance.now();
  await pool([...range(I).map((i) => ({ role: 'instructor', i })), ...range(A).map((i) => ({ role: 'aprendiz', i }))], 6, async ({ role, i }) => {
    const k = role === 'instructor' ? i : I + i;
    const identifier = role === 'instructor' ? `ins${i}@bench-system.sicora.test` : `apr${i}@bench-system.sicora.test`;
    const first = role === 'instructor' ? instructorDoc(i) : apprenticeDoc(i);
    const login = expectStatus(await api('POST', '/api/v1/auth/login', { json: { identifier, password: first }, ip: ip(k) }), 200, `login ${identifier}`);
    const changed = expectStatus(await api('POST', '/api/v1/auth/change-password', { token: login.access_token, ip: ip(k), json: { current_password: first, new_password: PASSWORD } }), 200, `change-password ${identifier}`);
    const person = { role, k, identifier, token: changed.access_token, ip: ip(k), ficha: role === 'instructor' ? Math.floor(i / INSTRUCTORS_PER_FICHA) : Math.floor(i / APPRENTICES), teachesNow: role === 'instructor' && i % INSTRUCTORS_PER_FICHA === 0 };
    const classes = expectStatus(await api('GET', '/api/v1/attendance/me/classes', { token: person.token, ip: person.ip }), 200, `C1 ${identifier}`);
    person.scheduleId = classes.find((c) => c.can_mark !== false)?.schedule_id ?? classes[0]?.schedule_id;
    if (role === 'aprendiz') {
      const e30 = expectStatus(await api('GET', `/api/v1/evalin/instructors-to-evaluate?period_id=${period.id}`, { token: person.token, ip: person.ip }), 200, `E30 ${identifier}`);
      person.toEvaluate = (e30.periods.find((p) => p.period_id === period.id)?.instructors ?? []).map((x) => x.instructor_id);
      if (person.toEvaluate.length !== INSTRUCTORS_PER_FICHA) throw new Error(`E30 ${identifier}: ${person.toEvaluate.length} instructors, expected ${INSTRUCTORS_PER_FICHA}`);
      person.deviceId = randomUUID();
    }
    people.push(person);
  });
  if (people.some((p) => (p.role === 'aprendiz' || p.teachesNow) && !p.scheduleId)) throw new Error(`a class of today is missing in ${ZONE} (${JSON.stringify(now)})`);
  console.log(`  ${I} instructors and ${A} apprentices signed in (${((performance.now() - t0) / 1000).toFixed(1)} s); class of ${hh(start)} in ${ZONE}`);
  return { periodId: period.id, questionIds, people };
}

// ---------------------------------------------------------------- the load
function recorder() {
  const perOp = new Map();
  const examples = [];
  return {
    perOp,
    examples,
    async call(api, op, method, path, opts, expected) {
      const t = performance.now();
      let res;
      try {
        res = await api(method, path, opts);
      } catch (err) {
        res = { status: 0, body: { network_error: err.message } };
      }
      const ms = performance.now() - t;
      const entry = perOp.get(op) ?? { latencies: [], errors: 0, refusals: 0 };
      entry.latencies.push(ms);
      const ok = expected.includes(res.status);
      const refusal = !ok && res.status >= 400 && res.status < 500 && (opts.refusals ?? []).includes(res.body?.error?.code);
      if (refusal) entry.refusals += 1;
      else if (!ok) {
        entry.errors += 1;
        if (examples.length < 12) examples.push({ op, status: res.status, body: JSON.stringify(res.body).slice(0, 300) });
      }
      perOp.set(op, entry);
      return { ...res, ok };
    },
  };
}

async function load(api, world) {
  const rec = recorder();
  const queues = new Map(); // ficha → codes handed to its instructor
  const until = Date.now() + SECONDS * 1000;
  const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
  const relogin = async (p) => {
    const r = await rec.call(api, 'A1 login', 'POST', '/api/v1/auth/login', { json: { identifier: p.identifier, password: PASSWORD }, ip: p.ip }, [200]);
    if (r.ok) p.token = r.body.data.access_token;
  };
  const as = (p, extra = {}) => ({ token: p.token, ip: p.ip, ...extra });

  async function apprentice(p) {
    const draw = Math.random() * 100;
    if (draw < 3) return relogin(p);
    if (draw < 23) return rec.call(api, 'W1 my week', 'GET', '/api/v1/schedules/me', as(p), [200]);
    if (draw < 38) return rec.call(api, 'RC1 my records', 'GET', '/api/v1/attendance/records?page_size=20', as(p), [200]);
    if (draw < 53 && !p.recorded) {
      const r = await rec.call(api, 'Q1 my code', 'POST', '/api/v1/attendance/qr/codes', as(p, { json: { schedule_id: p.scheduleId, device_id: p.deviceId }, refusals: ['ATTENDANCE_ALREADY_RECORDED', 'RATE_LIMITED'] }), [201]);
      if (r.ok) (queues.get(p.ficha) ?? queues.set(p.ficha, []).get(p.ficha)).push({ code: r.body.data.code, apprentice: p });
      else if (r.body?.error?.code === 'ATTENDANCE_ALREADY_RECORDED') p.recorded = true;
      return;
    }
    if (draw < 63) {
      const instructorId = p.toEvaluate.shift();
      if (!instructorId) return rec.call(api, 'E30 to evaluate', 'GET', `/api/v1/evalin/instructors-to-evaluate?period_id=${world.periodId}`, as(p), [200]);
      const answers = world.questionIds.map((question_id, q) => ({ question_id, value: 1 + ((p.k + q) % 5) }));
      return rec.call(api, 'E32 evaluate', 'POST', '/api/v1/evalin/evaluations', as(p, { json: { period_id: world.periodId, instructor_id: instructorId, answers, submit: true } }), [201]);
    }
    if (draw < 83) return rec.call(api, 'kb search', 'GET', `/api/v1/kb/search?q=${encodeURIComponent(pick(SEARCHES))}&page_size=5`, as(p), [200]);
    if (draw < 88) return rec.call(api, 'ai ask', 'POST', '/api/v1/ai/ask', as(p, { json: { question: pick(QUESTIONS_TO_ASSISTANT), context: 'reglamento' }, refusals: ['RATE_LIMITED'] }), [200]);
    return rec.call(api, 'I2 unread', 'GET', '/api/v1/notifications/inbox/unread-count', as(p), [200]);
  }

  async function instructor(p) {
    const queue = p.teachesNow ? queues.get(p.ficha) : undefined;
    if (queue?.length) {
      const { code } = queue.shift();
      return rec.call(api, 'Q2 scan', 'POST', '/api/v1/attendance/qr/scan', as(p, { json: { code, schedule_id: p.scheduleId }, refusals: ['QR_SUPERSEDED', 'QR_EXPIRED'] }), [200, 201]);
    }
    const draw = Math.random() * 100;
    if (draw < 5) return relogin(p);
    if (draw < 45) return rec.call(api, 'C1 my classes', 'GET', '/api/v1/attendance/me/classes', as(p), [200]);
    if (draw < 80) return rec.call(api, 'W1 my week', 'GET', '/api/v1/schedules/me', as(p), [200]);
    return rec.call(api, 'I2 unread', 'GET', '/api/v1/notifications/inbox/unread-count', as(p), [200]);
  }

  const started = performance.now();
  await Promise.all(world.people.map(async (p) => {
    // Spread the first requests over the first pause so people do not march in step.
    await sleep(Math.random() * PAUSE_MS);
    while (Date.now() < until) {
      await (p.role === 'aprendiz' ? apprentice(p) : instructor(p));
      // An instructor with codes waiting scans the next one at once, as at the classroom door.
      if (!(p.teachesNow && queues.get(p.ficha)?.length)) await sleep(PAUSE_MS);
    }
  }));
  const seconds = (performance.now() - started) / 1000;

  const all = [...rec.perOp.values()].flatMap((e) => e.latencies);
  const errors = [...rec.perOp.values()].reduce((n, e) => n + e.errors, 0);
  const refusals = [...rec.perOp.values()].reduce((n, e) => n + e.refusals, 0);
  const overall = { ...stats(all), requests_per_s: Math.round((all.length / seconds) * 10) / 10, errors, error_rate: all.length ? +(errors / all.length).toFixed(4) : 0, expected_refusals: refusals };
  const operations = Object.fromEntries([...rec.perOp].sort().map(([op, e]) => [op, { ...stats(e.latencies), errors: e.errors, refusals: e.refusals }]));
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const goals = {
    'p95 < 50 ms (goal)': verdict(overall.p95_ms < 50),
    '0 errors (goal)': verdict(errors === 0),
    'p95 < 200 ms (seed target)': verdict(overall.p95_ms < 200),
    'errors < 1 % (seed target)': verdict(overall.error_rate < 0.01),
  };
  return { overall, operations, goals, error_examples: rec.examples, load_average_after: loadavg().map((x) => +x.toFixed(2)) };
}

function print(mode, out) {
  console.log(`  ${mode}: ${out.overall.count} requests, ${out.overall.requests_per_s} req/s, p50 ${out.overall.p50_ms} ms, p95 ${out.overall.p95_ms} ms, p99 ${out.overall.p99_ms} ms, errors ${out.overall.errors} (${(out.overall.error_rate * 100).toFixed(2)} %), expected refusals ${out.overall.expected_refusals}`);
  for (const [op, s] of Object.entries(out.operations)) console.log(`    ${op.padEnd(18)} n=${String(s.count).padStart(5)}  p50 ${s.p50_ms}  p95 ${s.p95_ms}  p99 ${s.p99_ms}  errors ${s.errors}  refusals ${s.refusals}`);
  console.log(`    ${Object.entries(out.goals).map(([k, v]) => `${k}: ${v}`).join('  |  ')}`);
  if (out.error_examples.length) console.log(`    first errors: ${JSON.stringify(out.error_examples.slice(0, 3))}`);
}

// ---------------------------------------------------------------- the two ways SICORA runs
async function embedded() {
  const platform = startPlatform({ name: 'system', basePort: Number(process.env.BENCH_BASE_PORT ?? 18810), admin: ADMIN, hardLimitMs: HARD_LIMIT_MS, env: { SICORA_TIMEZONE: ZONE } });
  const stop = () => platform.stop();
  cleanups.add(stop);
  try {
    const ready_ms = await platform.waitReady();
    const api = apiClient(platform.base);
    const world = await prepare(api);
    return { backend: 'embedded (sicora start: PGlite, pg-boss, in-memory limits)', ready_ms, ...(await load(api, world)) };
  } finally {
    cleanups.delete(stop);
    await platform.stop();
  }
}

async function production() {
  return withDatabase('system', cleanups, async (databaseUrl) => {
    const base = Number(process.env.BENCH_PG_BASE_PORT ?? 18830);
    const port = Object.fromEntries(SERVICES.map((s, i) => [s, base + i]));
    const url = (s) => `http://127.0.0.1:${port[s]}`;
    const dir = mkdtempSync(join(tmpdir(), 'sicora-bench-system-'));
    const group = processGroup({ name: 'system', hardLimitMs: HARD_LIMIT_MS, dirs: [dir] });
    const secrets = Object.fromEntries(SERVICES.filter((s) => s !== 'users').map((s) => [s, `bench-${s}-${randomUUID()}`]));
    const common = {
      SICORA_DATA_DIR: dir, SICORA_TIMEZONE: ZONE, DATABASE_URL: databaseUrl, REDIS_URL, MAIL_SINK_PORT: String(base + SERVICES.length),
      ...Object.fromEntries(SERVICES.flatMap((s) => [[`${s.toUpperCase()}_URL`, url(s)], [`${s.toUpperCase()}_PORT`, String(port[s])]])),
    };
    const stop = () => group.stopAll();
    cleanups.add(stop);
    try {
      const t0 = performance.now();
      const sicora = join(root, 'bin/sicora');
      // users first: it holds the signing key, the service clients and the admin the others rely on.
      const users = group.start('users', [sicora, 'serve', 'users'], { ...common, SERVICE_CLIENTS: JSON.stringify(secrets), SICORA_ADMIN_EMAIL: ADMIN.email, SICORA_ADMIN_PASSWORD: ADMIN.password });
      await group.waitReady(users, `${url('users')}/health/ready`);
      const rest = SERVICES.filter((s) => s !== 'users' && s !== 'gateway');
      const entries = rest.map((s) => [s, group.start(s, [sicora, 'serve', s], { ...common, SERVICE_CLIENT_SECRET: secrets[s] })]);
      for (const [s, entry] of entries) await group.waitReady(entry, `${url(s)}/health/ready`);
      const worker = group.start('notification worker', [sicora, 'worker', 'notification'], { ...common, SERVICE_CLIENT_SECRET: secrets.notification, NOTIFICATION_WORKER_PORT: String(base + SERVICES.length + 1) });
      const gateway = group.start('gateway', [sicora, 'serve', 'gateway'], { ...common, SERVICE_CLIENT_SECRET: secrets.gateway });
      await group.waitReady(gateway, `${url('gateway')}/health`);
      const ready_ms = Math.round(performance.now() - t0);
      if (worker.exited) throw new Error('the notification worker exited');
      const api = apiClient(url('gateway'));
      const world = await prepare(api);
      return { backend: 'production (sicora serve × 9 + sicora worker notification: PostgreSQL, Redis)', ready_ms, ...(await load(api, world)) };
    } finally {
      cleanups.delete(stop);
      await group.stopAll();
    }
  });
}

// ---------------------------------------------------------------- main
const date = new Date().toISOString();
mkdirSync(join(root, 'bench/results'), { recursive: true });
let failed = false;
for (const mode of MODES) {
  console.log(`system (${mode}): ${FICHAS} fichas × ${APPRENTICES} apprentices + ${FICHAS * INSTRUCTORS_PER_FICHA} instructors, ${SECONDS} s, 1 s pause; zone ${ZONE}`);
  const results = { date, node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`, mode, people: FICHAS * (APPRENTICES + INSTRUCTORS_PER_FICHA), seconds: SECONDS, zone: ZONE, load_average_before: loadavg().map((x) => +x.toFixed(2)) };
  try {
    if (mode === 'embedded') Object.assign(results, await embedded());
    else if (mode === 'production') Object.assign(results, await production());
    else throw new Error(`BENCH_MODE ${mode}: embedded or production`);
    print(mode, results);
    if (results.goals['p95 < 200 ms (seed target)'] === 'FAIL' || results.goals['errors < 1 % (seed target)'] === 'FAIL') failed = true;
  } catch (err) {
    console.error(`system bench (${mode}) failed: ${err.stack ?? err.message}`);
    results.error = err.message;
    failed = true;
  }
  const file = join(root, `bench/results/system-${mode}-${date.slice(0, 10)}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`  results: ${file}`);
}
process.exit(failed ? 1 : 0);
