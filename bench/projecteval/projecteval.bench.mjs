#!/usr/bin/env node
// Projecteval benchmark (issue #14): a trimester's closing week. The whole platform runs as a real process
// (`sicora start`, embedded PGlite) on a fresh data dir and its own loopback ports. Through the gateway the
// script builds 100 active teams (3 apprentices each, 10 fichas) with an approved idea, a project and a
// deliverable; then each team submits one 10 MB deliverable (multipart, BENCH_CONCURRENCY at a time),
// timing the uploads (MB/s through the gateway) while sampling the platform process's RSS every 100 ms
// (goal: flat, files stream to disk); then 10 sessions of 10 submissions, each with its own two jurors,
// start, and the 200 juror scorings are made (create + complete); the sessions complete and every grade
// is published, timed from the first publish request to the last answer (goal ≤ 2 s).
// Files are removed afterwards with the data dir. Writes bench/projecteval/results/projecteval-<date>.json.
// Sizes: BENCH_TEAMS (100), BENCH_FILE_MB (10), BENCH_CONCURRENCY (4).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminToken as firstAdminToken, apiClient, expectStatus as expect, root, startPlatform } from '../lib/platform.mjs';

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Bench#Proyectos-2026x', newPassword: 'Rendimiento#2027-Pe' };
const TEAMS = Number(process.env.BENCH_TEAMS ?? 100);
const FILE_MB = Number(process.env.BENCH_FILE_MB ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const PER_FICHA = 30;
const PER_SESSION = 10;
const SESSIONS = Math.ceil(TEAMS / PER_SESSION);
const PASSWORD = 'Proyecto#Bench-2027q';
const P = '/api/v1/projecteval';

const platform = startPlatform({ name: 'projecteval', basePort: Number(process.env.BENCH_BASE_PORT ?? 18410), admin: ADMIN, hardLimitMs: 20 * 60_000 });
const api = apiClient(platform.base);
// The setup (≈ 9 requests per team, all as the admin) goes straight to projecteval: through the gateway it
// would exceed the `user` rate-limit policy (600/min). Everything measured goes through the gateway.
const direct = apiClient(platform.portEnv.PROJECTEVAL_URL);
// 130 first sign-ins (login + forced password change) go to users directly: the gateway's `auth` policy
// allows 100 per minute per client address.
const usersApi = apiClient(platform.portEnv.USERS_URL);
const ms = (t0) => Math.round(performance.now() - t0);
const today = new Date().toISOString().slice(0, 10);
const addDays = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Runs `work(i)` for i in [0, n) with at most `limit` in flight. */
async function pool(n, limit, work) {
  let next = 0;
  const out = new Array(n);
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await work(i);
    }
  }));
  return out;
}

/** The process and its descendants (bin/sicora re-runs itself on the pinned Node: the server is a child). */
function tree(pid) {
  let children = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(tree)];
}

