#!/usr/bin/env node
// Gateway overhead benchmark (gateway.md R60–R61; issue: "bench/gateway measures, in one run, the same
// endpoint called directly and through the gateway with JWT verification and rate limiting on").
// Processes, all on 127.0.0.1 and their own ports (BENCH_GATEWAY_BASE_PORT, default 18410):
//  - upstream, one after the other on the same port (BENCH_UPSTREAM = b | a | both, default both, R60):
//    (b) a minimal fastify stub answering GET /api/v1/campuses with a ~200-byte envelope (this same file
//    run with `--stub <port>`); (a) the real schedules service (`sicora serve schedules`, own PGlite dir
//    seeded with `sicora seed --demo`, one database read per request);
//  - users (`sicora serve users`, own PGlite dir): serves the JWKS and mints a real EdDSA admin token;
//  - gateway (`sicora serve gateway`, own PGlite dir, SCHEDULES_URL = the upstream);
//  - autocannon runs inside this process (50 connections).
// Every process opens its own PGlite dir unless DATABASE_URL is set (then it is passed on, as R60 says).
// With `taskset` the gateway is pinned to core 0; the upstream, users and this process (autocannon) to
// core 1, in every scenario, D included, so the upstream always has the same CPU.
// Scenarios (set live through the gateway's admin API, gateway README "For the benchmark"):
//  D  direct to the upstream with the same bearer token;
//  P  gateway, `campuses` rule public, policies `user` and `ip-ceiling` disabled;
//  F  gateway, rule as seeded (token verification, role check), `user` + `ip-ceiling` enabled in memory
//     with limits 1 000 000 / 60 s (every request counted, none refused), request log and metrics on;
//  FR F with the limits in Redis (gateway restarted with REDIS_URL on the same data dir), when Redis answers.
// Each scenario: warm-up (BENCH_WARMUP s, default 10), saturated run (BENCH_DURATION s, default 30), then a
// latency run at a fixed offered rate of 50 % of D's saturated rate (R60) and a 1-connection run (R61's added
// latency = 1 ÷ req/s of F minus that of D); BENCH_LATENCY=0 skips those two.
// Latencies come from autocannon's per-response hrtime durations (sub-millisecond), not its whole-ms histogram.
// The machine may be shared: each saturated run also records the CPU time the measured process (the gateway,
// or the upstream in D) used, read from /proc/<pid>/stat, as µs per request and as the share of one core it
// got, and the 1-minute load average after it (well above 3, other processes shared the cores).
// `--compare <dir> [node]` (issue 11): before the scenarios, upstream (a)'s scenario D once more on the code
// checked out in <dir> (an older commit with its own `npm ci`), started by [node] (default this one), so the
// schedules service's CPU per request of the old and the current code come from one run, back to back.
// BENCH_CPU_PROF=<dir> starts the gateway with `node --cpu-prof` into that directory (profiles on exit);
// BENCH_GATEWAY_NODE_FLAGS passes other node flags to the gateway process only, BENCH_UPSTREAM_NODE_FLAGS to
// the schedules service of (a).
// Writes bench/results/gateway-<date>.json and prints a table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminToken as firstAdminToken, apiClient, expectStatus, processGroup, root } from './lib/platform.mjs';

