#!/usr/bin/env node
// Gateway soak (gateway.md R61): "Soak 10 min at half of F's saturation: RSS growth after the first minute
// < 50 MB and 0 request-log drops."
// Processes, all on 127.0.0.1 and their own ports (BENCH_SOAK_BASE_PORT, default 18610), as in
// bench/gateway.bench.mjs: the upstream (b), a minimal fastify stub answering GET /api/v1/campuses (that
// file run with `--stub <port>`); users (`sicora serve users`, own PGlite dir: JWKS and a real EdDSA admin
// token); the gateway (`sicora serve gateway`, own PGlite dir, its own process so its RSS is its own);
// autocannon inside this process. BENCH_SOAK_PIN=1 (with `taskset`) pins the gateway to core 0 and the rest
// to core 1, as bench/gateway does; off by default, since on a box shared with other work a pinned core can
// be the busiest one.
// Scenario F (R60): the `campuses` rule as seeded (token verification, role check), `user` and `ip-ceiling`
// counting every request in memory with limits of 1 000 000 / 60 s, request log and metrics on.
//  1. F's saturation: 50 connections, 5 s warm-up, 15 s measured (BENCH_SOAK_RATE=<req/s> skips it);
//  2. the soak: a fixed offered rate of half that, 50 connections, BENCH_SOAK_SECONDS (default 600);
//     the gateway's RSS (/proc/<pid>/status VmRSS) sampled every 5 s;
//  3. afterwards: `gateway_request_log_dropped_total` from /metrics, and the rows the request log holds for
//     the soak (S3 stats) against the requests sent.
// RSS growth after the first minute = mean RSS of the last minute − mean RSS of the second minute (one
// sample is a GC sawtooth point, a mean of twelve is not); the largest sample after the first minute minus
// the mean of the second minute is reported too.
// Writes bench/results/gateway-soak-<date>.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminToken as firstAdminToken, apiClient, expectStatus, processGroup, root } from './lib/platform.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const { default: autocannon } = await import('autocannon');
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const FIXED_RATE = process.env.BENCH_SOAK_RATE ? Number(process.env.BENCH_SOAK_RATE) : null;
const CONNECTIONS = 50;
const LIMIT = 1_000_000;
const SAMPLE_MS = 5000;
const BASE_PORT = Number(process.env.BENCH_SOAK_BASE_PORT ?? 18610);
const GATEWAY_PORT = BASE_PORT;
const USERS_PORT = BASE_PORT + 1;
const UPSTREAM_PORT = BASE_PORT + 2;
const gatewayBase = `http://127.0.0.1:${GATEWAY_PORT}`;
const usersBase = `http://127.0.0.1:${USERS_PORT}`;
const upstreamBase = `http://127.0.0.1:${UPSTREAM_PORT}`;
const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
const ADMIN_PASSWORD = 'Bench#Resistencia-2026x';
const NEW_PASSWORD = 'Rendimiento#2027-Xy';
const PATH = '/api/v1/campuses';
const HARD_LIMIT_MS = (SOAK_SECONDS + 600) * 1000;

const usersDir = mkdtempSync(join(tmpdir(), 'sicora-bench-soak-users-'));
const gatewayDir = mkdtempSync(join(tmpdir(), 'sicora-bench-soak-gateway-'));
const dirs = [usersDir, gatewayDir];
const pin = process.env.BENCH_SOAK_PIN === '1' && spawnSync('taskset', ['--version']).status === 0 && cpus().length >= 2;
const group = processGroup({ name: 'gateway-soak', hardLimitMs: HARD_LIMIT_MS, dirs, pin });
const { start, waitReady } = group;
if (pin) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const api = (base, method, path, opts) => apiClient(base)(method, path, opts);
const expect = expectStatus;
const adminToken = () => firstAdminToken(apiClient(usersBase), { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, newPassword: NEW_PASSWORD });

