#!/usr/bin/env node
// Embedded start-up: time from `sicora start` to the gateway's /health answering 200 with every service
// ready, on a fresh data dir and again on the same one, and the process's resident memory once up.
// Writes bench/results/startup-<date>.json.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(join(tmpdir(), 'sicora-bench-'));
const TIMEOUT_MS = 120_000;

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function run(label) {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/sicora'), 'start'], {
    cwd: root,
    env: { ...process.env, SICORA_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  let readyMs;
  let report;
  while (performance.now() - started < TIMEOUT_MS) {
    try {
      const res = await fetch('http://127.0.0.1:8000/health');
      report = await res.json();
      if (res.status === 200) {
        readyMs = Math.round(performance.now() - started);
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const rss = rssMb(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const services = report?.data?.services ?? report?.services ?? [];
  console.log(`${label}: ready in ${readyMs ?? 'TIMEOUT'} ms, RSS ${rss} MB, services up: ${services.filter((s) => s.status === 'up').length}/${services.length}`);
  return { label, ready_ms: readyMs ?? null, rss_mb: rss, services_up: services.filter((s) => s.status === 'up').length, admin_printed: /contraseña/.test(output) };
}

try {
  const first = await run('first start');
  const second = await run('second start');
  const result = { date: new Date().toISOString(), node: process.version, first, second };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, `bench/results/startup-${result.date.slice(0, 10)}.json`), JSON.stringify(result, null, 2));
  if (!first.ready_ms || !second.ready_ms) process.exitCode = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
