#!/usr/bin/env node
// Where kb's search time goes (issue 15), CPU-independent evidence next to kb.bench.mjs's wall clock: the
// bench's data set (bench/kb/items.mjs) in a database that is kept between runs, then every question of the
// quality set asked once through kb's real app (app.inject, no network) with every SQL statement the
// search runs recorded (text, parameters, time), and EXPLAIN (ANALYZE, BUFFERS) of the costliest ones.
//
//   node bench/kb/kb.profile.mjs postgresql   # database PROFILE_DB (kb_profile) on PROFILE_DATABASE_URL's server
//   node bench/kb/kb.profile.mjs pglite       # PGlite on disk in PROFILE_DIR (tmpdir/sicora-kb-profile)
//
// PROFILE_ITEMS (10 000) items are loaded only when missing (kb's own import, as the bench does);
// PROFILE_DROP=1 removes the database or the dir at the end. PROFILE_MODE (fulltext) is the search mode,
// PROFILE_EXPLAIN (6) how many statement shapes get a plan, PROFILE_QUESTIONS=a,b,… limits the questions (by
// index). Single-threaded and sequential: the per-statement figures hold on a loaded machine far better
// than the bench's percentiles, and the buffer counts do not depend on it at all.
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { register } from 'tsx/esm/api';
import { buildItems } from './items.mjs';

register();

const BACKEND = process.argv[2] ?? 'postgresql';
const ITEMS = Number(process.env.PROFILE_ITEMS ?? 10_000);
const MODE = process.env.PROFILE_MODE ?? 'fulltext';
const EXPLAIN = Number(process.env.PROFILE_EXPLAIN ?? 6);
const PG_URL = process.env.PROFILE_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PG_NAME = process.env.PROFILE_DB ?? 'kb_profile';
const DIR = process.env.PROFILE_DIR ?? join(tmpdir(), 'sicora-kb-profile');
const ONLY = process.env.PROFILE_QUESTIONS ? new Set(process.env.PROFILE_QUESTIONS.split(',').map(Number)) : null;

const { buildApp } = await import('../../services/kb/src/app.ts');
const { loadConfig } = await import('../../services/kb/src/config.ts');
const { seedKbDemo } = await import('../../services/kb/src/seed/demo.seed.ts');
const { openPglite, fromPglite, openPool } = await import('@sicora/platform/db');
const { createLocalVerifier } = await import('@sicora/platform/auth');
const { createTestKeys, mintToken } = await import('@sicora/platform/testing/keys');
const { QUESTIONS } = await import('../../services/kb/test/search-quality.questions.ts');

/** Every statement while `trace` is set: {sql, params, ms}. */
let trace = null;
let database;
let raw; // runs EXPLAIN with the traced parameters
if (BACKEND === 'postgresql') {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_NAME])).rowCount > 0;
  if (!exists) await admin.query(`CREATE DATABASE ${PG_NAME}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${PG_NAME}`;
  database = openPool(url.toString(), { max: 4 });
  const pool = database.pool;
  const query = pool.query.bind(pool);
  pool.query = async (config, values, ...rest) => {
    const text = typeof config === 'string' ? config : config.text;
    const params = typeof config === 'string' ? values : (config.values ?? values);
    const t0 = performance.now();
    const res = await query(config, values, ...rest);
    trace?.push({ sql: text, params: params ?? [], ms: performance.now() - t0 });
    return res;
  };
  raw = async (text, params) => (await query(text, params)).rows;
} else if (BACKEND === 'pglite') {
  const client = await openPglite(DIR);
  const query = client.query.bind(client);
  client.query = async (text, params, options) => {
    const t0 = performance.now();
    const res = await query(text, params, options);
    trace?.push({ sql: text, params: params ?? [], ms: performance.now() - t0 });
    return res;
  };
  database = fromPglite(client);
  raw = async (text, params) => (await query(text, params)).rows;
} else throw new Error(`unknown back end ${BACKEND} (postgresql, pglite)`);

