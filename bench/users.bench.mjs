#!/usr/bin/env node
// Users service benchmarks (issue 3):
//  1. logins per second and p95 login latency at 20 concurrent clients (autocannon, 20 s), each request
//     from its own client address (X-Forwarded-For through the trusted loopback hop) so the per-IP login
//     limit of users.md R14 measures the service, not the limiter;
//  2. the time to import a CSV of 10 000 apprentices (one multipart POST, all-or-nothing), and that it
//     stored every row with one USERS_IMPORTED event (the suite checks the rule on a smaller file).
// The users service runs as its own process (`sicora serve users`) on a fresh PGlite data dir (or on
// DATABASE_URL when set); ficha look-ups go to a small local stand-in for the schedules service that
// knows 100 active fichas without a capacity, so the import measures the users service alone.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(join(tmpdir(), 'sicora-bench-users-'));
const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
const ADMIN_PASSWORD = 'Bench#Sicora-2026x';
const USERS_PORT = 18101;
const FAKE_SCHEDULES_PORT = 18102;
const base = `http://127.0.0.1:${USERS_PORT}`;

const fichas = new Map();
for (let i = 0; i < 100; i++) {
  const n = String(3000000 + i);
  fichas.set(n, { id: `5eedbe00-0000-4000-8000-${String(i).padStart(12, '0')}`, number: n, is_active: true, max_apprentices: null });
}
const fake = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  let data;
  if (url.pathname === '/api/v1/groups') {
    const numbers = (url.searchParams.get('numbers') ?? '').split(',').filter(Boolean);
    data = numbers.map((n) => fichas.get(n)).filter(Boolean);
  } else {
    const id = url.pathname.split('/').pop();
    data = [...fichas.values()].find((f) => f.id === id);
  }
  res.writeHead(data ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data ? { success: true, message: 'ok', data, meta: { timestamp: new Date().toISOString(), request_id: 'bench-fake-0001', pagination: { page: 1, page_size: 100, total: Array.isArray(data) ? data.length : 1, total_pages: 1, has_next: false, has_prev: false } } } : { success: false, error: { code: 'GROUP_NOT_FOUND', message: 'no' }, meta: {} }));
});
await new Promise((r) => fake.listen(FAKE_SCHEDULES_PORT, '127.0.0.1', r));

const child = spawn(process.execPath, [join(root, 'bin/sicora'), 'serve', 'users'], {
  cwd: root,
  env: {
    ...process.env,
    SICORA_DATA_DIR: dataDir,
    USERS_PORT: String(USERS_PORT),
    USERS_URL: base,
    SCHEDULES_URL: `http://127.0.0.1:${FAKE_SCHEDULES_PORT}`,
    SICORA_ADMIN_EMAIL: ADMIN_EMAIL,
    SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    REDIS_URL: '',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

async function waitReady() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('users did not become ready');
}

async function adminToken() {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  }).then((r) => r.json());
  let token = login.data.access_token;
  if (login.data.must_change_password) {
    const changed = await fetch(`${base}/api/v1/auth/change-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ current_password: ADMIN_PASSWORD, new_password: 'Rendimiento#2027-Xy' }),
    }).then((r) => r.json());
    token = changed.data.access_token;
  }
  return token;
}

function csvOf(rows) {
  const lines = ['first_name,last_name,email,document_type,document_number,role,group_number'];
  for (let i = 0; i < rows; i++) {
    lines.push(`Aprendiz${String.fromCharCode(65 + (i % 26))},Prueba Carga,aprendiz${i}@bench.sicora.test,CC,${20000000 + i},aprendiz,${3000000 + (i % 100)}`);
  }
  return lines.join('\n') + '\n';
}

let octet = 0;
const results = { date: new Date().toISOString(), node: process.version, database: process.env.DATABASE_URL ? 'postgresql' : 'pglite' };
try {
  await waitReady();
  const token = await adminToken();

  // 1. logins: the admin changed its password above; log in with the new one from many client addresses.
  const latencies = [];
  const run = await new Promise((resolve, reject) => {
    const instance = autocannon({
    url: `${base}/api/v1/auth/login`,
    method: 'POST',
    connections: 20,
    duration: 20,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: ADMIN_EMAIL, password: 'Rendimiento#2027-Xy' }),
    setupClient: (client) => {
      client.setHeaders({ 'content-type': 'application/json', 'x-forwarded-for': `10.9.${Math.floor(octet / 250)}.${(octet++ % 250) + 1}` });
    },
    }, (err, out) => (err ? reject(err) : resolve(out)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  latencies.sort((a, b) => a - b);
  const pct = (q) => latencies[Math.min(latencies.length - 1, Math.floor((q / 100) * latencies.length))];
  results.login = {
    connections: 20,
    duration_s: 20,
    requests_per_s: run.requests.average,
    p50_ms: pct(50),
    p95_ms: pct(95),
    p99_ms: pct(99),
    non_2xx: run.non2xx,
    errors: run.errors,
  };
  console.log(`login: ${results.login.requests_per_s.toFixed(1)} req/s, p50 ${results.login.p50_ms.toFixed(1)} ms, p95 ${results.login.p95_ms.toFixed(1)} ms, p99 ${results.login.p99_ms.toFixed(1)} ms, non-2xx ${run.non2xx}`);

  // 2. CSV import of 10 000 apprentices.
  const csv = csvOf(10_000);
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'aprendices.csv');
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/users/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = await res.json();
  const ms = Math.round(performance.now() - started);
  results.import = { rows: 10_000, bytes: Buffer.byteLength(csv), status: res.status, created: body.data?.created ?? null, ms };
  console.log(`import 10 000 apprentices: HTTP ${res.status}, created ${results.import.created}, ${ms} ms`);
  if (res.status !== 201) console.log(JSON.stringify(body).slice(0, 800));

  // The rule the test suite proves on a 1 001-row file (services/users/test/import.api.test.ts), checked
  // here at the full 10 000 rows: every row created in one transaction, one USERS_IMPORTED event.
  const get = (path) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
  const events = await get('/api/v1/users/security-events?type=USERS_IMPORTED&page_size=100');
  const apprentices = await get('/api/v1/users?role=aprendiz&page_size=1');
  const last = body.data?.created_users?.[9_999];
  results.import.checks = {
    created_all: body.data?.created === 10_000 && last?.line === 10_001 && last?.document_number === '20009999',
    one_users_imported_event: events.data?.length === 1 && events.data[0].details?.created === 10_000,
    stored: apprentices.meta?.pagination?.total === 10_000,
  };
  const failed = Object.entries(results.import.checks).filter(([, ok]) => !ok).map(([name]) => name);
  console.log(`import checks: ${failed.length === 0 ? 'all passed' : `FAILED ${failed.join(', ')}`}`);
  if (failed.length > 0) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/users-${results.date.slice(0, 10)}.json`), JSON.stringify(results, null, 2));
