#!/usr/bin/env node
// Evalin benchmark (issue 13), all on 127.0.0.1, bounded in count and time, stopping by itself and
// removing what it made (data dirs, the PostgreSQL database). See bench/evalin/README.md.
//
//  report — a centre-sized closed period written by SQL: 130 fichas of 31 apprentices (4 030), five
//    instructors each (400 distinct), 20 020 submitted evaluations of 15 likert questions (300 300
//    answers). The evalin service runs in this process (its real app and routes; the schedules and users
//    ports answered from memory, the period's snapshot holds the rosters); E39 (period report) three
//    times and E45 (summary.csv, then by_group=true) twice, on PGlite on disk (the embedded default)
//    and on PostgreSQL. Goal ≤ 1 s each.
//  submit-embedded / submit-pg — a period opens: through the gateway of a real `sicora start` (embedded
//    PGlite), then of `sicora serve` users, schedules, evalin and gateway on a fresh PostgreSQL database,
//    S fichas (20) of A apprentices (31), five instructors each with a weekly class; a period of 15 likert
//    questions over those fichas is activated, every apprentice logs in (forced password change) and
//    reads E30 (not measured); then C workers (50) post every E32 (submit=true, 15 answers) back to back
//    → submissions/s (goal ≥ 200/s), E32 p50/p95/p99.
//
// BENCH_PARTS (comma list, default all three), BENCH_REPORT_FICHAS, BENCH_SUB_FICHAS, BENCH_APPRENTICES,
// BENCH_CONCURRENCY, BENCH_BACKENDS (report: pglite,postgresql), BENCH_DATABASE_URL (default DATABASE_URL,
// else postgres://postgres@127.0.0.1:5432/test: only used to create and drop bench_evalin_<pid>),
// BENCH_HARD_LIMIT_S (default 2 400), BENCH_SUBMIT_VIA (gateway, or direct to evalin for a diagnosis). Writes bench/results/evalin-<date>.json.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { adminToken as firstAdminToken, apiClient, expectStatus, root, serveServices, startPlatform } from '../lib/platform.mjs';
import { addDays, importCsv, ipOf, lines, localParts, word } from '../lib/people.mjs';
import { withDatabase } from '../lib/postgres.mjs';
import { pool, range, runGuard, stats } from '../lib/run.mjs';

register();

const PARTS = (process.env.BENCH_PARTS ?? 'report,submit-embedded,submit-pg').split(',').map((s) => s.trim()).filter(Boolean);
const REPORT_FICHAS = Number(process.env.BENCH_REPORT_FICHAS ?? 130);
const SUB_FICHAS = Math.min(50, Number(process.env.BENCH_SUB_FICHAS ?? 20)); // E19 takes 1–50 fichas
const APPRENTICES = Number(process.env.BENCH_APPRENTICES ?? 31);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const VIA = process.env.BENCH_SUBMIT_VIA ?? 'gateway'; // 'direct': the E32s go straight to evalin (diagnosis)
const INSTRUCTORS_PER_FICHA = 5;
const QUESTIONS = 15;
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 40 * 60) * 1000;
const ZONE = 'America/Bogota';
const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Bench#Evalin-2026x', newPassword: 'Rendimiento#2027-Ev' };
const USER_PASSWORD = 'Rendimiento#2027-Ev';

const { cleanups } = runGuard({ name: 'evalin', hardLimitMs: HARD_LIMIT_MS });



// ---------------------------------------------------------------- report: E39 and E45 in this process
const PERIOD = '20000000-0000-4000-8000-000000000001';
const QUESTIONNAIRE = '10000000-0000-4000-8000-000000000001';