const config = loadConfig({ LOG_LEVEL: 'warn', KB_OUTBOX_RELAY: 'false' });
const keys = await createTestKeys();
const app = await buildApp(config, { database, verifier: createLocalVerifier(keys.jwks, config.jwt), outboxRelay: false, jobs: false });
await app.ready();
const auth = async (role) => ({ authorization: `Bearer ${await mintToken(keys, { sub: randomUUID(), role, name: `Persona ${role}` })}` });
try {
  const [{ n }] = await raw("SELECT count(*)::int AS n FROM kb.items WHERE status = 'published' AND deleted_at IS NULL");
  if (n < ITEMS) {
    await seedKbDemo(database);
    const headers = await auth('admin');
    const exported = (await app.inject({ method: 'GET', url: '/api/v1/kb/admin/export?include_versions=false', headers })).json();
    const items = buildItems(exported, ITEMS);
    const t0 = performance.now();
    for (let i = 0; i < items.length; i += 5000) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/kb/admin/import?mode=skip_existing', headers, payload: { ...exported, items: items.slice(i, i + 5000) } });
      if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 500)}`);
    }
    await raw('ANALYZE');
    console.log(`loaded ${items.length} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const [{ items, passages }] = await raw('SELECT (SELECT count(*) FROM kb.items)::int AS items, (SELECT count(*) FROM kb.item_passages)::int AS passages');
  console.log(`kb profile on ${BACKEND}: ${items} items, ${passages} passages, mode ${MODE}`);

  const shapeOf = (text) => text.replace(/\s+/g, ' ').replace(/\$\d+/g, '?').slice(0, 90);
  const shapes = new Map();
  const perQuestion = [];
  for (const [index, [q, , role]] of QUESTIONS.entries()) {
    if (ONLY && !ONLY.has(index)) continue;
    const headers = await auth(role ?? 'aprendiz');
    const url = `/api/v1/kb/search?q=${encodeURIComponent(q)}&mode=${MODE}&page_size=10`;
    await app.inject({ method: 'GET', url, headers }); // warm: caches as a running service has them
    trace = [];
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url, headers });
    const ms = performance.now() - t0;
    const statements = trace;
    trace = null;
    if (res.statusCode !== 200) throw new Error(`${q}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    const body = res.json();
    perQuestion.push({ index, q, ms, trace: statements, statements: statements.length, sqlMs: statements.reduce((a, s) => a + s.ms, 0), total: body.meta.total ?? body.meta.pagination?.total, relaxed: body.meta.search.relaxed });
    for (const s of statements) {
      const key = shapeOf(s.sql);
      const agg = shapes.get(key) ?? { key, count: 0, ms: 0, max: null };
      agg.count++;
      agg.ms += s.ms;
      if (!agg.max || s.ms > agg.max.ms) agg.max = { ...s, q };
      shapes.set(key, agg);
    }
  }
  // Shared buffers each search touched (hit + read, every statement, from EXPLAIN (ANALYZE, BUFFERS)): the
  // figure the machine's load does not change.
  if (process.env.PROFILE_BUFFERS !== '0') {
    for (const r of perQuestion) {
      let blocks = 0;
      for (const st of r.trace) {
        if (!/^\s*(with|select)/i.test(st.sql)) continue;
        const [row] = await raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${st.sql}`, st.params);
        const plan = (row['QUERY PLAN'] ?? Object.values(row)[0])[0];
        blocks += (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0);
      }
      r.blocks = blocks;
    }
    const b = perQuestion.map((r) => r.blocks).sort((x, y) => x - y);
    const bp = (x) => b[Math.min(b.length - 1, Math.ceil(x * b.length) - 1)];
    console.log(`\nshared buffers per search (SELECTs, EXPLAIN ANALYZE BUFFERS): p50 ${bp(0.5)}, p95 ${bp(0.95)}, max ${bp(1)}, mean ${Math.round(b.reduce((x, y) => x + y, 0) / b.length)}`);
  }
  perQuestion.sort((a, b) => b.ms - a.ms);
  const sum = perQuestion.reduce((a, r) => a + r.ms, 0);
  const sorted = perQuestion.map((r) => r.ms).sort((a, b) => a - b);
  const p = (x) => sorted[Math.min(sorted.length - 1, Math.ceil(x * sorted.length) - 1)].toFixed(1);
  console.log(`\n${perQuestion.length} questions, one at a time: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms, mean ${(sum / perQuestion.length).toFixed(1)} ms; statements per search: ${Math.min(...perQuestion.map((r) => r.statements))}–${Math.max(...perQuestion.map((r) => r.statements))}`);
  console.log('\nslowest questions (ms request / ms in SQL / statements / total / relaxed):');
  for (const r of perQuestion.slice(0, 10)) console.log(`  ${r.ms.toFixed(1).padStart(7)} ${r.sqlMs.toFixed(1).padStart(7)} ${String(r.statements).padStart(3)} ${String(r.total).padStart(4)} ${r.relaxed ? 'R' : ' '}  #${r.index} ${r.q}`);
  const byTime = [...shapes.values()].sort((a, b) => b.ms - a.ms);
  console.log('\nstatements by total time (ms total / count / ms max):');
  for (const s of byTime) console.log(`  ${s.ms.toFixed(1).padStart(8)} ${String(s.count).padStart(4)} ${s.max.ms.toFixed(1).padStart(7)}  ${s.key}`);
  for (const s of byTime.slice(0, EXPLAIN)) {
    if (!/^\s*(with|select)/i.test(s.max.sql)) continue;
    console.log(`\n==== EXPLAIN (ANALYZE, BUFFERS) of the slowest "${s.key.slice(0, 60)}…" (${s.max.ms.toFixed(1)} ms, question "${s.max.q}")`);
    console.log(`params: ${JSON.stringify(s.max.params).slice(0, 600)}`);
    const plan = await raw(`EXPLAIN (ANALYZE, BUFFERS) ${s.max.sql}`, s.max.params);
    for (const row of plan) console.log(`  ${row['QUERY PLAN']}`);
  }
} finally {
  await app.close();
  await database.close();
  if (process.env.PROFILE_DROP === '1') {
    if (BACKEND === 'pglite') rmSync(DIR, { recursive: true, force: true });
    else {
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${PG_NAME} WITH (FORCE)`);
      await admin.end();
    }
    console.log(`removed ${BACKEND === 'pglite' ? DIR : PG_NAME}`);
  } else console.log(`\nkept ${BACKEND === 'pglite' ? DIR : PG_NAME} (PROFILE_DROP=1 removes it)${existsSync(DIR) || BACKEND !== 'pglite' ? '' : ''}`);
}
