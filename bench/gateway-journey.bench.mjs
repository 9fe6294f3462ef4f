#!/usr/bin/env node
// Gateway mixed journey load (gateway.md R61): "100 virtual users, each with its own account and client
// address sent as X-Forwarded-For through the trusted loopback hop, pausing 1 s between requests; 60 s,
// 5 % logins, 80 % reads, 15 % writes" through every real service that is built.
// The whole platform runs as a real process (`sicora start`, embedded PGlite, demo data) on a fresh data dir
// and its own loopback ports (BENCH_JOURNEY_BASE_PORT, default 18710). Set-up, not measured: the admin
// imports 100 instructors in one CSV (users B1); each virtual user logs in with its initial password (its
// document number) and makes the forced change (A6), from its own address 10.61.<i / 250>.<i % 250 + 1>.
// Then each user loops for BENCH_JOURNEY_SECONDS (default 60): one request, its answer, a 1 s pause. The
// request is a login (5 %, A1), a read (80 %) or a write (15 %), drawn at random among:
//   reads  users P1 /users/me; schedules campuses, venues, programs, groups, schedules; notification inbox,
//          unread count, preferences, types (attendance, evalin, kb, ai and projecteval are shells);
//   writes users P2 PATCH /users/me (phone); notification P2 PUT /preferences; notification I8 read-all.
// Latency is measured by the client from send to the whole body. Any status other than the expected 2xx,
// or a network error, is an error. R61: p95 of reads and of writes < 50 ms (floor 200 ms) and 0 errors
// (floor < 1 %); logins (argon2id, users.md R8) are reported apart. The gateway's own view (S3 stats over
// the request log of the run) is added to the results.
// BENCH_JOURNEY_TARGET=direct sends the same journey straight to each owning service's port (no gateway),
// to tell the gateway's share of the latency from the platform's and the machine's.
// Writes bench/results/gateway-journey-<date>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { adminToken as firstAdminToken, apiClient, expectStatus, root, startPlatform } from './lib/platform.mjs';

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Bench#Recorrido-2026x', newPassword: 'Rendimiento#2027-Xy' };
const USER_PASSWORD = 'Recorrido#Carga-2027x';
const USERS = Number(process.env.BENCH_JOURNEY_USERS ?? 100);
const SECONDS = Number(process.env.BENCH_JOURNEY_SECONDS ?? 60);
const PAUSE_MS = 1000;

const platform = startPlatform({
  name: 'journey', basePort: Number(process.env.BENCH_JOURNEY_BASE_PORT ?? 18710), admin: ADMIN, hardLimitMs: (SECONDS + 600) * 1000,
});
const { base, portEnv, child } = platform;
const api = apiClient(base);
const adminToken = () => firstAdminToken(api, ADMIN);
const TARGET = process.env.BENCH_JOURNEY_TARGET ?? 'gateway';
if (!['gateway', 'direct'].includes(TARGET)) throw new Error('BENCH_JOURNEY_TARGET must be gateway or direct');
// The journey's paths and their owners (gateway.md §4.8), for the direct comparison.
function targetOf(path) {
  if (TARGET === 'gateway') return base;
  const owner = /^\/api\/v1\/(users|auth)\b/.test(path) ? 'users' : path.startsWith('/api/v1/notifications') ? 'notification' : 'schedules';
  return portEnv[`${owner.toUpperCase()}_URL`];
}

const FIRST = ['Andrés', 'Carolina', 'Julián', 'Marcela', 'Sebastián', 'Paola', 'Camilo', 'Natalia', 'Felipe', 'Lorena'];
const LAST = ['Gómez Ruiz', 'Pardo Díaz', 'Suárez León', 'Rojas Peña', 'Cárdenas Mora', 'Quintero Sanz', 'Niño Vega', 'Torres Ríos', 'Salazar Gil', 'Acosta Mejía'];
const email = (i) => `recorrido${i}@bench.sicora.test`;
const documentNumber = (i) => String(82_000_000 + i);
const ipOf = (i) => `10.61.${Math.floor(i / 250)}.${(i % 250) + 1}`;

function instructorsCsv() {
  const lines = ['first_name,last_name,email,document_type,document_number,role'];
  for (let i = 0; i < USERS; i++) lines.push(`${FIRST[i % 10]},${LAST[Math.floor(i / 10) % 10]},${email(i)},CC,${documentNumber(i)},instructor`);
  return lines.join('\n') + '\n';
}

