#!/usr/bin/env node
// kb search benchmark (issue 15), all on 127.0.0.1, bounded in count and time, stopping by itself and
// removing what it made (the PGlite data dir, the PostgreSQL database). See bench/kb/README.md.
//
// For each back end (BENCH_BACKENDS, default `pglite,postgresql`) the kb service runs in this process
// (its real app, listening on 127.0.0.1, port 0) with the demo seed, then BENCH_ITEMS (10 000) published
// items are loaded through kb's own backup import (POST /admin/import, ≤ 5 000 items a file, one
// transaction each: the same write path as any item — tsvector, passages, embedding queue), then the
// quality set's Spanish questions (services/kb/test/search-quality.questions.ts) are asked through
// GET /api/v1/kb/search at BENCH_CONCURRENCY (8) for BENCH_ROUNDS (10) rounds per mode, after one warm-up
// round: p50/p95/p99 per mode (fulltext, hybrid) and back end, goal p95 ≤ 50 ms.
//
// Hybrid needs an embeddings provider: a local OpenAI-compatible server (127.0.0.1, port 0) answers
// /models and /embeddings with deterministic vectors (folded words hashed into BENCH_DIMS dimensions).
// Where pgvector is missing (the CI PostgreSQL) hybrid is reported unavailable with kb's own reason.
//
// BENCH_DATABASE_URL (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) is only used to
// create and drop bench_kb_<pid>. Writes bench/results/kb-<date>.json.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { root } from '../lib/platform.mjs';
import { buildItems } from './items.mjs';
import { Agent, fetch as undiciFetch } from 'undici';

const patient = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

register();

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const DIMS = Number(process.env.BENCH_DIMS ?? 256);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgresql').split(',').map((s) => s.trim()).filter(Boolean);
const MODES = (process.env.BENCH_MODES ?? 'fulltext,hybrid').split(',').map((s) => s.trim()).filter(Boolean);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HARD_LIMIT_MS = Number(process.env.BENCH_HARD_LIMIT_S ?? 40 * 60) * 1000;
const EMBED_WAIT_MS = Number(process.env.BENCH_EMBED_WAIT_S ?? 20 * 60) * 1000;
const GOAL_P95_MS = 50;
const IMPORT_BATCH = 5000; // R32's limit per file

// What must go even when the run is cut short (SIGTERM, SIGINT, the hard limit).
const cleanups = new Set();
let aborting = false;
async function abort(why) {
  if (aborting) return;
  aborting = true;
  console.error(`kb bench: ${why}, stopping`);
  const force = setTimeout(() => process.exit(1), 30_000);
  force.unref();
  for (const c of [...cleanups].reverse()) await c().catch((err) => console.error(`kb bench cleanup: ${err.message}`));
  process.exit(1);
}
const guard = setTimeout(() => void abort(`over ${HARD_LIMIT_MS / 1000} s`), HARD_LIMIT_MS);
guard.unref();
process.once('SIGINT', () => void abort('SIGINT'));
process.once('SIGTERM', () => void abort('SIGTERM'));

/** Registers fn as a cleanup; returns a function that runs it once and unregisters it. */
function onCleanup(fn) {
  let done = false;
  const run = async () => {
    if (done) return;
    done = true;
    cleanups.delete(run);
    await fn();
  };
  cleanups.add(run);
  return run;
}

const pct = (sorted, p) => (sorted.length === 0 ? null : +sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1));
function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { count: s.length, p50_ms: pct(s, 50), p95_ms: pct(s, 95), p99_ms: pct(s, 99), max_ms: s.length ? +s[s.length - 1].toFixed(1) : null };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  }));
}

// ---------------------------------------------------------------- the embeddings provider
/** Deterministic unit vectors: folded words (first 6 letters) hashed into DIMS dimensions, so texts sharing words are near. */
function vectorOf(text) {
  const v = new Array(DIMS).fill(0);
  const words = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 3);
  for (const w of words) {
    let h = 2166136261;
    for (const ch of w.slice(0, 6)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    v[h % DIMS] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => +(x / norm).toFixed(6));
}

async function startEmbeddings() {
  const state = { calls: 0, inputs: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/models') return res.end(JSON.stringify({ object: 'list', data: [{ id: 'bench-embed', object: 'model' }] }));
      if (req.method === 'POST' && req.url === '/embeddings') {
        const input = JSON.parse(body).input;
        const inputs = Array.isArray(input) ? input : [input];
        state.calls++;
        state.inputs += inputs.length;
        return res.end(JSON.stringify({ object: 'list', model: 'bench-embed', data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: vectorOf(t) })), usage: { prompt_tokens: 0, total_tokens: 0 } }));
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const stop = onCleanup(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${server.address().port}`, state, stop };
}

// ---------------------------------------------------------------- one back end
async function withDatabase(fn) {
  const pg = (await import('pg')).default;
  const name = `bench_kb_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const drop = onCleanup(async () => {
    const dropper = new pg.Client({ connectionString: PG_URL });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await dropper.end();
  });
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString(), name);
  } finally {
    await drop();
  }
}