// ---- upstream stub mode (a child process of the benchmark) ----
if (process.argv[2] === '--stub') {
  const { default: Fastify } = await import('fastify');
  const app = Fastify({ logger: false });
  const data = [{ id: '6a1f0c2e-3b4d-4e5f-8a6b-7c8d9e0f1a2b', code: 'CALLE52', name: 'Sede Calle 52', is_active: true }];
  app.get('/api/v1/campuses', async (request) => ({
    success: true,
    message: 'Sedes',
    data,
    meta: { timestamp: new Date().toISOString(), request_id: request.headers['x-request-id'] ?? 'bench-stub-00000001' },
  }));
  app.get('/health/ready', async () => ({ status: 'ok' }));
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.argv[3]), host: '127.0.0.1' });
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
  // Never outlive the benchmark that started it.
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main() {
  const { default: autocannon } = await import('autocannon');
  const DURATION = Number(process.env.BENCH_DURATION ?? 30);
  const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
  const LATENCY_RUNS = process.env.BENCH_LATENCY !== '0';
  const CONNECTIONS = 50;
  const LIMIT = 1_000_000;
  const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const BASE_PORT = Number(process.env.BENCH_GATEWAY_BASE_PORT ?? 18410);
  const GATEWAY_PORT = BASE_PORT;
  const USERS_PORT = BASE_PORT + 1;
  const UPSTREAM_PORT = BASE_PORT + 2;
  const gatewayBase = `http://127.0.0.1:${GATEWAY_PORT}`;
  const usersBase = `http://127.0.0.1:${USERS_PORT}`;
  // Both upstreams take the same port in turn, so the gateway's SCHEDULES_URL is one value.
  const upstreamBase = `http://127.0.0.1:${UPSTREAM_PORT}`;
  // BENCH_UPSTREAM: b (stub), a (real schedules service with demo data) or both (R60, the default).
  const UPSTREAMS = { a: ['a'], b: ['b'], both: ['b', 'a'] }[process.env.BENCH_UPSTREAM ?? 'both'];
  if (!UPSTREAMS) throw new Error('BENCH_UPSTREAM must be a, b or both');
  let seededRule;
  const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
  const ADMIN_PASSWORD = 'Bench#Pasarela-2026x';
  const NEW_PASSWORD = 'Rendimiento#2027-Xy';
  const PATH = '/api/v1/campuses';
  const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
  // Runtime flags to try on the gateway process only, e.g. `--max-semi-space-size=32` (recorded in the results).
  const GATEWAY_NODE_FLAGS = (process.env.BENCH_GATEWAY_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  // The same for the schedules upstream of (a), e.g. `--cpu-prof --cpu-prof-dir=<dir>` (this checkout's code only).
  const UPSTREAM_NODE_FLAGS = (process.env.BENCH_UPSTREAM_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  // Budget: 2 upstreams × 4 scenarios × (warm-up + saturated + two latency runs) plus start-ups, with a wide margin.
  const HARD_LIMIT_MS = (8 * (WARMUP + 3 * DURATION) + 600) * 1000;

  const usersDir = mkdtempSync(join(tmpdir(), 'sicora-bench-gw-users-'));
  const gatewayDir = mkdtempSync(join(tmpdir(), 'sicora-bench-gw-gateway-'));
  const schedulesDir = mkdtempSync(join(tmpdir(), 'sicora-bench-gw-schedules-'));
  const oldSchedulesDir = mkdtempSync(join(tmpdir(), 'sicora-bench-gw-old-schedules-'));
  const dirs = [usersDir, gatewayDir, schedulesDir, oldSchedulesDir];
  const compareAt = process.argv.indexOf('--compare');
  const COMPARE = compareAt > 0 ? { root: resolve(process.argv[compareAt + 1]), node: process.argv[compareAt + 2] ?? process.execPath } : undefined;
  const pin = spawnSync('taskset', ['--version']).status === 0 && cpus().length >= 2;
  const group = processGroup({ name: 'gateway', hardLimitMs: HARD_LIMIT_MS, dirs, pin });
  const { start, stop, waitReady } = group;

  // autocannon runs here: give this process the upstream's core.
  if (pin) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

  const api = (base, method, path, opts) => apiClient(base)(method, path, opts);
  const expect = expectStatus;
  const adminToken = () => firstAdminToken(apiClient(usersBase), { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, newPassword: NEW_PASSWORD });

  function redisAnswers() {
    const { hostname, port } = new URL(REDIS_URL);
    return new Promise((resolve) => {
      const socket = connect({ host: hostname, port: Number(port || 6379) });
      const done = (ok) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('error', () => done(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    });
  }

  // One autocannon run; latencies from the per-response hrtime durations (ms, fractional).
  function cannon(url, token, seconds, { rate, connections = CONNECTIONS } = {}) {
    const latencies = [];
    return new Promise((resolve, reject) => {
      const instance = autocannon(
        { url, connections, duration: seconds, overallRate: rate, headers: { authorization: `Bearer ${token}` } },
        (err, out) => {
          if (err) return reject(err);
          latencies.sort((a, b) => a - b);
          const pct = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((q / 100) * latencies.length))] : null);
          const round = (v) => (v === null ? null : Math.round(v * 1000) / 1000);
          resolve({
            connections,
            duration_s: seconds,
            offered_rate: rate ?? null,
            requests_per_s: Math.round((out.requests.total / out.duration) * 10) / 10,
            requests_total: out.requests.total,
            p50_ms: round(pct(50)),
            p90_ms: round(pct(90)),
            p99_ms: round(pct(99)),
            mean_ms: round(latencies.reduce((s, v) => s + v, 0) / (latencies.length || 1)),
            // At a fixed offered rate the run says little once the target cannot keep up with it.
            over_capacity: rate ? out.requests.total / out.duration < rate * 0.95 : undefined,
            non_2xx: out.non2xx,
            errors: out.errors,
            timeouts: out.timeouts,
          });
        },
      );
      instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
  }

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    pinned: pin ? 'gateway → core 0; upstream, users, autocannon → core 1' : 'no taskset: not pinned',
    database: process.env.DATABASE_URL ? 'postgresql' : 'pglite (embedded)',
    connections: CONNECTIONS,
    warmup_s: WARMUP,
    duration_s: DURATION,
    gateway_node_flags: GATEWAY_NODE_FLAGS,
    upstreams: {},
  };

  let gateway;
  const gatewayEnv = (upstreamBase, redis) => ({
    SICORA_DATA_DIR: gatewayDir,
    GATEWAY_PORT: String(GATEWAY_PORT),
    USERS_URL: usersBase,
    SCHEDULES_URL: upstreamBase,
    // Every other upstream points at a closed port so readiness probes don't touch a running platform.
    ...Object.fromEntries(['attendance', 'evalin', 'kb', 'ai', 'projecteval', 'notification'].map((s) => [`${s.toUpperCase()}_URL`, 'http://127.0.0.1:9'])),
    REDIS_URL: redis ? REDIS_URL : '',
    GATEWAY_REDIS_PREFIX: `bench-gw-${process.pid}`,
    GATEWAY_REQUEST_LOG_ENABLED: 'true',
  });
  // Every start rewrites the services' base URLs from the environment; the configuration (rules,
  // policies) stays in the gateway's data dir across restarts.
  // (b) the stub; (a) the real schedules service on its own PGlite dir, demo data seeded first
  // (`sicora seed --demo`), verifying tokens against the users service's JWKS.
  async function startUpstream(which, code = root, node = process.execPath, dataDir = schedulesDir) {
    if (which === 'b') {
      const entry = start('stub', [fileURLToPath(import.meta.url), '--stub', String(UPSTREAM_PORT)], {}, 1);
      await waitReady(entry, `${upstreamBase}/health`);
      return { entry, description: 'b: fastify stub answering GET /api/v1/campuses with a ~200-byte envelope' };
    }
    const env = { SICORA_DATA_DIR: dataDir, SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD, REDIS_URL: '' };
    const seed = start('seed', [join(code, 'bin/sicora'), 'seed', '--demo'], env, 1, node);
    const seeded = await new Promise((r) => (seed.exited ? r(seed.child.exitCode) : seed.child.once('exit', r)));
    if (seeded !== 0) throw new Error(`sicora seed --demo exited with ${seeded}`);
    const flags = code === root ? UPSTREAM_NODE_FLAGS : [];
    const entry = start('schedules', [...flags, join(code, 'bin/sicora'), 'serve', 'schedules'], {
      ...env,
      SCHEDULES_PORT: String(UPSTREAM_PORT),
      SCHEDULES_URL: upstreamBase,
      USERS_URL: usersBase,
    }, 1, node);
    await waitReady(entry, `${upstreamBase}/health/ready`);
    return { entry, description: 'a: schedules service (GET /api/v1/campuses, demo data, one database read per request)' };
  }

  async function startGateway(upstreamBase, redis) {
    if (gateway) await stop(gateway);
    const prof = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    gateway = start('gateway', [...prof, ...GATEWAY_NODE_FLAGS, join(root, 'bin/sicora'), 'serve', 'gateway'], gatewayEnv(upstreamBase, redis), 0);
    await waitReady(gateway, `${gatewayBase}/health/ready`);
  }

  try {
    const users = start('users', [join(root, 'bin/sicora'), 'serve', 'users'], {
      SICORA_DATA_DIR: usersDir,
      USERS_PORT: String(USERS_PORT),
      USERS_URL: usersBase,
      SCHEDULES_URL: `http://127.0.0.1:${UPSTREAM_PORT}`,
      SICORA_ADMIN_EMAIL: ADMIN_EMAIL,
      SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      REDIS_URL: '',
    }, 1);
    await waitReady(users, `${usersBase}/health/ready`);
    const token = await adminToken();
    const useRedis = await redisAnswers();

    if (COMPARE) {
      // The old code's schedules service, its own data dir, scenario D only (saturated, CPU per request).
      const old = await startUpstream('a', COMPARE.root, COMPARE.node, oldSchedulesDir);
      const url = `${upstreamBase}${PATH}`;
      const probe = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      await probe.arrayBuffer();
      if (probe.status !== 200) throw new Error(`old/D: probe answered HTTP ${probe.status}`);
      if (WARMUP > 0) await cannon(url, token, WARMUP);
      const cpuBefore = cpuTicks(old.entry.child.pid);
      const wallBefore = performance.now();
      const saturated = await cannon(url, token, DURATION);
      const cpuMs = ((cpuTicks(old.entry.child.pid) - cpuBefore) * 1000) / CLOCK_TICKS;
      saturated.cpu = {
        process: 'upstream',
        us_per_request: Math.round((cpuMs * 1000) / Math.max(1, saturated.requests_total)),
        core_share: Math.round((cpuMs / (performance.now() - wallBefore)) * 100) / 100,
      };
      saturated.load_average = loadAverage();
      results.old_code = { root: COMPARE.root, node: COMPARE.node, D: saturated };
      console.log(`old code a/D: ${saturated.requests_per_s} req/s, p50 ${saturated.p50_ms} ms, p99 ${saturated.p99_ms} ms, upstream CPU ${saturated.cpu.us_per_request} µs/request (${saturated.cpu.core_share} of a core)`);
      await stop(old.entry);
    }

    for (const which of UPSTREAMS) {
      const upstream = await startUpstream(which);
      const out = { upstream: upstream.description, scenarios: {} };
      results.upstreams[which] = out;
      console.log(`-- upstream (${which}): ${upstream.description}`);
      await startGateway(upstreamBase, false);

      const rules = expect(await api(gatewayBase, 'GET', '/api/v1/gateway/routes?service=schedules', { token }), 200, 'routes');
      const rule = rules.find((r) => r.name === 'campuses');
      if (!rule) throw new Error('no campuses rule in the gateway configuration');
      // The seeded access of the rule, kept from the first upstream (the second sees the P-patched rule).
      seededRule ??= { access: rule.access, roles: rule.roles };
      const patchRule = async (body) => expect(await api(gatewayBase, 'PATCH', `/api/v1/gateway/routes/${rule.id}`, { token, json: body }), 200, 'route patch');
      const patchPolicy = async (name, body) => expect(await api(gatewayBase, 'PATCH', `/api/v1/gateway/rate-limit-policies/${name}`, { token, json: body }), 200, `policy ${name}`);
      const fullStack = async () => {
        await patchRule(seededRule);
        for (const p of ['user', 'ip-ceiling']) await patchPolicy(p, { enabled: true, limit: LIMIT, window_seconds: 60 });
      };

      // Every scenario must answer 200 before it is measured (a 401/403/429 run would measure the wrong thing).
      const scenario = async (name, base, description) => {
        const probe = await fetch(`${base}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
        await probe.arrayBuffer();
        if (probe.status !== 200) throw new Error(`${which}/${name}: probe answered HTTP ${probe.status}`);
        const url = `${base}${PATH}`;
        if (WARMUP > 0) await cannon(url, token, WARMUP);
        const measured = name === 'D' ? upstream.entry : gateway;
        // One autocannon run plus the CPU time the measured process spent during it.
        const withCpu = async (run) => {
          const cpuBefore = cpuTicks(measured.child.pid);
          const wallBefore = performance.now();
          const res = await run();
          const cpuAfter = cpuTicks(measured.child.pid);
          if (cpuBefore !== null && cpuAfter !== null) {
            const cpuMs = ((cpuAfter - cpuBefore) * 1000) / CLOCK_TICKS;
            res.cpu = {
              process: name === 'D' ? 'upstream' : 'gateway',
              us_per_request: Math.round((cpuMs * 1000) / Math.max(1, res.requests_total)),
              core_share: Math.round((cpuMs / (performance.now() - wallBefore)) * 100) / 100,
            };
          }
          return res;
        };
        const saturated = await withCpu(() => cannon(url, token, DURATION));
        saturated.load_average = loadAverage();
        const entry = { description, saturated };
        if (LATENCY_RUNS) {
          const d = name === 'D' ? saturated : out.scenarios.D.saturated;
          entry.fixed_rate = await cannon(url, token, DURATION, { rate: Math.max(1, Math.round(d.requests_per_s / 2)) });
          // An overloaded target still drains its backlog after autocannon closes; let it finish.
          if (entry.fixed_rate.over_capacity) await new Promise((r) => setTimeout(r, 3000));
          entry.one_connection = await withCpu(() => cannon(url, token, DURATION, { connections: 1 }));
        }
        out.scenarios[name] = entry;
        const s = saturated;
        const cpu = s.cpu ? `, ${s.cpu.process} CPU ${s.cpu.us_per_request} µs/request (${s.cpu.core_share} of a core)` : '';
        console.log(`${which}/${name}: ${s.requests_per_s} req/s, p50 ${s.p50_ms} ms, p99 ${s.p99_ms} ms, non-2xx ${s.non_2xx}, errors ${s.errors}${cpu}`);
        const one = entry.one_connection;
        if (one) console.log(`${which}/${name} at 1 connection: ${one.requests_per_s} req/s, mean ${one.mean_ms} ms${one.cpu ? `, ${one.cpu.process} CPU ${one.cpu.us_per_request} µs/request (${one.cpu.core_share} of a core)` : ''}`);
      };

      await scenario('D', upstreamBase, 'direct to the upstream, same bearer token');

      await patchRule({ access: 'public', roles: null });
      for (const p of ['user', 'ip-ceiling']) await patchPolicy(p, { enabled: false });
      await scenario('P', gatewayBase, 'gateway, route public, policies disabled, request log and metrics on');

      await fullStack();
      await scenario('F', gatewayBase, `gateway full stack: EdDSA verification, role check, user + ip-ceiling in memory (${LIMIT}/60 s), request log and metrics on`);

      if (useRedis) {
        await startGateway(upstreamBase, true);
        await fullStack();
        await scenario('FR', gatewayBase, `F with the rate limits in Redis (${REDIS_URL})`);
      } else {
        out.scenarios.FR = { skipped: `Redis did not answer at ${REDIS_URL}` };
        console.log(`${which}/FR: skipped (Redis did not answer at ${REDIS_URL})`);
      }
      await stop(gateway);
      await stop(upstream.entry);

      out.comparison = compare(out.scenarios, which);
      if (which === 'a' && results.old_code) {
        const oldUs = results.old_code.D.cpu.us_per_request;
        const newUs = out.scenarios.D.saturated.cpu?.us_per_request;
        out.old_code_cpu_ratio = newUs ? Math.round((oldUs / newUs) * 100) / 100 : null;
        console.log(`a/D schedules CPU per request: old code ${oldUs} µs, this code ${newUs} µs, old ÷ new ${out.old_code_cpu_ratio} (goal ≥ 2)`);
      }
      printTable(which, out);
      for (const [name, s] of Object.entries(out.scenarios)) {
        if (s.saturated && (s.saturated.non_2xx > 0 || s.saturated.errors > 0)) {
          console.error(`${which}/${name}: ${s.saturated.non_2xx} non-2xx and ${s.saturated.errors} errors during the run`);
          process.exitCode = 1;
        }
      }
    }
  } catch (err) {
    console.error(`gateway bench failed: ${err.message}`);
    results.error = err.message;
    process.exitCode = 1;
  } finally {
    // Gateway first (last started), so nothing it still forwards meets a stopped upstream.
    await group.stopAll();
  }
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const file = join(root, `bench/results/gateway-${results.date.slice(0, 10)}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`results: ${file}`);
}

/** The 1-minute load average (Linux /proc), or null. */
function loadAverage() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
}

/** utime + stime of a process in clock ticks (Linux /proc), or null where that is not available. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function compare(s, upstream) {
  const rps = (n) => s[n]?.saturated?.requests_per_s;
  const ratio = (a, b) => (rps(a) && rps(b) ? Math.round((rps(a) / rps(b)) * 1000) / 1000 : null);
  const added = (run, key) => {
    const f = s.F?.[run]?.[key];
    const d = s.D?.[run]?.[key];
    return f == null || d == null ? null : Math.round((f - d) * 1000) / 1000;
  };
  const out = {
    'F/D': ratio('F', 'D'),
    'P/D': ratio('P', 'D'),
    'F/P': ratio('F', 'P'),
    'FR/F': ratio('FR', 'F'),
    // Gateway CPU per request: the same comparisons, insensitive to other processes taking the core.
    cpu_us_per_request: Object.fromEntries(Object.entries(s).filter(([, v]) => v?.saturated?.cpu).map(([k, v]) => [k, v.saturated.cpu.us_per_request])),
    added_p50_ms_saturated: added('saturated', 'p50_ms'),
    added_p99_ms_saturated: added('saturated', 'p99_ms'),
    added_p50_ms_fixed_rate: added('fixed_rate', 'p50_ms'),
    added_p99_ms_fixed_rate: added('fixed_rate', 'p99_ms'),
    // R61: added latency at 1 connection = 1 ÷ req/s of F minus that of D (autocannon's own histogram is in whole ms).
    added_ms_one_connection:
      s.F?.one_connection && s.D?.one_connection
        ? Math.round((1000 / s.F.one_connection.requests_per_s - 1000 / s.D.one_connection.requests_per_s) * 1000) / 1000
        : null,
  };
  // Every verdict is computed for both upstreams (the issue asks F/D and +2 ms p99 of the benchmark as a
  // whole); `r61_targets` names the ones R61 sets for this upstream.
  const addedP99 = out.added_p99_ms_fixed_rate ?? out.added_p99_ms_saturated;
  out.targets = {
    'F/D >= 0.70': verdict(out['F/D'], (v) => v >= 0.7),
    'added p99 <= 2 ms': verdict(addedP99, (v) => v <= 2),
    'F/P >= 0.70': verdict(out['F/P'], (v) => v >= 0.7),
    'FR/F >= 0.80': verdict(out['FR/F'], (v) => v >= 0.8),
    'added at 1 connection <= 0.5 ms': verdict(out.added_ms_one_connection, (v) => v <= 0.5),
  };
  out.r61_targets = upstream === 'a' ? ['F/D >= 0.70', 'added p99 <= 2 ms'] : ['F/P >= 0.70', 'FR/F >= 0.80', 'added at 1 connection <= 0.5 ms'];
  // The benchmark itself keeps about three processes busy (gateway, upstream, autocannon); a load average
  // well above that means other processes shared the cores, and the ratios measure them as much as the gateway.
  out.load_average = Object.fromEntries(Object.entries(s).filter(([, v]) => v?.saturated?.load_average != null).map(([k, v]) => [k, v.saturated.load_average]));
  out.contended = Object.entries(out.load_average).filter(([, l]) => l > 3.5).map(([k, l]) => `${k} ${l}`);
  return out;
}

function verdict(value, ok) {
  return value == null ? 'n/a' : ok(value) ? 'PASS' : 'FAIL';
}

function printTable(which, results) {
  const rows = [['scenario', 'req/s', 'p50 ms', 'p99 ms', 'fixed-rate p50', 'fixed-rate p99', '1-conn req/s']];
  for (const [name, s] of Object.entries(results.scenarios)) {
    if (!s.saturated) {
      rows.push([name, 'skipped', '', '', '', '', '']);
      continue;
    }
    const f = s.fixed_rate;
    rows.push([name, String(s.saturated.requests_per_s), String(s.saturated.p50_ms), String(s.saturated.p99_ms), f ? `${f.p50_ms} @${f.offered_rate}/s${f.over_capacity ? ' (over capacity)' : ''}` : '', f ? String(f.p99_ms) : '', s.one_connection ? String(s.one_connection.requests_per_s) : '']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  const c = results.comparison;
  console.log(`F/D ${c['F/D']}  P/D ${c['P/D']}  F/P ${c['F/P']}  FR/F ${c['FR/F']}`);
  console.log(`CPU µs/request: ${Object.entries(c.cpu_us_per_request).map(([k, v]) => `${k} ${v}`).join(' · ')} (D: the upstream; others: the gateway)`);
  console.log(`added (F − D): p50 ${c.added_p50_ms_saturated} ms, p99 ${c.added_p99_ms_saturated} ms saturated; p50 ${c.added_p50_ms_fixed_rate} ms, p99 ${c.added_p99_ms_fixed_rate} ms at 50 % of D; ${c.added_ms_one_connection} ms at 1 connection`);
  console.log(Object.entries(c.targets).map(([k, v]) => `${k}: ${v}${c.r61_targets.includes(k) ? ` (R61, ${which})` : ''}`).join('  |  '));
  if (c.contended.length > 0) {
    console.log(`warning: 1-minute load average above 3.5 after the saturated runs (${c.contended.join(', ')}; ${cpus().length} cores): other processes shared the CPUs, so the ratios measure the machine's load too`);
  }
}