/** The closed period by SQL: ids are deterministic, student s of ficha g = 40000000-0000-4000-<g>-<s>. */
function seedStatements(fichas, apprentices) {
  const pairs = apprentices * INSTRUCTORS_PER_FICHA;
  // 20 000 of the 20 150 (apprentice, instructor) pairs submitted: 154 a ficha at the default size.
  const submittedPerFicha = Math.max(1, Math.min(pairs, Math.round((20_000 / 130) * (apprentices / 31))));
  const instructor = (k) => `('50000000-0000-4000-8000-' || lpad((((g - 1) * ${INSTRUCTORS_PER_FICHA} + ${k}) % 400 + 1)::text, 12, '0'))::uuid`;
  const group = `('30000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid`;
  const student = (s) => `('40000000-0000-4000-' || lpad(g::text, 4, '0') || '-' || lpad((${s})::text, 12, '0'))::uuid`;
  return {
    submittedPerFicha,
    statements: [
      `insert into evalin.questions (id, text, text_key, search_text, question_type, category, order_index, created_at, updated_at)
        select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'Pregunta de carga ' || g, 'pregunta de carga ' || g, 'pregunta de carga ' || g, 'likert', 'Categoría ' || (g % 5), g, now(), now() from generate_series(1, ${QUESTIONS}) g`,
      `insert into evalin.questionnaires (id, name, name_key, created_at, updated_at) values ('${QUESTIONNAIRE}', 'Cuestionario de carga', 'cuestionario de carga', now(), now())`,
      `insert into evalin.questionnaire_questions select '${QUESTIONNAIRE}', ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, g from generate_series(1, ${QUESTIONS}) g`,
      `insert into evalin.periods (id, name, start_date, end_date, questionnaire_id, status, closed_reason, activated_at, closed_at, created_at, updated_at)
        values ('${PERIOD}', 'Evaluación de carga', now() - interval '30 days', now() - interval '1 day', '${QUESTIONNAIRE}', 'closed', 'end_date', now() - interval '30 days', now() - interval '1 day', now(), now())`,
      `insert into evalin.period_groups select '${PERIOD}', ${group}, (2800000 + g)::text from generate_series(1, ${fichas}) g`,
      `insert into evalin.period_group_snapshots select '${PERIOD}', ${group},
        array(select ${student('s')} from generate_series(1, ${apprentices}) s),
        array(select ${instructor('i')} from generate_series(1, ${INSTRUCTORS_PER_FICHA}) i), now() - interval '1 day' from generate_series(1, ${fichas}) g`,
      // Pair r of a ficha: apprentice (r − 1) mod A + 1, instructor (r − 1) div A + 1 (r ≤ 5A, so unique).
      `insert into evalin.evaluations (period_id, instructor_id, student_id, group_id, status, submitted_at, created_at, updated_at)
        select '${PERIOD}', ${instructor(`((r - 1) / ${apprentices}) + 1`)}, ${student(`(r - 1) % ${apprentices} + 1`)}, ${group}, 'submitted', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'
        from generate_series(1, ${fichas}) g, generate_series(1, ${submittedPerFicha}) r`,
      `insert into evalin.responses (id, period_id, instructor_id, group_id, questionnaire_id)
        select gen_random_uuid(), '${PERIOD}', ${instructor(`((r - 1) / ${apprentices}) + 1`)}, ${group}, '${QUESTIONNAIRE}'
        from generate_series(1, ${fichas}) g, generate_series(1, ${submittedPerFicha}) r`,
      // Values 1–5 leaning to the top, as real evaluations do (a hash, so both back ends get the same set).
      `insert into evalin.response_answers
        select r.id, q.id, (array[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + abs(hashtext(r.id::text || q.id::text)) % 10], null from evalin.responses r, evalin.questions q`,
      'analyze evalin.evaluations',
      'analyze evalin.responses',
      'analyze evalin.response_answers',
      'analyze evalin.period_group_snapshots',
    ],
  };
}

