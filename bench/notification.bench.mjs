#!/usr/bin/env node
// Notification service benchmark (notification.md R65), all on 127.0.0.1, bounded, stopping by itself:
//  (a) N1 202 latency p95 at 200 requests/s for 10 s (direct to the service, service token; embedded
//      PGlite + pg-boss), with the in-process worker running and, to separate the accept path, without;
//  (b) one `manual.announcement` with channels ["email"] to a role of 20 000 active users (a fake users
//      service on port 0 answers U1 pages, U12 lookups and the service token) through a no-op e-mail
//      provider: deliveries/s from the 202 to `completed`, on BOTH back ends in one run — embedded
//      (pg-boss + PGlite) and BullMQ + Postgres (a fresh `bench_notification_<pid>` database, dropped at
//      the end, and a unique BullMQ key prefix, deleted at the end);
//  (c) 1 000 e-mails through the whole path (announcement → fan-out → dispatch → real SMTP adapter with
//      the pool of 5) into the local mail sink, messages/s; (c') the SMTP adapter alone into the sink.
// The service code is TypeScript, loaded through tsx's loader (bench/run.mjs starts plain node).
// Writes bench/results/notification-<date>.json.
import { register } from 'tsx/esm/api';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

register();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROLE_USERS = Number(process.env.BENCH_ROLE_USERS ?? 20_000);
const RATE = 200;
const LATENCY_SECONDS = 10;
const SINK_MAILS = 1_000;
const COMPLETE_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 5 * 60_000);
const HARD_LIMIT_MS = 20 * 60_000;

const guard = setTimeout(() => {
  console.error(`notification bench: over ${HARD_LIMIT_MS / 1000} s, stopping`);
  process.exit(1);
}, HARD_LIMIT_MS);
guard.unref();

const { buildApp } = await import('../services/notification/src/app.ts');
const { loadConfig } = await import('../services/notification/src/config.ts');
const { openPglite, fromPglite, openPool } = await import('@sicora/platform/db');
const { createLocalVerifier } = await import('@sicora/platform/auth');
const { createTestKeys, mintToken } = await import('@sicora/platform/testing/keys');
const pg = (await import('pg')).default;
const { Redis } = await import('ioredis');

const keys = await createTestKeys();
const SERVICE_SUB = '5eedbe9c-0000-4000-8000-000000000001';
const serviceToken = await mintToken(keys, { sub: SERVICE_SUB, role: 'service', name: 'attendance' }, { expiresIn: 3600 });

// ---------------------------------------------------------------- fake users service (U1, U12, token)
const userId = (i) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const cardOf = (id) => {
  const n = Number(id.slice(-12));
  return { id, first_name: `Aprendiz${n}`, last_name: 'Carga Prueba', full_name: `Aprendiz${n} Carga Prueba`, role: 'aprendiz', email: `aprendiz${n}@bench.sicora.test`, phone: null, is_active: true, is_deleted: false };
};
let roleSize = ROLE_USERS;
const usersFake = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const send = (status, body) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
    if (req.method === 'POST' && url.pathname === '/api/v1/auth/service-token') return send(200, { data: { access_token: 'bench-token', expires_in: 3600 } });
    if (req.method === 'GET' && url.pathname === '/api/v1/users') {
      const page = Number(url.searchParams.get('page') ?? 1);
      const size = Number(url.searchParams.get('page_size') ?? 100);
      const from = (page - 1) * size;
      const data = [];
      for (let i = from; i < Math.min(roleSize, from + size); i++) data.push({ id: userId(i + 1) });
      return send(200, { data, meta: { pagination: { page, page_size: size, total: roleSize, has_next: from + size < roleSize } } });
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/users/lookup') {
      const { ids } = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      return send(200, { data: { found: (ids ?? []).map(cardOf), missing: [] } });
    }
    send(404, { error: { code: 'NOT_FOUND' } });
  });
});
await new Promise((r) => usersFake.listen(0, '127.0.0.1', r));
const usersUrl = `http://127.0.0.1:${usersFake.address().port}`;