const READS = [
  ['users: GET /users/me', 'GET', '/api/v1/users/me'],
  ['schedules: GET /campuses', 'GET', '/api/v1/campuses'],
  ['schedules: GET /venues', 'GET', '/api/v1/venues?page_size=20'],
  ['schedules: GET /programs', 'GET', '/api/v1/programs?page_size=20'],
  ['schedules: GET /groups', 'GET', '/api/v1/groups?page_size=20'],
  ['schedules: GET /schedules', 'GET', '/api/v1/schedules?page_size=20'],
  ['notification: GET /inbox', 'GET', '/api/v1/notifications/inbox?page_size=20'],
  ['notification: GET /inbox/unread-count', 'GET', '/api/v1/notifications/inbox/unread-count'],
  ['notification: GET /preferences', 'GET', '/api/v1/notifications/preferences'],
  ['notification: GET /types', 'GET', '/api/v1/notifications/types'],
];
const WRITES = [
  ['users: PATCH /users/me', 'PATCH', '/api/v1/users/me', (n) => ({ phone: `300${String(1_000_000 + n).slice(-7)}` })],
  ['notification: PUT /preferences', 'PUT', '/api/v1/notifications/preferences', (n) => ({ channels: { email: n % 2 === 0 } })],
  ['notification: POST /inbox/read-all', 'POST', '/api/v1/notifications/inbox/read-all', () => ({})],
];

const samples = { login: [], read: [], write: [] };
const errors = { login: 0, read: 0, write: 0 };
const errorExamples = [];
const perEndpoint = new Map();

async function timed(kind, label, method, path, { token, json, ip, expect = 200 }) {
  const started = performance.now();
  let status = 0;
  let body;
  try {
    const headers = { 'x-forwarded-for': ip };
    if (token) headers.authorization = `Bearer ${token}`;
    if (json) headers['content-type'] = 'application/json';
    const res = await fetch(`${targetOf(path)}${path}`, { method, headers, body: json ? JSON.stringify(json) : undefined });
    status = res.status;
    body = await res.json().catch(() => null);
  } catch (err) {
    body = { network_error: err.message };
  }
  const ms = performance.now() - started;
  samples[kind].push(ms);
  const entry = perEndpoint.get(label) ?? { kind, latencies: [], errors: 0 };
  entry.latencies.push(ms);
  perEndpoint.set(label, entry);
  if (status !== expect) {
    errors[kind] += 1;
    entry.errors += 1;
    if (errorExamples.length < 10) errorExamples.push({ label, status, body: JSON.stringify(body).slice(0, 300) });
  }
  return { status, body };
}

/** User + system CPU seconds of a process (Linux /proc; null elsewhere). */
function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const pct = (q) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] * 100) / 100 : null);
  return { count: sorted.length, p50_ms: pct(50), p95_ms: pct(95), p99_ms: pct(99), max_ms: sorted.length ? Math.round(sorted[sorted.length - 1] * 100) / 100 : null };
}

async function virtualUser(i, until) {
  const ip = ipOf(i);
  let token = tokens[i];
  let n = i;
  // Spread the first requests over the first pause so the users do not march in step.
  await new Promise((r) => setTimeout(r, Math.random() * PAUSE_MS));
  while (Date.now() < until) {
    n += 1;
    const draw = Math.random() * 100;
    if (draw < 5) {
      const res = await timed('login', 'users: POST /auth/login', 'POST', '/api/v1/auth/login', { json: { identifier: email(i), password: USER_PASSWORD }, ip });
      if (res.status === 200) token = res.body.data.access_token;
    } else if (draw < 85) {
      const [label, method, path] = READS[Math.floor(Math.random() * READS.length)];
      await timed('read', label, method, path, { token, ip });
    } else {
      const [label, method, path, body] = WRITES[Math.floor(Math.random() * WRITES.length)];
      await timed('write', label, method, path, { token, json: body(n), ip });
    }
    await new Promise((r) => setTimeout(r, PAUSE_MS));
  }
}