function cannon(token, seconds, rate) {
  const latencies = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: `${gatewayBase}${PATH}`, connections: CONNECTIONS, duration: seconds, overallRate: rate ?? undefined, headers: { authorization: `Bearer ${token}` } },
      (err, out) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        const pct = (q) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor((q / 100) * latencies.length))] * 1000) / 1000 : null);
        resolve({
          duration_s: seconds,
          offered_rate: rate ?? null,
          requests_total: out.requests.total,
          requests_per_s: Math.round((out.requests.total / out.duration) * 10) / 10,
          p50_ms: pct(50),
          p99_ms: pct(99),
          non_2xx: out.non2xx,
          errors: out.errors,
          timeouts: out.timeouts,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
};
const mean = (xs) => (xs.length ? Math.round((xs.reduce((s, v) => s + v, 0) / xs.length) * 10) / 10 : null);

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  pinned: pin ? 'gateway → core 0; stub, users, autocannon → core 1' : 'no taskset: not pinned',
  database: process.env.DATABASE_URL ? 'postgresql' : 'pglite (embedded)',
  upstream: 'b: fastify stub answering GET /api/v1/campuses with a ~200-byte envelope',
  scenario: `F: EdDSA verification, role check, user + ip-ceiling in memory (${LIMIT}/60 s), request log and metrics on`,
  connections: CONNECTIONS,
  soak_s: SOAK_SECONDS,
};

