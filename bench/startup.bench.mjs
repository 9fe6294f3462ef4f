#!/usr/bin/env node
// Embedded start-up (issue 11): time from `sicora start` to the gateway's /health answering 200 with every
// service up, on a fresh data dir (first start) and again on the same one (second start), the process's
// resident memory once up (RSS 2 s after ready) and at its peak (VmHWM, the kernel's high-water mark).
//
//   node bench/startup.bench.mjs                       this checkout, BENCH_RUNS pairs (default 1)
//   node bench/startup.bench.mjs --compare <dir> [node] the checkout in <dir> (an older commit, its own
//                                                       `npm ci` done), started by [node] (default this one),
//                                                       then this checkout, back to back, and the ratios
// Goals: first ≤ 15 s, second ≤ 3 s, RSS ≤ 450 MB once up and ≤ 600 MB at peak.
// Writes bench/results/startup-<date>.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 120_000;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
// BENCH_NODE_FLAGS: node/V8 flags for the measured process (e.g. WebAssembly tiering experiments).
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

function memMb(pid, field) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** The CPU time (user + system) the process used so far, in seconds. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function once(label, code, node, dataDir) {
  const started = performance.now();
  const child = spawn(node, [...NODE_FLAGS, join(code, 'bin/sicora'), 'start'], {
    cwd: code,
    env: { ...process.env, SICORA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  let readyMs;
  let report;
  let peak = 0;
  let cpu = 0;
  while (performance.now() - started < TIMEOUT_MS && child.exitCode === null) {
    try {
      peak = Math.max(peak, memMb(child.pid, 'VmHWM'));
      cpu = cpuSeconds(child.pid);
    } catch {
      // not started yet
    }
    try {
      const res = await fetch('http://127.0.0.1:8000/health');
      report = await res.json();
      if (res.status === 200) {
        readyMs = Math.round(performance.now() - started);
        cpu = cpuSeconds(child.pid);
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const rss = child.exitCode === null ? memMb(child.pid, 'VmRSS') : 0;
  peak = child.exitCode === null ? Math.max(peak, memMb(child.pid, 'VmHWM')) : peak;
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  const services = report?.data?.services ?? report?.services ?? [];
  const up = services.filter((s) => s.status === 'up').length;
  console.log(`${label}: ready in ${readyMs ?? 'TIMEOUT'} ms (CPU ${cpu.toFixed(1)} s), RSS ${rss} MB once up, peak ${peak} MB, services up ${up}/${services.length}`);
  return { label, ready_ms: readyMs ?? null, cpu_s: cpu, rss_mb: rss, peak_mb: peak, services_up: up, services: services.length, admin_printed: /contraseña/.test(output) };
}

/** A first start on a fresh data dir, then a second one on the same dir. */
async function pair(name, code, node) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sicora-bench-startup-'));
  try {
    const first = await once(`${name} first start`, code, node, dataDir);
    const second = await once(`${name} second start`, code, node, dataDir);
    return { first, second };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summary(pairs) {
  const pick = (which, key) => median(pairs.map((p) => p[which][key]).filter((v) => v !== null));
  return {
    first_ready_ms: pick('first', 'ready_ms'),
    second_ready_ms: pick('second', 'ready_ms'),
    first_cpu_s: pick('first', 'cpu_s'),
    second_cpu_s: pick('second', 'cpu_s'),
    rss_mb: pick('second', 'rss_mb'),
    peak_mb: Math.max(...pairs.flatMap((p) => [p.first.peak_mb, p.second.peak_mb])),
  };
}

const compareAt = process.argv.indexOf('--compare');
const oldRoot = compareAt > 0 ? resolve(process.argv[compareAt + 1]) : undefined;
const oldNode = compareAt > 0 && process.argv[compareAt + 2] ? process.argv[compareAt + 2] : process.execPath;
if (oldRoot && !existsSync(join(oldRoot, 'bin/sicora'))) throw new Error(`${oldRoot}: no bin/sicora`);

// The project's pinned Node when installed: measuring bin/sicora under another Node would measure the
// launcher that hands over to it, not the platform.
const pinned = join(root, 'node_modules', 'node', 'bin', 'node');
const NEW_NODE = existsSync(pinned) ? pinned : process.execPath;
const result = { date: new Date().toISOString(), node: process.version, load_before: readFileSync('/proc/loadavg', 'utf8').trim(), runs: RUNS };
const runs = { old: [], new: [] };
for (let i = 0; i < RUNS; i++) {
  if (oldRoot) runs.old.push(await pair('old', oldRoot, oldNode));
  runs.new.push(await pair('new', root, NEW_NODE));
}
result.new = { node: NEW_NODE, runs: runs.new, median: summary(runs.new) };
console.log('new (median):', JSON.stringify(result.new.median));
if (oldRoot) {
  result.old = { root: oldRoot, node: oldNode, runs: runs.old, median: summary(runs.old) };
  console.log('old (median):', JSON.stringify(result.old.median));
  const ratio = (k) => +(result.new.median[k] / result.old.median[k]).toFixed(2);
  result.ratio_new_over_old = Object.fromEntries(Object.keys(result.new.median).map((k) => [k, ratio(k)]));
  console.log('new ÷ old:', JSON.stringify(result.ratio_new_over_old));
}
const goals = result.new.median;
result.goals = {
  first_le_15s: goals.first_ready_ms !== null && goals.first_ready_ms <= 15_000,
  second_le_3s: goals.second_ready_ms !== null && goals.second_ready_ms <= 3_000,
  rss_le_450mb: goals.rss_mb <= 450,
  peak_le_600mb: goals.peak_mb <= 600,
};
console.log('goals:', JSON.stringify(result.goals));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, `bench/results/startup-${result.date.slice(0, 10)}.json`), JSON.stringify(result, null, 2));
if (runs.new.some((p) => !p.first.ready_ms || !p.second.ready_ms)) process.exitCode = 1;