const tokens = [];
const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  database: 'pglite (embedded, sicora start)',
  target: TARGET === 'gateway' ? 'through the gateway' : 'direct to each owning service (no gateway)',
  virtual_users: USERS,
  duration_s: SECONDS,
  pause_ms: PAUSE_MS,
  mix: { login: 0.05, read: 0.8, write: 0.15 },
};
try {
  results.ready_ms = await platform.waitReady();
  const admin = await adminToken();
  const form = new FormData();
  form.append('file', new Blob([instructorsCsv()], { type: 'text/csv' }), 'instructores.csv');
  const imported = expectStatus(await api('POST', '/api/v1/users/import', { token: admin, form }), 201, 'import');
  if (imported.created !== USERS) throw new Error(`import created ${imported.created} of ${USERS}`);

  // Each account's first login and forced change, ten at a time, each from the user's own address.
  const setupStarted = performance.now();
  for (let start = 0; start < USERS; start += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, USERS - start) }, async (_, k) => {
        const i = start + k;
        const login = expectStatus(await api('POST', '/api/v1/auth/login', { json: { identifier: email(i), password: documentNumber(i) }, ip: ipOf(i) }), 200, `login ${i}`);
        const changed = await api('POST', '/api/v1/auth/change-password', { token: login.access_token, ip: ipOf(i), json: { current_password: documentNumber(i), new_password: USER_PASSWORD } });
        tokens[i] = expectStatus(changed, 200, `change-password ${i}`).access_token;
      }),
    );
  }
  results.setup_ms = Math.round(performance.now() - setupStarted);
  // Every journey request must be answerable before it is measured.
  for (const [label, method, path] of READS) expectStatus(await api(method, path, { token: tokens[0], ip: ipOf(0) }), 200, `probe ${label}`);
  for (const [label, method, path, body] of WRITES) expectStatus(await api(method, path, { token: tokens[0], ip: ipOf(0), json: body(0) }), 200, `probe ${label}`);

  console.log(`journey (${results.target}): ${USERS} users, ${SECONDS} s, 1 s pause (set-up ${results.setup_ms} ms)`);
  const runStarted = new Date();
  const until = Date.now() + SECONDS * 1000;
  // How busy the platform process (every service and the gateway share it) and the machine were: on a
  // shared box the latencies say as much about the neighbours as about SICORA.
  const cpuBefore = processCpuSeconds(child.pid);
  await Promise.all(Array.from({ length: USERS }, (_, i) => virtualUser(i, until)));
  const cpuAfter = processCpuSeconds(child.pid);
  results.platform_process_cpu_percent = cpuBefore !== null && cpuAfter !== null ? Math.round(((cpuAfter - cpuBefore) / SECONDS) * 1000) / 10 : null;
  results.load_average_1m_after = Math.round(loadavg()[0] * 100) / 100;

  const total = (k) => samples[k].length;
  const rate = (k) => (total(k) ? Math.round((errors[k] / total(k)) * 10_000) / 10_000 : 0);
  results.reads = { ...stats(samples.read), errors: errors.read, error_rate: rate('read') };
  results.writes = { ...stats(samples.write), errors: errors.write, error_rate: rate('write') };
  results.logins = { ...stats(samples.login), errors: errors.login, error_rate: rate('login') };
  results.requests_per_s = Math.round(((total('read') + total('write') + total('login')) / SECONDS) * 10) / 10;
  const measured = total('read') + total('write');
  const measuredErrorRate = measured ? (errors.read + errors.write) / measured : 0;
  results.endpoints = Object.fromEntries([...perEndpoint].map(([label, e]) => [label, { kind: e.kind, ...stats(e.latencies), errors: e.errors }]));
  results.error_examples = errorExamples;
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  results.targets = {
    'reads p95 < 50 ms (goal)': verdict(results.reads.p95_ms < 50),
    'writes p95 < 50 ms (goal)': verdict(results.writes.p95_ms < 50),
    '0 errors (goal)': verdict(errors.read + errors.write + errors.login === 0),
    'reads p95 < 200 ms (floor)': verdict(results.reads.p95_ms < 200),
    'writes p95 < 200 ms (floor)': verdict(results.writes.p95_ms < 200),
    'errors < 1 % (floor)': verdict(measuredErrorRate < 0.01),
  };

  // The gateway's own account of the run (S3 over its request log; rows are flushed every second).
  await new Promise((r) => setTimeout(r, 2000));
  const stats15 = await api('GET', '/api/v1/gateway/stats?window=15m', { token: admin });
  if (stats15.status === 200) results.gateway_stats_15m = stats15.body.data;
  results.run_started_at = runStarted.toISOString();

  const line = (name, s) => `${name.padEnd(7)} n=${String(s.count).padStart(5)}  p50 ${s.p50_ms} ms  p95 ${s.p95_ms} ms  p99 ${s.p99_ms} ms  errors ${s.errors} (${(s.error_rate * 100).toFixed(2)} %)`;
  console.log(line('reads', results.reads));
  console.log(line('writes', results.writes));
  console.log(line('logins', results.logins));
  console.log(`${results.requests_per_s} req/s overall; platform process CPU ${results.platform_process_cpu_percent} % of one core; load average ${results.load_average_1m_after}`);
  console.log(Object.entries(results.targets).map(([k, v]) => `${k}: ${v}`).join('  |  '));
  if (errorExamples.length) console.log(`errors, first ones: ${JSON.stringify(errorExamples.slice(0, 3))}`);
  if (results.targets['reads p95 < 200 ms (floor)'] === 'FAIL' || results.targets['writes p95 < 200 ms (floor)'] === 'FAIL' || results.targets['errors < 1 % (floor)'] === 'FAIL') process.exitCode = 1;
} catch (err) {
  console.error(`gateway-journey bench failed: ${err.message}`);
  results.error = err.message;
  process.exitCode = 1;
} finally {
  await platform.stop();
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/gateway-journey${TARGET === 'direct' ? '-direct' : ''}-${results.date.slice(0, 10)}.json`);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`results: ${file}`);