try {
  const users = start('users', [join(root, 'bin/sicora'), 'serve', 'users'], {
    SICORA_DATA_DIR: usersDir,
    USERS_PORT: String(USERS_PORT),
    USERS_URL: usersBase,
    SCHEDULES_URL: upstreamBase,
    SICORA_ADMIN_EMAIL: ADMIN_EMAIL,
    SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    REDIS_URL: '',
  }, 1);
  const stub = start('stub', [join(here, 'gateway.bench.mjs'), '--stub', String(UPSTREAM_PORT)], {}, 1);
  await waitReady(users, `${usersBase}/health/ready`);
  await waitReady(stub, `${upstreamBase}/health`);
  const gateway = start('gateway', [join(root, 'bin/sicora'), 'serve', 'gateway'], {
    SICORA_DATA_DIR: gatewayDir,
    GATEWAY_PORT: String(GATEWAY_PORT),
    USERS_URL: usersBase,
    SCHEDULES_URL: upstreamBase,
    // Every other upstream points at a closed port so readiness probes don't touch a running platform.
    ...Object.fromEntries(['attendance', 'evalin', 'kb', 'ai', 'projecteval', 'notification'].map((s) => [`${s.toUpperCase()}_URL`, 'http://127.0.0.1:9'])),
    REDIS_URL: '',
    GATEWAY_REQUEST_LOG_ENABLED: 'true',
  }, 0);
  await waitReady(gateway, `${gatewayBase}/health/ready`);
  const pid = gateway.child.pid;
  // taskset execs node in place, and bin/sicora runs the gateway in-process: the pid is the gateway's.
  if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('gateway')) throw new Error(`pid ${pid} is not the gateway process`);

  const token = await adminToken();
  for (const p of ['user', 'ip-ceiling']) {
    expect(await api(gatewayBase, 'PATCH', `/api/v1/gateway/rate-limit-policies/${p}`, { token, json: { enabled: true, limit: LIMIT, window_seconds: 60 } }), 200, `policy ${p}`);
  }
  const probe = await fetch(`${gatewayBase}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
  await probe.arrayBuffer();
  if (probe.status !== 200) throw new Error(`probe answered HTTP ${probe.status}`);

  if (FIXED_RATE) {
    results.saturation = { skipped: `BENCH_SOAK_RATE=${FIXED_RATE}` };
  } else {
    await cannon(token, 5);
    results.saturation = await cannon(token, 15);
    console.log(`F saturation: ${results.saturation.requests_per_s} req/s (p99 ${results.saturation.p99_ms} ms)`);
  }
  const rate = FIXED_RATE ?? Math.max(1, Math.round(results.saturation.requests_per_s / 2));
  results.rate = rate;
  // Let the request log drain the saturation run before the soak is judged.
  await new Promise((r) => setTimeout(r, 3000));
  const droppedBefore = await droppedRows();

  const samples = [];
  const started = Date.now();
  const sample = () => samples.push({ t_s: Math.round((Date.now() - started) / 100) / 10, rss_mb: rssMb(pid) });
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  console.log(`soak: ${rate} req/s for ${SOAK_SECONDS} s (gateway pid ${pid}, RSS ${samples[0].rss_mb} MB, load average ${loadavg()[0].toFixed(2)})`);
  const soakStartedAt = new Date();
  results.soak = await cannon(token, SOAK_SECONDS, rate);
  clearInterval(sampler);
  sample();
  results.rss_samples = samples;
  results.load_average_1m_after = Math.round(loadavg()[0] * 100) / 100;

  const minute = (from, to) => mean(samples.filter((s) => s.t_s >= from && s.t_s < to).map((s) => s.rss_mb));
  const second = minute(60, 120);
  const last = minute(Math.max(60, SOAK_SECONDS - 60), SOAK_SECONDS + 60);
  const afterFirst = samples.filter((s) => s.t_s >= 60).map((s) => s.rss_mb);
  results.rss = {
    start_mb: samples[0].rss_mb,
    at_60s_mb: samples.find((s) => s.t_s >= 60)?.rss_mb ?? null,
    second_minute_mean_mb: second,
    last_minute_mean_mb: last,
    max_after_first_minute_mb: afterFirst.length ? Math.max(...afterFirst) : null,
    end_mb: samples[samples.length - 1].rss_mb,
    growth_mb: second !== null && last !== null ? Math.round((last - second) * 10) / 10 : null,
    max_growth_mb: second !== null && afterFirst.length ? Math.round((Math.max(...afterFirst) - second) * 10) / 10 : null,
  };

  // Rows are inserted every second; give the last batch time to land.
  await new Promise((r) => setTimeout(r, 3000));
  const droppedAfter = await droppedRows();
  results.request_log = { dropped_before_soak: droppedBefore, dropped_after_soak: droppedAfter, dropped_during_soak: droppedAfter - droppedBefore };
  const rows = await api(gatewayBase, 'GET', `/api/v1/gateway/request-logs?from=${encodeURIComponent(soakStartedAt.toISOString())}&route_name=campuses&page_size=1`, { token });
  if (rows.status === 200) {
    results.request_log.rows_since_soak_start = rows.body.meta?.pagination?.total ?? null;
    results.request_log.requests_sent = results.soak.requests_total;
  }

  const verdict = (v, ok) => (v === null || v === undefined ? 'n/a' : ok(v) ? 'PASS' : 'FAIL');
  results.targets = {
    'RSS growth after the first minute < 50 MB': verdict(results.rss.growth_mb, (v) => v < 50),
    '0 request-log drops': verdict(results.request_log.dropped_after_soak, (v) => v === 0),
  };
  console.log(`soak: ${results.soak.requests_per_s} req/s sent of ${rate} offered, p50 ${results.soak.p50_ms} ms, p99 ${results.soak.p99_ms} ms, non-2xx ${results.soak.non_2xx}, errors ${results.soak.errors}`);
  console.log(`RSS: start ${results.rss.start_mb} MB, 2nd minute ${second} MB, last minute ${last} MB, growth ${results.rss.growth_mb} MB (max sample ${results.rss.max_growth_mb} MB over the 2nd minute)`);
  console.log(`request log: ${results.request_log.dropped_after_soak} dropped; ${results.request_log.rows_since_soak_start ?? '?'} rows stored for ${results.soak.requests_total} requests sent`);
  console.log(Object.entries(results.targets).map(([k, v]) => `${k}: ${v}`).join('  |  '));
  if (Object.values(results.targets).includes('FAIL') || results.soak.errors > 0 || results.soak.non_2xx > 0) process.exitCode = 1;
} catch (err) {
  console.error(`gateway-soak bench failed: ${err.message}`);
  results.error = err.message;
  process.exitCode = 1;
} finally {
  await group.stopAll();
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/gateway-soak-${results.date.slice(0, 10)}.json`);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`results: ${file}`);

async function droppedRows() {
  const text = await (await fetch(`${gatewayBase}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('gateway_request_log_dropped_total'))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