const noopEmail = { name: 'noop', channel: 'email', async send(m) { return { provider: 'noop', provider_message_id: `noop-${m.delivery_id}` }; } };

async function startService({ database, env = {}, providers }) {
  const config = loadConfig({
    LOG_LEVEL: 'silent', USERS_URL: usersUrl, SCHEDULES_URL: usersUrl, SERVICE_CLIENT_SECRET: 'bench-secret-notification', ...env,
  });
  const app = await buildApp(config, { database, verifier: createLocalVerifier(keys.jwks, config.jwt), ...(providers ? { providers } : {}) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, base: `http://127.0.0.1:${app.server.address().port}` };
}

/**
 * BENCH_TRACE=1: wraps the runtime's ports, repositories and queue to sum time and calls per method, the
 * profile behind the report's analysis (overlapping calls of concurrent sends are summed, not merged).
 */
function trace(app) {
  const runtime = app.notificationWorker?.runtime;
  const stats = new Map();
  if (!runtime || !process.env.BENCH_TRACE) return () => null;
  const targets = { users: runtime.users, queue: runtime.getQueue(), dispatch: runtime.dispatch, fanout: runtime.fanout, ...Object.fromEntries(Object.entries(runtime.repos).map(([k, v]) => [`repo.${k}`, v])) };
  for (const [name, obj] of Object.entries(targets)) {
    for (const key of Object.keys(obj)) {
      const fn = obj[key];
      if (typeof fn !== 'function') continue;
      obj[key] = async function (...args) {
        const t0 = performance.now();
        try { return await fn.apply(this, args); } finally {
          const s = stats.get(`${name}.${key}`) ?? { calls: 0, ms: 0 };
          s.calls++; s.ms += performance.now() - t0;
          stats.set(`${name}.${key}`, s);
        }
      };
    }
  }
  return () => Object.fromEntries([...stats].sort((a, b) => b[1].ms - a[1].ms).map(([k, v]) => [k, { calls: v.calls, ms: Math.round(v.ms) }]));
}

async function post(base, body) {
  const res = await fetch(`${base}/api/v1/notifications`, {
    method: 'POST', headers: { authorization: `Bearer ${serviceToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 202) throw new Error(`N1 answered ${res.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

/**
 * Polls until the notification is finished; notes when the fan-out had inserted every delivery and how
 * many were sent by then, so the send phase after the fan-out can be reported apart.
 */
async function waitFinished(database, id, expected = 0) {
  const started = performance.now();
  const end = Date.now() + COMPLETE_TIMEOUT_MS;
  const phases = { fanout_s: null, sent_when_inserted: null };
  for (;;) {
    const rows = await database.query('SELECT status FROM notification.notifications WHERE id = $1', [id]);
    const status = rows[0]?.status;
    if (phases.fanout_s === null && expected > 0) {
      const [c] = await database.query('SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1', [id]);
      if (c.n >= expected) {
        phases.fanout_s = +((performance.now() - started) / 1000).toFixed(2);
        const [t] = await database.query(`SELECT count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1 AND status IN ('sent','delivered')`, [id]);
        phases.sent_when_inserted = t.n;
      }
    }
    if (['completed', 'partially_failed', 'failed', 'cancelled'].includes(status)) return { status, ...phases };
    if (Date.now() > end) throw new Error(`notification ${id} still ${status} after ${COMPLETE_TIMEOUT_MS / 1000} s: ${JSON.stringify(await deliveryCounts(database, id))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function deliveryCounts(database, id) {
  const rows = await database.query('SELECT status, count(*)::int AS n FROM notification.deliveries WHERE notification_id = $1 GROUP BY status', [id]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const results = { date: new Date().toISOString(), hardware: { cpus: cpus().length, cpu: cpus()[0]?.model, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version } };
const dataDirs = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'sicora-bench-notification-')); dataDirs.push(d); return d; };

// ---------------------------------------------------------------- (a) N1 latency at 200 requests/s
async function latency(runWorker = true) {
  const database = fromPglite(await openPglite());
  roleSize = 1;
  const { app, base } = await startService({ database, env: { MAIL_SINK_ENABLED: 'false', SICORA_DATA_DIR: tempDir(), NOTIFICATION_RUN_WORKER: String(runWorker) }, providers: { email: noopEmail } });
  try {
    for (let i = 0; i < 20; i++) await post(base, { type: 'attendance.absence_recorded', target_users: [userId(1)], data: { subject: 'Calentamiento', session_date: '2026-01-01' } });
    const total = RATE * LATENCY_SECONDS;
    const times = [];
    let errors = 0;
    const started = performance.now();
    const inflight = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push((async () => {
        const t0 = performance.now();
        try {
          await post(base, { type: 'attendance.absence_recorded', target_users: [userId((i % 50) + 1)], data: { subject: 'Carga', session_date: '2026-01-01' } });
          times.push(performance.now() - t0);
        } catch {
          errors++;
        }
      })());
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    return { worker_in_process: runWorker, requests: total, errors, achieved_rps: Math.round((total / elapsed) * 10) / 10, p50_ms: +pct(times, 50).toFixed(1), p95_ms: +pct(times, 95).toFixed(1), p99_ms: +pct(times, 99).toFixed(1), goal_p95_ms: 20 };
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------- (b) 20 000-recipient announcement
async function fanout(database, env) {
  roleSize = ROLE_USERS;
  const { app, base } = await startService({ database, env: { MAIL_SINK_ENABLED: 'false', SICORA_DATA_DIR: tempDir(), NOTIFICATION_RUN_WORKER: 'true', ...env }, providers: { email: noopEmail } });
  const traced = trace(app);
  try {
    const t0 = performance.now();
    const accepted = await post(base, { type: 'manual.announcement', target_roles: ['aprendiz'], channels: ['email'], title: 'Prueba de carga', message: 'Mensaje de prueba de rendimiento.' });
    const t202 = performance.now();
    const { status, fanout_s, sent_when_inserted } = await waitFinished(database, accepted.id, ROLE_USERS);
    const seconds = (performance.now() - t202) / 1000;
    const counts = await deliveryCounts(database, accepted.id);
    const delivered = (counts.sent ?? 0) + (counts.delivered ?? 0);
    const profile = traced();
    if (profile) console.log('trace', JSON.stringify(profile));
    // The send phase apart: deliveries sent after the last one was inserted, over the time that took.
    const after = fanout_s === null ? null : { sent: delivered - sent_when_inserted, seconds: +(seconds - fanout_s).toFixed(2) };
    return {
      recipients: ROLE_USERS, status, deliveries: counts, fanout_inserted_s: fanout_s, sent_when_inserted, accept_ms: Math.round(t202 - t0), seconds: +seconds.toFixed(2), deliveries_per_s: Math.round(delivered / seconds),
      after_fanout_per_s: after && after.seconds > 0 ? Math.round(after.sent / after.seconds) : null,
    };
  } finally {
    await app.close();
  }
}

async function embeddedFanout() {
  const database = fromPglite(await openPglite());
  const r = await fanout(database, {});
  await database.close();
  return { backend: 'pg-boss + PGlite', goal_per_s: 1000, ...r };
}

async function bullmqFanout() {
  const name = `bench_notification_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(PG_URL);
  target.pathname = `/${name}`;
  const database = openPool(target.toString(), { max: 20 });
  const prefix = `benchnt${process.pid}`;
  try {
    const r = await fanout(database, { REDIS_URL, NOTIFICATION_QUEUE_PREFIX: prefix });
    return { backend: 'BullMQ + Postgres', goal_per_s: 5000, ...r };
  } finally {
    await database.close();
    const dropper = new pg.Client({ connectionString: PG_URL });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
    const redis = new Redis(REDIS_URL);
    const left = await redis.keys(`${prefix}:*`);
    for (let i = 0; i < left.length; i += 500) await redis.del(...left.slice(i, i + 500));
    await redis.quit();
  }
}

// ---------------------------------------------------------------- (c) 1 000 e-mails into the mail sink
async function mailSink() {
  const dataDir = tempDir();
  const database = fromPglite(await openPglite());
  roleSize = SINK_MAILS;
  const { app, base } = await startService({ database, env: { MAIL_SINK_ENABLED: 'true', MAIL_SINK_PORT: '0', SMTP_POOL_SIZE: '5', SICORA_DATA_DIR: dataDir } });
  try {
    const accepted = await post(base, { type: 'manual.announcement', target_roles: ['aprendiz'], channels: ['email'], title: 'Prueba del buzón local', message: 'Mensaje de prueba de rendimiento.' });
    const t202 = performance.now();
    const { status, fanout_s } = await waitFinished(database, accepted.id, SINK_MAILS);
    const seconds = (performance.now() - t202) / 1000;
    const counts = await deliveryCounts(database, accepted.id);
    let files = 0;
    for (const day of readdirSync(join(dataDir, 'mail'))) files += readdirSync(join(dataDir, 'mail', day)).length;
    return { mails: SINK_MAILS, status, deliveries: counts, files_in_sink: files, fanout_inserted_s: fanout_s, seconds: +seconds.toFixed(2), messages_per_s: Math.round((counts.sent ?? 0) / seconds), goal_per_s: 50 };
  } finally {
    await app.close();
    await database.close();
  }
}

// (c') the SMTP adapter alone: 1 000 rendered-size messages through the pool of 5 into the sink, 20 at a
// time (the worker's concurrency), to separate SMTP throughput from the dispatch path measured in (c).
async function smtpOnly() {
  const { startMailSink } = await import('../services/notification/src/infrastructure/mail-sink.ts');
  const { createSmtpProvider } = await import('../services/notification/src/infrastructure/channels/smtp.ts');
  const dataDir = tempDir();
  const sink = await startMailSink({ dataDir, port: 0, timezone: 'America/Bogota', now: () => new Date() });
  const smtp = createSmtpProvider({ url: sink.url, from: '"SICORA - SENA" <no-reply@sicora.local>', poolSize: 5 });
  const html = `<p>${'Mensaje de prueba de rendimiento. '.repeat(40)}</p>`;
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 20 }, async () => {
      while (next < SINK_MAILS) {
        const i = next++;
        await smtp.send({
          delivery_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, notification_id: '00000000-0000-4000-8000-000000000000', user_id: userId(i + 1),
          type: 'manual.announcement', category: 'announcements', priority: 'normal', mandatory: false, to: `aprendiz${i}@bench.sicora.test`, subject: 'Prueba del buzón local',
          text: 'Mensaje de prueba de rendimiento.', html, action_url: null, entity_type: null, entity_id: null, preferences_url: 'http://localhost:5173/notificaciones/preferencias',
        });
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    return { mails: SINK_MAILS, files_in_sink: sink.list().length, seconds: +seconds.toFixed(2), messages_per_s: Math.round(SINK_MAILS / seconds), goal_per_s: 50 };
  } finally {
    await smtp.close?.();
    await sink.close();
  }
}

const only = (process.env.BENCH_PARTS ?? 'latency,latency_accept_only,embedded,bullmq,sink,smtp').split(',');
let failed = false;
for (const [key, fn] of [['latency', () => latency(true)], ['latency_accept_only', () => latency(false)], ['embedded', embeddedFanout], ['bullmq', bullmqFanout], ['sink', mailSink], ['smtp', smtpOnly]]) {
  if (!only.includes(key)) continue;
  try {
    results[key] = await fn();
    console.log(key, JSON.stringify(results[key]));
  } catch (err) {
    failed = true;
    results[key] = { error: String(err?.message ?? err) };
    console.error(key, 'failed:', err);
  }
}

usersFake.close();
for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, 'bench/results', `notification-${results.date.slice(0, 10)}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`notification bench: results in ${file}`);
process.exit(failed ? 1 : 0);