async function runOn(backend, provider, questions) {
  const { buildApp } = await import('../../services/kb/src/app.ts');
  const { loadConfig } = await import('../../services/kb/src/config.ts');
  const { seedKbDemo } = await import('../../services/kb/src/seed/demo.seed.ts');
  const { openPglite, fromPglite, openPool } = await import('@sicora/platform/db');
  const { createLocalVerifier } = await import('@sicora/platform/auth');
  const { createTestKeys, mintToken } = await import('@sicora/platform/testing/keys');

  const run = async (database, label) => {
    const config = loadConfig({ LOG_LEVEL: 'warn', KB_OUTBOX_RELAY: 'false', LLM_BASE_URL: provider.url, EMBEDDINGS_MODEL: 'bench-embed' });
    const keys = await createTestKeys();
    const app = await buildApp(config, { database, verifier: createLocalVerifier(keys.jwks, config.jwt), outboxRelay: false, jobs: false });
    const closeApp = onCleanup(() => app.close());
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${app.server.address().port}`;
      const tokens = new Map();
      const tokenOf = async (sub, role) => {
        const key = `${role}:${sub}`;
        if (!tokens.has(key)) tokens.set(key, `Bearer ${await mintToken(keys, { sub, role, name: `Persona ${role}` })}`);
        return tokens.get(key);
      };
      const adminAuth = await tokenOf(randomUUID(), 'admin');
      // The import of 5 000 items may outlast fetch's default 300 s wait for headers on a loaded machine.
      const call = async (method, path, { auth = adminAuth, json, long = false } = {}) => {
        const res = await (long ? undiciFetch : fetch)(`${base}${path}`, { method, headers: { authorization: auth, ...(json ? { 'content-type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined, ...(long ? { dispatcher: patient } : {}) });
        const text = await res.text();
        let body;
        try { body = JSON.parse(text); } catch { body = text; }
        return { status: res.status, body };
      };
      const must = (res, status, what) => {
        if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 1500)}`);
        return res.body;
      };

      // The demo seed (categories, synonyms, settings), as the embedded start has it.
      await seedKbDemo(database);
      // The provider probe runs in the background at start: wait for it (pgvector decides the rest).
      const t0 = performance.now();
      let emb = must(await call('GET', '/api/v1/kb/admin/embeddings'), 200, 'embeddings status').data;
      while (emb.vector_extension === 'available' && emb.status !== 'ok' && performance.now() - t0 < 30_000) {
        await sleep(200);
        emb = must(await call('GET', '/api/v1/kb/admin/embeddings'), 200, 'embeddings status').data;
      }
      const semantic = emb.vector_extension === 'available' && emb.status === 'ok';

      // The load: kb's own import, ≤ 5 000 items a file.
      const exported = must(await call('GET', '/api/v1/kb/admin/export?include_versions=false'), 200, 'export');
      const items = buildItems(exported, ITEMS);
      const l0 = performance.now();
      let created = 0;
      for (let i = 0; i < items.length; i += IMPORT_BATCH) {
        const doc = { ...exported, items: items.slice(i, i + IMPORT_BATCH) };
        const counts = must(await call('POST', '/api/v1/kb/admin/import?mode=skip_existing', { json: doc, long: true }), 200, `import ${i}`).data;
        created += counts.items_created;
      }
      const load_s = +((performance.now() - l0) / 1000).toFixed(1);
      if (created !== items.length) throw new Error(`import created ${created} of ${items.length}`);
      console.log(`  ${label}: ${created} items imported in ${load_s} s`);

      // The embeddings the import queued (R14), waited for before hybrid is measured.
      let embed_s = null;
      if (semantic && MODES.includes('hybrid')) {
        const e0 = performance.now();
        let last = 0;
        for (;;) {
          emb = must(await call('GET', '/api/v1/kb/admin/embeddings'), 200, 'embeddings status').data;
          if (emb.pending_jobs === 0 && emb.items_embedded >= emb.items_total && emb.passages_embedded >= emb.passages_total) break;
          if (performance.now() - e0 > EMBED_WAIT_MS) throw new Error(`embeddings not done after ${EMBED_WAIT_MS / 1000} s: ${JSON.stringify(emb)}`);
          if (performance.now() - last > 15_000) {
            last = performance.now();
            console.log(`  ${label}: embedding… items ${emb.items_embedded}/${emb.items_total}, passages ${emb.passages_embedded}/${emb.passages_total}`);
          }
          await sleep(1000);
        }
        embed_s = +((performance.now() - e0) / 1000).toFixed(1);
        console.log(`  ${label}: ${emb.items_embedded} items and ${emb.passages_embedded} passages embedded in ${embed_s} s`);
      }
      // Fresh statistics, as a live database has them.
      await database.query('ANALYZE');

      // The questions: each request from its own reader (R24 allows 60 searches a minute per user).
      const out = { backend: label, items_loaded: created, passages: emb.passages_total, load_s, embed_s, semantic_available: semantic, modes: {} };
      for (const mode of MODES) {
        if (mode === 'hybrid' && !semantic) {
          const probe = must(await call('GET', `/api/v1/kb/search?q=${encodeURIComponent(questions[0][0])}&mode=hybrid`, { auth: await tokenOf(randomUUID(), 'aprendiz') }), 200, 'hybrid probe');
          out.modes.hybrid = { available: false, reason: probe.meta?.search?.fallback_reason ?? emb.vector_extension };
          console.log(`  ${label}: hybrid unavailable (${out.modes.hybrid.reason})`);
          continue;
        }
        const ask = async ([q, , role]) => {
          const auth = await tokenOf(randomUUID(), role ?? 'aprendiz');
          const a = performance.now();
          const res = await call('GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}&mode=${mode}&page_size=10`, { auth });
          const ms = performance.now() - a;
          return { ms, status: res.status, mode_used: res.body?.meta?.search?.mode_used, hits: Array.isArray(res.body?.data) ? res.body.data.length : 0, fallback: res.body?.meta?.search?.fallback_reason ?? null };
        };
        // Tokens minted before the clock starts.
        const plan = Array.from({ length: ROUNDS }, () => questions).flat();
        await pool(questions, CONCURRENCY, ask); // warm-up round, not counted
        const results = [];
        const m0 = performance.now();
        await pool(plan, CONCURRENCY, async (q) => results.push(await ask(q)));
        const seconds = (performance.now() - m0) / 1000;
        const ok = results.filter((r) => r.status === 200);
        const errors = {};
        for (const r of results) if (r.status !== 200) errors[r.status] = (errors[r.status] ?? 0) + 1;
        const usedOther = ok.filter((r) => r.mode_used !== mode).length;
        const s = stats(ok.map((r) => r.ms));
        out.modes[mode] = {
          available: true, requests: results.length, concurrency: CONCURRENCY, seconds: +seconds.toFixed(2), req_per_s: Math.round(results.length / seconds), ...s,
          zero_hit_requests: ok.filter((r) => r.hits === 0).length, other_mode_used: usedOther, errors,
          goal_p95_ms: GOAL_P95_MS, pass: s.p95_ms !== null && s.p95_ms <= GOAL_P95_MS && results.length === ok.length && usedOther === 0,
        };
        console.log(`  ${label} ${mode}: p50 ${s.p50_ms} ms, p95 ${s.p95_ms} ms, p99 ${s.p99_ms} ms (${results.length} requests at ${CONCURRENCY}, ${out.modes[mode].req_per_s}/s, errors ${JSON.stringify(errors)}, other mode used ${usedOther}) → ${out.modes[mode].pass ? 'PASS' : 'FAIL'} (p95 ≤ ${GOAL_P95_MS} ms)`);
      }
      return out;
    } finally {
      await closeApp();
    }
  };

  if (backend === 'pglite') {
    // On disk, as the embedded start keeps it.
    const dir = mkdtempSync(join(tmpdir(), 'sicora-bench-kb-'));
    const removeDir = onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
    try {
      const database = fromPglite(await openPglite(dir));
      const closeDb = onCleanup(() => database.close());
      try {
        return await run(database, 'embedded (PGlite on disk, pgvector)');
      } finally {
        await closeDb();
      }
    } finally {
      await removeDir();
    }
  }
  if (backend === 'postgresql') {
    return withDatabase(async (url, name) => {
      const database = openPool(url, { max: 10 });
      const closeDb = onCleanup(() => database.close());
      try {
        return await run(database, `PostgreSQL (${name})`);
      } finally {
        await closeDb();
      }
    });
  }
  throw new Error(`unknown back end ${backend} (pglite, postgresql)`);
}