/** VmRSS of the platform: the sum over the launcher and every descendant, in KiB. */
function rssKb(pid) {
  let total = 0;
  for (const p of tree(pid)) {
    try {
      const line = readFileSync(`/proc/${p}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      total += line ? Number(line.replace(/\D+/g, '')) : 0;
    } catch {
      // gone
    }
  }
  return total;
}

async function signIn(doc) {
  const login = expect(await usersApi('POST', '/api/v1/auth/login', { json: { identifier: doc, password: doc } }), 200, `login ${doc}`);
  if (!login.must_change_password) return login.access_token;
  return expect(await usersApi('POST', '/api/v1/auth/change-password', { token: login.access_token, json: { current_password: doc, new_password: PASSWORD } }), 200, `password ${doc}`).access_token;
}

try {
  const readyMs = await platform.waitReady();
  const token = await firstAdminToken(api, ADMIN);
  const as = { token };
  const tag = String(Date.now()).slice(-5);
  console.log(`ready in ${readyMs} ms; building ${TEAMS} teams`);

  // Fichas, people (users B1 import) and the rubric.
  const t0 = performance.now();
  const campus = expect(await api('POST', '/api/v1/campuses', { ...as, json: { code: `PB${tag}`, name: `Sede bench ${tag}` } }), 201, 'campus');
  const program = expect(await api('POST', '/api/v1/programs', { ...as, json: { code: `PB${tag}`, name: 'Programa bench', level: 'TECNICO', duration_months: 12 } }), 201, 'program');
  const fichas = [];
  for (let f = 0; f < Math.ceil((TEAMS * 3) / PER_FICHA); f++) {
    const number = `7${tag}${String(f).padStart(2, '0')}`;
    fichas.push({ number, ...expect(await api('POST', '/api/v1/groups', { ...as, json: { number, program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: addDays(today, -60), end_date: addDays(today, 300) } }), 201, 'ficha') });
  }
  const apprenticeDoc = (i) => `1${tag}${String(i).padStart(4, "0")}`;
  const instructorDoc = (i) => `74${tag}${String(i).padStart(3, '0')}`;
  const lines = ['first_name,last_name,email,document_type,document_number,role,group_number'];
  const INSTRUCTORS = 10 + SESSIONS * 2;
  // users B1 takes letters only in names: the index spelled with a–j.
  const letters = (i) => String(i).split('').map((d) => 'abcdefghij'[Number(d)]).join('');
  for (let i = 0; i < INSTRUCTORS; i++) lines.push(`Instructor,Bench ${letters(i)},inst${i}.${tag}@bench.sicora.test,CC,${instructorDoc(i)},instructor,`);
  for (let i = 0; i < TEAMS * 3; i++) lines.push(`Aprendiz,Bench ${letters(i)},apr${i}.${tag}@bench.sicora.test,CC,${apprenticeDoc(i)},aprendiz,${fichas[Math.floor(i / PER_FICHA)].number}`);
  const form = new FormData();
  form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), 'personas.csv');
  const imported = expect(await api('POST', '/api/v1/users/import', { ...as, form }), 201, 'import');
  const idOf = new Map(imported.created_users.map((u) => [u.document_number, u.id]));
  const rubric = expect(await direct('POST', `${P}/rubrics`, { ...as, json: { name: `Rúbrica bench ${tag}`, criteria: [['Funcionalidad', 30], ['Calidad', 25], ['Documentación', 20], ['Sustentación', 25]].map(([name, weight]) => ({ name, weight })) } }), 201, 'rubric');
  expect(await direct('POST', `${P}/rubrics/${rubric.id}/activate`, as), 200, 'activate rubric');

  // Teams with an approved idea, a project and a deliverable (admin acts as coordination).
  const teams = await pool(TEAMS, 4, async (t) => {
    const members = [0, 1, 2].map((k) => idOf.get(apprenticeDoc(t * 3 + k)));
    const ficha = fichas[Math.floor((t * 3) / PER_FICHA)];
    const team = expect(await direct('POST', `${P}/teams`, { ...as, json: { name: `Equipo bench ${t}`, group_id: ficha.id, advisor_id: idOf.get(instructorDoc(t % 10)), members: members.map((id) => ({ student_id: id })), leader_id: members[0] } }), 201, 'team');
    expect(await direct('POST', `${P}/teams/${team.id}/activate`, as), 200, 'activate');
    const ideas = [];
    for (let n = 0; n < 3; n++) ideas.push(expect(await direct('POST', `${P}/teams/${team.id}/ideas`, { ...as, json: { title: `Idea bench ${t}-${n}`, description: 'Descripción suficientemente larga de la idea de proyecto.', objectives: 'Objetivos del proyecto' } }), 201, 'idea'));
    expect(await direct('POST', `${P}/ideas/${ideas[0].id}/decision`, { ...as, json: { decision: 'approve', viability_score: 80 } }), 200, 'approve');
    const project = expect(await direct('POST', `${P}/projects`, { ...as, json: { idea_id: ideas[0].id, project_type: 'web_application', scope: 'Alcance del proyecto de la semana de cierre.', expected_end_date: addDays(today, 90) } }), 201, 'project');
    const deliverable = expect(await direct('POST', `${P}/projects/${project.id}/deliverables`, { ...as, json: { title: 'Entrega final', deliverable_type: 'source_code', due_at: new Date(Date.now() + 3 * 86_400_000).toISOString(), rubric_id: rubric.id } }), 201, 'deliverable');
    return { team, deliverable, submitterDoc: apprenticeDoc(t * 3) };
  });
  const submitters = await pool(TEAMS, 4, (t) => signIn(teams[t].submitterDoc));
  const setupMs = ms(t0);
  console.log(`setup: ${setupMs} ms`);

  // Uploads: one FILE_MB PDF per team through the gateway, RSS sampled meanwhile.
  const file = Buffer.alloc(FILE_MB * 1024 * 1024, 0x20);
  Buffer.from('%PDF-1.4\n').copy(file);
  const blob = new Blob([file], { type: 'application/pdf' });
  const pid = platform.child.pid;
  const rssBefore = rssKb(pid);
  let rssMax = rssBefore;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssKb(pid))), 100);
  const tUp = performance.now();
  const latencies = [];
  const submissions = await pool(TEAMS, CONCURRENCY, async (t) => {
    const f = new FormData();
    f.append('repository_url', `https://github.com/sena/bench-${t}`);
    f.append('files', blob, `entrega-${t}.pdf`);
    const s0 = performance.now();
    const s = expect(await api('POST', `${P}/deliverables/${teams[t].deliverable.id}/submissions`, { token: submitters[t], form: f }), 201, 'upload');
    latencies.push(ms(s0));
    return s;
  });
  const uploadMs = ms(tUp);
  clearInterval(sampler);
  const rssAfter = rssKb(pid);
  const totalMb = (TEAMS * FILE_MB);
  console.log(`uploads: ${totalMb} MB in ${uploadMs} ms = ${(totalMb / (uploadMs / 1000)).toFixed(1)} MB/s; RSS ${Math.round(rssBefore / 1024)} → max ${Math.round(rssMax / 1024)} MiB`);

  // Sessions: SESSIONS × PER_SESSION submissions, each with its own pair of jurors (no double booking).
  const jurors = await pool(SESSIONS * 2, 4, async (j) => ({ id: idOf.get(instructorDoc(10 + j)), token: await signIn(instructorDoc(10 + j)) }));
  const sessions = [];
  for (let s = 0; s < SESSIONS; s++) {
    const pair = [jurors[2 * s], jurors[2 * s + 1]];
    const items = submissions.slice(s * PER_SESSION, (s + 1) * PER_SESSION);
    const session = expect(await direct('POST', `${P}/sessions`, { ...as, json: { title: `Sustentación final ${s + 1}`, session_type: 'final_presentation', starts_at: new Date(Date.now() + 5 * 60_000).toISOString(), location: `Ambiente ${s + 1}`, minutes_per_team: 15, max_teams: PER_SESSION, juror_ids: pair.map((p) => p.id), chair_id: pair[0].id, submission_ids: items.map((x) => x.id) } }), 201, 'session');
    for (const p of pair) expect(await direct('POST', `${P}/sessions/${session.id}/respond`, { token: p.token, json: { response: 'confirm' } }), 200, 'confirm');
    expect(await direct('POST', `${P}/sessions/${session.id}/start`, as), 200, 'start');
    sessions.push({ session, pair, items });
  }
  const scores = rubric.criteria.map((c) => c.id);
  const scorings = sessions.flatMap(({ session, pair, items }) => items.flatMap((sub, i) => pair.map((p, k) => ({ session, p, sub, value: 70 + ((i + k * 7) % 25) }))));
  const tScore = performance.now();
  await pool(scorings.length, CONCURRENCY, async (n) => {
    const { session, p, sub, value } = scorings[n];
    const e = expect(await api('POST', `${P}/submissions/${sub.id}/evaluations`, { token: p.token, json: { session_id: session.id, scores: scores.map((id) => ({ criterion_id: id, score: value })) } }), 201, 'evaluation');
    expect(await api('POST', `${P}/evaluations/${e.id}/complete`, { token: p.token }), 200, 'complete');
  });
  const scoringMs = ms(tScore);
  for (const { session } of sessions) expect(await direct('POST', `${P}/sessions/${session.id}/complete`, as), 200, 'complete session');
  console.log(`${scorings.length} scorings in ${scoringMs} ms`);

  // Publication of every grade.
  const tPub = performance.now();
  await pool(submissions.length, 8, async (i) => expect(await api('POST', `${P}/submissions/${submissions[i].id}/publish`, as), 200, 'publish'));
  const publishMs = ms(tPub);
  console.log(`published ${submissions.length} grades in ${publishMs} ms`);

  latencies.sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    teams: TEAMS,
    file_mb: FILE_MB,
    concurrency: CONCURRENCY,
    setup_ms: setupMs,
    upload: { total_mb: totalMb, ms: uploadMs, mb_per_s: Number((totalMb / (uploadMs / 1000)).toFixed(1)), p50_ms: latencies[Math.floor(latencies.length / 2)], p95_ms: latencies[Math.floor(latencies.length * 0.95)] },
    rss_mib: { before: Math.round(rssBefore / 1024), max_during_uploads: Math.round(rssMax / 1024), after: Math.round(rssAfter / 1024), growth: Math.round((rssMax - rssBefore) / 1024) },
    scorings: { count: scorings.length, ms: scoringMs },
    publish_all: { count: submissions.length, ms: publishMs, goal_ms: 2000 },
  };
  console.log(JSON.stringify(result, null, 2));
  const out = join(root, 'bench/projecteval/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `projecteval-${today}.json`), `${JSON.stringify(result, null, 2)}\n`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  // The data dir, with every uploaded file, goes with the platform.
  await platform.stop();
}