async function reportOn(backend) {
  const { buildApp } = await import('../../services/evalin/src/app.ts');
  const { loadConfig } = await import('../../services/evalin/src/config.ts');
  const { openPglite, fromPglite, openPool } = await import('@sicora/platform/db');
  const { createLocalVerifier } = await import('@sicora/platform/auth');
  const { createTestKeys, mintToken } = await import('@sicora/platform/testing/keys');

  const run = async (database) => {
    const config = loadConfig({ LOG_LEVEL: 'warn', EVALIN_OUTBOX_RELAY: 'false' });
    const keys = await createTestKeys();
    // The period is closed with its snapshot, so the ports are not on the report's path; names from memory.
    const schedules = { group: async () => undefined, instructors: async () => [], apprentices: async () => [] };
    const users = { lookup: async (ids) => ids.map((id) => ({ id, full_name: `Instructor ${id.slice(-4)}`, first_name: 'Instructor', last_name: id.slice(-4) })) };
    // buildApp applies the migrations; the data goes in afterwards.
    const app = await buildApp(config, { database, verifier: createLocalVerifier(keys.jwks, config.jwt), schedules, users, outboxRelay: false, jobs: false });
    await app.ready();
    try {
      const exec = async (text) => (database.pool ? database.pool.query(text) : database.pglite.query(text));
      const seed = seedStatements(REPORT_FICHAS, APPRENTICES);
      const t0 = performance.now();
      for (const s of seed.statements) await exec(s);
      const count = async (table) => (await exec(`select count(*)::int as n from evalin.${table}`)).rows[0].n;
      const loaded = { fichas: REPORT_FICHAS, apprentices: REPORT_FICHAS * APPRENTICES, evaluations: await count('evaluations'), responses: await count('responses'), answers: await count('response_answers'), load_s: +((performance.now() - t0) / 1000).toFixed(1) };
      console.log(`  ${backend}: ${loaded.fichas} fichas, ${loaded.apprentices} apprentices, ${loaded.evaluations} evaluations, ${loaded.answers} answers written in ${loaded.load_s} s`);
      const headers = { authorization: `Bearer ${await mintToken(keys, { sub: randomUUID(), role: 'admin' })}` };
      const timed = async (url) => {
        const a = performance.now();
        const res = await app.inject({ method: 'GET', url, headers });
        const ms = Math.round(performance.now() - a);
        if (res.statusCode !== 200) throw new Error(`GET ${url}: HTTP ${res.statusCode} ${res.body.slice(0, 500)}`);
        return { ms, res };
      };
      const base = `/api/v1/evalin/reports/periods/${PERIOD}`;
      const e39 = [];
      let body;
      for (let i = 0; i < 3; i++) {
        const r = await timed(base);
        e39.push(r.ms);
        body = r.res.json().data;
      }
      const csv = [];
      let csvBytes = 0;
      for (let i = 0; i < 2; i++) {
        const r = await timed(`${base}/export/summary.csv`);
        csv.push(r.ms);
        csvBytes = r.res.rawPayload.length;
      }
      const csvByGroup = [];
      for (let i = 0; i < 2; i++) csvByGroup.push((await timed(`${base}/export/summary.csv?by_group=true`)).ms);
      const check = { results_status: body.results_status, response_count: body.results?.response_count, instructors: body.results?.instructors?.length, expected: body.participation?.expected, submitted: body.participation?.submitted };
      console.log(`  ${backend}: E39 ${e39.join(' / ')} ms ${JSON.stringify(check)}; summary.csv ${csv.join(' / ')} ms (${csvBytes} bytes), by_group ${csvByGroup.join(' / ')} ms`);
      return {
        backend, ...loaded, check,
        e39_ms: e39, summary_csv_ms: csv, summary_csv_bytes: csvBytes, summary_csv_by_group_ms: csvByGroup,
        goals: { e39_1s: { goal_ms: 1000, pass: Math.min(...e39.slice(1)) <= 1000 }, csv_1s: { goal_ms: 1000, pass: Math.min(...csv) <= 1000 } },
      };
    } finally {
      await app.close();
    }
  };
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'sicora-bench-evalin-report-'));
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
  return withDatabase('evalin', cleanups, async (url) => {
    const database = openPool(url, { max: 10 });
    try {
      return await run(database);
    } finally {
      await database.close();
    }
  });
}