// ---------------------------------------------------------------- main
const results = { date: new Date().toISOString(), node: process.version, items: ITEMS, concurrency: CONCURRENCY, rounds: ROUNDS, dims: DIMS, load_average_before: loadavg().map((x) => +x.toFixed(2)), backends: [] };
try {
  const { QUESTIONS } = await import('../../services/kb/test/search-quality.questions.ts');
  results.questions = QUESTIONS.length;
  console.log(`kb bench: ${ITEMS} items, ${QUESTIONS.length} questions × ${ROUNDS} rounds per mode at concurrency ${CONCURRENCY}`);
  const provider = await startEmbeddings();
  try {
    for (const backend of BACKENDS) results.backends.push(await runOn(backend, provider, QUESTIONS));
  } finally {
    results.embeddings_provider = { calls: provider.state.calls, inputs: provider.state.inputs };
    await provider.stop();
  }
} catch (err) {
  // A SIGTERM/SIGINT or the hard limit is cleaning up and will exit: no partial results file.
  if (aborting) await new Promise(() => undefined);
  console.error(`kb bench failed: ${err.stack ?? err.message}`);
  results.error = err.message;
  process.exitCode = 1;
}
results.load_average_after = loadavg().map((x) => +x.toFixed(2));
mkdirSync(join(root, 'bench/results'), { recursive: true });
const file = join(root, `bench/results/kb-${results.date.slice(0, 16).replace(':', '')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`results: ${file}`);
for (const c of [...cleanups].reverse()) await c().catch(() => undefined);
// Leftover sockets of the in-process app must not keep the process alive past the report.
setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