// ---------------------------------------------------------------- submit: a period opens, through the gateway
const instructorDoc = (i) => String(73_500_000 + i);
const apprenticeDoc = (i) => String(1_089_000_000 + i);
const fichaNumber = (i) => String(3_400_000 + i);
const venueCode = (i) => `EV${String(i + 1).padStart(3, '0')}`;
// Names take letters only (users R…): the index spelt in letters.


/** Instructors, venues, fichas, apprentices, five weekly classes a ficha, 15 questions, the period (active); then every login and E30. */
async function prepareSubmit(api) {
  const token = await firstAdminToken(api, ADMIN);
  const today = localParts(ZONE).date;
  for (const [path, body, exists] of [
    ['/api/v1/campuses', { code: 'CALLE52', name: 'Sede Calle 52' }, 'CAMPUS_CODE_EXISTS'],
    ['/api/v1/programs', { code: 'ADSO', name: 'Análisis y Desarrollo de Software', level: 'TECNOLOGO', duration_months: 24 }, 'PROGRAM_CODE_EXISTS'],
  ]) {
    const res = await api('POST', path, { token, json: body });
    if (res.status !== 201 && res.body?.error?.code !== exists) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  const F = SUB_FICHAS;
  const I = F * INSTRUCTORS_PER_FICHA;
  await importCsv(api, token, '/api/v1/users/import?role=instructor', lines('first_name,last_name,email,document_type,document_number', range(I).map((i) => `Instructor ${word(i)},Carga Evaluacion,ins${i}@bench-evalin.sicora.test,CC,${instructorDoc(i)}`)), 'instructores.csv', 'instructors import');
  await importCsv(api, token, '/api/v1/venues/import', lines('code,name,campus_code,type,capacity,floor', range(F).map((i) => `${venueCode(i)},Aula de evaluación ${i + 1},CALLE52,AULA,40,1`)), 'ambientes.csv', 'venues import');
  await importCsv(api, token, '/api/v1/groups/import', lines('number,program_code,campus_code,shift,start_date,end_date,current_quarter,max_apprentices', range(F).map((i) => `${fichaNumber(i)},ADSO,CALLE52,MANANA,${addDays(today, -182)},${addDays(today, 546)},2,${Math.max(APPRENTICES, 30)}`)), 'fichas.csv', 'fichas import');
  await importCsv(api, token, '/api/v1/users/import?role=aprendiz', lines('first_name,last_name,email,document_type,document_number,group_number', range(F * APPRENTICES).map((i) => `Aprendiz ${word(i)},Carga Evaluacion,apr${i}@bench-evalin.sicora.test,CC,${apprenticeDoc(i)},${fichaNumber(Math.floor(i / APPRENTICES))}`)), 'aprendices.csv', 'apprentices import');
  // Instructor k of a ficha teaches it on weekday k + 1, 07:00–09:00, in the ficha's own room.
  await importCsv(api, token, '/api/v1/schedules/import', lines('group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,blocks,start_date,end_date,notes',
    range(I).map((i) => { const f = Math.floor(i / INSTRUCTORS_PER_FICHA); const k = i % INSTRUCTORS_PER_FICHA; return `${fichaNumber(f)},${instructorDoc(i)},${venueCode(f)},Competencia ${k + 1},${k + 1},07:00,09:00,,${today},${addDays(today, 27)},Carga de evaluación`; })), 'horarios.csv', 'schedules import');
  const groupIds = [];
  for (let i = 0; i < F; i += 100) {
    const numbers = range(Math.min(100, F - i)).map((j) => fichaNumber(i + j)).join(',');
    const data = expectStatus(await api('GET', `/api/v1/groups?numbers=${numbers}&page_size=100`, { token }), 200, 'G1');
    groupIds.push(...data.map((g) => g.id));
  }
  if (groupIds.length !== F) throw new Error(`G1 found ${groupIds.length} of ${F} fichas`);
  const questionIds = [];
  for (const q of range(QUESTIONS)) {
    const data = expectStatus(await api('POST', '/api/v1/evalin/questions', { token, json: { text: `Pregunta de carga número ${word(q)}`, question_type: 'likert', category: `Carga ${q % 3}` } }), 201, 'E2');
    questionIds.push(data.id);
  }
  const questionnaire = expectStatus(await api('POST', '/api/v1/evalin/questionnaires', { token, json: { name: `Cuestionario de carga ${randomUUID().slice(0, 8)}`, question_ids: questionIds } }), 201, 'E10');
  const period = expectStatus(await api('POST', '/api/v1/evalin/periods', { token, json: { name: `Evaluación de carga ${today}`, start_date: today, end_date: addDays(today, 14), questionnaire_id: questionnaire.id, group_ids: groupIds } }), 201, 'E19');
  const active = expectStatus(await api('POST', `/api/v1/evalin/periods/${period.id}/activate`, { token }), 200, 'E23');
  if (active.status !== 'active') throw new Error(`E23: the period is ${active.status}, not active`);

  // Every login with its forced password change, a few at a time (argon2id is the cost), then E30.
  const t0 = performance.now();
  const apprentices = new Array(F * APPRENTICES);
  await pool(range(F * APPRENTICES), 6, async (i) => {
    const email = `apr${i}@bench-evalin.sicora.test`;
    const ip = ipOf(40, i);
    const first = expectStatus(await api('POST', '/api/v1/auth/login', { json: { identifier: email, password: apprenticeDoc(i) }, ip }), 200, `login ${email}`);
    const changed = expectStatus(await api('POST', '/api/v1/auth/change-password', { token: first.access_token, ip, json: { current_password: apprenticeDoc(i), new_password: USER_PASSWORD } }), 200, `change-password ${email}`);
    const e30 = expectStatus(await api('GET', `/api/v1/evalin/instructors-to-evaluate?period_id=${period.id}`, { token: changed.access_token, ip }), 200, `E30 ${email}`);
    const instructors = (e30.periods.find((p) => p.period_id === period.id)?.instructors ?? []).map((x) => x.instructor_id);
    if (instructors.length !== INSTRUCTORS_PER_FICHA) throw new Error(`E30 ${email}: ${instructors.length} instructors, expected ${INSTRUCTORS_PER_FICHA}`);
    apprentices[i] = { token: changed.access_token, ip, instructors };
  });
  console.log(`  ${F} fichas × ${APPRENTICES} apprentices ready, ${apprentices.length} logins and E30 in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { periodId: period.id, questionIds, apprentices };
}

// ---------------------------------------------------------------- CPU-independent probes of the rush
/** utime + stime (clock ticks, 100 Hz) of a process and every descendant, from /proc (Linux only; else null). */
function cpuTicks(rootPid) {
  try {
    const stats = new Map();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
        stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
      } catch {
        // gone meanwhile
      }
    }
    let total = 0;
    const todo = [rootPid];
    while (todo.length) {
      const pid = todo.pop();
      total += stats.get(pid)?.ticks ?? 0;
      for (const [child, st] of stats) if (st.ppid === pid) todo.push(child);
    }
    return total;
  } catch {
    return null;
  }
}

/** Committed and rolled-back transactions and rows written in one PostgreSQL database (pg_stat_database). */
async function pgCounters(databaseUrl) {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query('select xact_commit::int8 as c, xact_rollback::int8 as r, tup_inserted::int8 as i, tup_updated::int8 as u from pg_stat_database where datname = current_database()');
    // evalin's own tables: table scans (sequential + index) — a proxy of its statements that read or write rows.
    const { rows: ev } = await client.query("select coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::int8 as s from pg_stat_user_tables where schemaname = 'evalin'");
    return { xacts: Number(rows[0].c) + Number(rows[0].r), inserted: Number(rows[0].i), updated: Number(rows[0].u), evalinScans: Number(ev[0].s) };
  } finally {
    await client.end();
  }
}

/** Takes the probes before and after the rush: CPU ms per submission of each process, PostgreSQL counters per submission. */
function probeOf({ pids = {}, databaseUrl }) {
  return async () => {
    const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuTicks(pid)]));
    const pg0 = databaseUrl ? await pgCounters(databaseUrl) : null;
    return async (n) => {
      // pg_stat_database is flushed by each backend at most once a second: let it settle.
      if (databaseUrl) await new Promise((r) => setTimeout(r, 1500));
      const out = { cpu_ms_per_submission: {} };
      for (const [k, pid] of Object.entries(pids)) {
        const a = cpu0[k];
        const b = cpuTicks(pid);
        out.cpu_ms_per_submission[k] = a === null || b === null || n === 0 ? null : +(((b - a) * 10) / n).toFixed(2);
      }
      if (databaseUrl) {
        const pg1 = await pgCounters(databaseUrl);
        // The probes' own connections add 1–2 transactions in all: negligible per submission.
        out.pg_per_submission = n === 0 ? null : { transactions: +((pg1.xacts - pg0.xacts) / n).toFixed(2), rows_inserted: +((pg1.inserted - pg0.inserted) / n).toFixed(2), rows_updated: +((pg1.updated - pg0.updated) / n).toFixed(2), evalin_table_scans: +((pg1.evalinScans - pg0.evalinScans) / n).toFixed(2) };
      }
      return out;
    };
  };
}

async function submitRush(api, prepared, probe) {
  const { periodId, questionIds, apprentices } = prepared;
  const finish = probe ? await probe() : null;
  const jobs = apprentices.flatMap((a, i) => a.instructors.map((instructorId, k) => ({ a, instructorId, seed: i * 7 + k })));
  const done = [];
  const errors = {};
  const t = performance.now();
  await pool(jobs, CONCURRENCY, async ({ a, instructorId, seed }) => {
    const answers = questionIds.map((question_id, q) => ({ question_id, value: 1 + ((seed + q * 3) % 5) }));
    const s = performance.now();
    const res = await api('POST', '/api/v1/evalin/evaluations', { token: a.token, ip: a.ip, json: { period_id: periodId, instructor_id: instructorId, answers, submit: true } });
    const ms = performance.now() - s;
    if (res.status === 201) done.push(ms);
    else errors[`${res.status} ${res.body?.error?.code ?? ''}`] = (errors[`${res.status} ${res.body?.error?.code ?? ''}`] ?? 0) + 1;
  });
  const seconds = (performance.now() - t) / 1000;
  const probes = finish ? await finish(done.length) : {};
  const out = { submissions: jobs.length, submitted: done.length, seconds: +seconds.toFixed(2), submissions_per_s: Math.round(done.length / seconds), e32: stats(done), errors, ...probes, load_average: loadavg().map((x) => +x.toFixed(2)) };
  console.log(`  ${CONCURRENCY} workers: ${out.submissions_per_s} submissions/s, E32 p50 ${out.e32.p50_ms} ms, p95 ${out.e32.p95_ms} ms, ${out.submitted}/${out.submissions} submitted ${JSON.stringify(errors)}`);
  if (finish) console.log(`  per submission: CPU ms ${JSON.stringify(out.cpu_ms_per_submission)}${out.pg_per_submission ? `, PostgreSQL ${JSON.stringify(out.pg_per_submission)}` : ''}; load ${out.load_average.join(' ')}`);
  return { ...out, goals: { submissions_per_s: { goal: 200, pass: out.submissions_per_s >= 200 && out.submitted === out.submissions } } };
}

async function submitEmbedded() {
  const platform = startPlatform({ name: 'evalin', basePort: Number(process.env.BENCH_BASE_PORT ?? 18550), admin: ADMIN, hardLimitMs: HARD_LIMIT_MS, env: { SICORA_TIMEZONE: ZONE, EVALIN_OUTBOX_RELAY: 'false' } });
  const stop = () => platform.stop();
  cleanups.add(stop);
  try {
    const ready_ms = await platform.waitReady();
    const api = apiClient(platform.base);
    const prepared = await prepareSubmit(api);
    // One process (and its children) holds the gateway, every service and PGlite: its CPU per submission.
    const probe = platform.child?.pid ? probeOf({ pids: { platform: platform.child.pid } }) : undefined;
    return { backend: 'embedded (sicora start, PGlite)', via: VIA, ready_ms, ...(await submitRush(VIA === 'direct' ? apiClient(platform.portEnv.EVALIN_URL) : api, prepared, probe)) };
  } finally {
    cleanups.delete(stop);
    await platform.stop();
  }
}

async function submitPostgres() {
  return withDatabase('evalin', cleanups, async (databaseUrl) => {
    const served = await serveServices({
      name: 'evalin', services: ['gateway', 'users', 'schedules', 'evalin'], basePort: Number(process.env.BENCH_PG_BASE_PORT ?? 18570), databaseUrl,
      hardLimitMs: HARD_LIMIT_MS, admin: ADMIN, env: { SICORA_TIMEZONE: ZONE, EVALIN_OUTBOX_RELAY: 'false' },
    });
    const { url, group, ready_ms } = served;
    const stop = () => served.stop();
    cleanups.add(stop);
    try {
      const api = apiClient(url('gateway'));
      const prepared = await prepareSubmit(api);
      const pids = Object.fromEntries([...group.children].map((e) => [e.name, e.child.pid]));
      return { backend: 'PostgreSQL (sicora serve users, schedules, evalin, gateway)', via: VIA, ready_ms, ...(await submitRush(VIA === 'direct' ? apiClient(url('evalin')) : api, prepared, probeOf({ pids, databaseUrl }))) };
    } finally {
      cleanups.delete(stop);
      await served.stop();
    }
  });
}

// ---------------------------------------------------------------- main
const results = { date: new Date().toISOString(), node: process.version, parts: PARTS, report_fichas: REPORT_FICHAS, submit_fichas: SUB_FICHAS, apprentices_per_ficha: APPRENTICES, instructors_per_ficha: INSTRUCTORS_PER_FICHA, questions: QUESTIONS, concurrency: CONCURRENCY, load_average_before: loadavg().map((x) => +x.toFixed(2)) };
try {
  if (PARTS.includes('report')) {
    console.log(`report: a closed period of ${REPORT_FICHAS} fichas × ${APPRENTICES} apprentices × ${INSTRUCTORS_PER_FICHA} instructors, ${QUESTIONS} likert questions`);
    results.report = [];
    for (const backend of (process.env.BENCH_BACKENDS ?? 'pglite,postgresql').split(',')) results.report.push(await reportOn(backend.trim()));
  }
  if (PARTS.includes('submit-embedded')) {
    console.log(`submit (embedded): ${SUB_FICHAS} fichas × ${APPRENTICES} apprentices × ${INSTRUCTORS_PER_FICHA} instructors`);
    results.submit_embedded = await submitEmbedded();
  }
  if (PARTS.includes('submit-pg')) {
    console.log(`submit (PostgreSQL): ${SUB_FICHAS} fichas × ${APPRENTICES} apprentices × ${INSTRUCTORS_PER_FICHA} instructors`);
    results.submit_pg = await submitPostgres();
  }
} catch (err) {
  console.error(`evalin bench failed: ${err.stack ?? err.message}`);
  results.error = err.message;
  process.exitCode = 1;
}
results.load_average_after = loadavg().map((x) => +x.toFixed(2));
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/evalin-${results.date.slice(0, 19).replaceAll(':', '')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`results: ${file}`);
// Leftover sockets of the in-process app must not keep the process alive past the report.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
