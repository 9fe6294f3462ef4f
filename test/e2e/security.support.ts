/**
 * What the security journeys (issue #18 item 2, test/e2e/security-*.e2e.test.ts) share: one `sicora start`
 * per file on free ports with its own data dir and admin, the typed client over its gateway, a raw caller
 * that can set any header (`X-Forwarded-For` through the trusted loopback hop, gateway.md R8), people made
 * through the API, and the platform's own signing key read from the data dir (users R23: the embedded key
 * lives in `<data dir>/keys/<kid>.pem`) so a test can mint tokens the verifiers must judge by their claims.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importPKCS8, SignJWT, type JWTPayload } from 'jose';
import { createSicoraClient, type SicoraClient } from '@sicora/client';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

export const ADMIN_EMAIL = 'admin@sicora.sena.edu.co';
const ADMIN_FIRST_PASSWORD = 'E2e#Seguridad-2026x';
const ADMIN_PASSWORD = 'Pasarela#Segura-2027';
/** The password every person a journey creates ends up with (after the forced first change). */
export const PEOPLE_PASSWORD = 'Seguridad#Centro-2027q';

export interface Platform {
  gateway: string;
  /** Each service's own base URL (the same paths without the gateway). */
  urls: Record<string, string>;
  dataDir: string;
  child: Child;
  /** The signed-in administrator's access token. */
  admin: string;
  stop(): Promise<void>;
}

/** `sicora start` on free ports, embedded back ends, a fresh data dir; resolves once the gateway is healthy and the admin is signed in. */
export async function startPlatform(extraEnv: Record<string, string> = {}): Promise<Platform> {
  const { env, urls } = await portEnv();
  const dataDir = tempDataDir();
  const child = runSicora(['start'], {
    ...env,
    SICORA_DATA_DIR: dataDir,
    SICORA_ADMIN_EMAIL: ADMIN_EMAIL,
    SICORA_ADMIN_PASSWORD: ADMIN_FIRST_PASSWORD,
    DATABASE_URL: '',
    REDIS_URL: '',
    ...extraEnv,
  });
  const platform: Platform = {
    gateway: urls.gateway,
    urls,
    dataDir,
    child,
    admin: '',
    async stop() {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(`${urls.gateway}/health`, child, { timeoutMs: 150_000 });
    platform.admin = await signIn(urls.gateway, ADMIN_EMAIL, ADMIN_FIRST_PASSWORD, ADMIN_PASSWORD);
  } catch (err) {
    await platform.stop();
    throw err;
  }
  return platform;
}

/**
 * `fetch`, once more when a kept-alive connection was closed by the server just as the request went out
 * (undici's "other side closed" before any byte of an answer): a busy machine hits that race, and the
 * server had not read the request, so sending it again on a fresh connection is safe.
 */
export async function fetchOnce(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const again = input instanceof Request ? input.clone() : input;
  try {
    return await fetch(input, init);
  } catch (err) {
    const code = ((err as { cause?: { code?: string } }).cause ?? {}).code;
    if (code !== 'UND_ERR_SOCKET') throw err;
    return fetch(again, init);
  }
}

/**
 * Runs a setup step; when it fails and the platform has exited meanwhile, the error carries the end of the
 * platform's output (why it stopped) instead of a bare connection refusal.
 */
export async function step<T>(p: Platform, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const exited = p.child.process.exitCode !== null || p.child.process.signalCode !== null;
    if (!exited) throw err;
    throw new Error(`${what}: the platform exited (${p.child.process.exitCode ?? p.child.process.signalCode}):\n${p.child.output().slice(-3000)}`, { cause: err });
  }
}

/** The typed client of `base` (the gateway, or one service's own URL), optionally signed in. */
export function client(base: string, token?: string): SicoraClient {
  return createSicoraClient({ baseUrl: base, token, fetch: (request: Request) => fetchOnce(request) });
}

export interface RawReply {
  status: number;
  headers: Headers;
  /** The parsed JSON envelope, or null for another body. */
  body: { success: boolean; data: any; error?: { code: string; message: string; details?: any }; meta?: Record<string, unknown>; message?: string } | null;
  text: string;
  bytes: Uint8Array;
}

export interface RawOptions {
  token?: string;
  json?: unknown;
  form?: FormData;
  /** Sent as `X-Forwarded-For` (the loopback hop is trusted, so this is the client address the platform sees). */
  ip?: string;
  headers?: Record<string, string>;
}

/** Any request with any headers: for what the typed client does not model (forwarded addresses, forged tokens, downloads). */
export async function raw(base: string, method: string, path: string, o: RawOptions = {}): Promise<RawReply> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  if (o.json !== undefined) headers['content-type'] = 'application/json';
  if (o.ip) headers['x-forwarded-for'] = o.ip;
  const res = await fetchOnce(`${base}${path}`, { method, headers, body: o.json !== undefined ? JSON.stringify(o.json) : o.form });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let body: RawReply['body'] = null;
  if ((res.headers.get('content-type') ?? '').includes('json') && text.startsWith('{')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text, bytes };
}

/** `raw` that must answer `status`: the assertion names the step and the body. */
export async function must(status: number, base: string, method: string, path: string, o: RawOptions = {}): Promise<any> {
  const res = await raw(base, method, path, o);
  expect(res.status, `${method} ${path} → ${res.text.slice(0, 1500)}`).toBe(status);
  return res.body?.data;
}

/** Login, then the forced first change when the account asks for it; the access token. */
export async function signIn(base: string, identifier: string, password: string, next = PEOPLE_PASSWORD): Promise<string> {
  const api = client(base);
  const login = await api.POST('/api/v1/auth/login', { body: { identifier, password } });
  expect(login.response.status, `login ${identifier}: ${JSON.stringify(login.error)}`).toBe(200);
  const pair = login.data!.data;
  if (!pair.must_change_password) return pair.access_token;
  api.setToken(pair.access_token);
  const changed = await api.POST('/api/v1/auth/change-password', { body: { current_password: password, new_password: next } });
  expect(changed.response.status, `change-password ${identifier}: ${JSON.stringify(changed.error)}`).toBe(200);
  return changed.data!.data.access_token;
}

/** A short tag unique to this run, for codes, e-mails and document numbers. */
export function runTag(): string {
  return String(Date.now()).slice(-6) + String(Math.floor(Math.random() * 90 + 10));
}

export interface Person {
  id: string;
  email: string;
  document: string;
  role: string;
  token: string;
}

/**
 * A person created by the admin (users U2) and signed in with the forced first change done. The first
 * password is the document number (users R7).
 */
export async function createPerson(p: Platform, role: string, extra: Record<string, unknown> = {}, names = { first: 'Persona', last: 'De Pruebas' }): Promise<Person> {
  const tag = runTag();
  const document = `8${tag}`.slice(0, 10);
  const email = `${role}.${tag}.${randomBytes(2).toString('hex')}@e2e.sicora.test`;
  const created = await must(201, p.gateway, 'POST', '/api/v1/users', {
    token: p.admin,
    json: { first_name: names.first, last_name: names.last, email, document_type: 'CC', document_number: document, role, ...extra },
  });
  const token = await signIn(p.gateway, document, document);
  return { id: created.id, email, document, role, token };
}

/** The platform's active signing key, read from the embedded data dir (users R23). */
export async function platformSigner(dataDir: string) {
  const dir = join(dataDir, 'keys');
  const file = readdirSync(dir).find((f) => f.endsWith('.pem'));
  if (!file) throw new Error(`no signing key in ${dir}`);
  const kid = file.slice(0, -'.pem'.length);
  const key = await importPKCS8(readFileSync(join(dir, file), 'utf8'), 'EdDSA');
  /** A token signed with the real key: `claims` over a valid access token's claims for `sub`/`role`. */
  return async function sign(claims: JWTPayload & Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: 'sicora', aud: 'sicora-api', iat: now, exp: now + 600, jti: randomUUID(), must_change_password: false, ...claims };
    for (const [k, v] of Object.entries(payload)) if (v === undefined) delete (payload as Record<string, unknown>)[k];
    return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT', ...header }).sign(key);
  };
}

/** The embedded service clients' secrets (users R22: `<data dir>/service-clients.json`). */
export function serviceClients(dataDir: string): Record<string, string> {
  return JSON.parse(readFileSync(join(dataDir, 'service-clients.json'), 'utf8')) as Record<string, string>;
}

/** A document from `/docs/json` of the gateway. */
export async function mergedDocument(p: Platform): Promise<{ paths: Record<string, Record<string, any>> }> {
  const res = await fetch(`${p.gateway}/docs/json`);
  return (await res.json()) as { paths: Record<string, Record<string, any>> };
}

/** Parses an RFC 4180 CSV (BOM stripped, CRLF rows) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && src[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The cells of a CSV that a spreadsheet would run as a formula (00-conventions §6.1: none may be left). */
export function formulaCells(text: string): string[] {
  return parseCsv(text).flat().filter((c) => /^[=+\-@]/.test(c));
}

/** Local date arithmetic on `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today in Bogotá (the platform's default zone, 00-conventions §5). */
export function bogotaToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** ISO day of week (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD`. */
export function isoDay(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export interface PersonSpec {
  first?: string;
  last?: string;
  /** The e-mail's local part (the domain is e2e.sicora.test). */
  local?: string;
}

export interface World {
  tag: string;
  campusId: string;
  venueId: string;
  programId: string;
  groupId: string;
  groupNumber: string;
  instructor: Person;
  apprentices: Person[];
  /** A weekly entry of the ficha on `sessionDates` (future weekdays, 08:00–10:00, MANANA). */
  scheduleId: string;
  sessionDates: string[];
}

/**
 * A ficha of the admin's making, with no demo row relied on: campus, venue, program, ficha (MANANA), one
 * instructor and `apprentices` apprentices imported by CSV (users B1), each signed in, and one weekly
 * schedule entry of the instructor for the ficha on three future weekdays a week apart (the first 7–9
 * days ahead, so every session is within attendance's 30-day advance notice).
 */
export async function buildWorld(p: Platform, o: { instructor?: PersonSpec; apprentices?: PersonSpec[]; subject?: string } = {}): Promise<World> {
  const tag = runTag().slice(-6);
  const as = { token: p.admin };
  const today = bogotaToday();
  const campus = await must(201, p.gateway, 'POST', '/api/v1/campuses', { ...as, json: { code: `S${tag}`, name: `Sede seguridad ${tag}` } });
  const venue = await must(201, p.gateway, 'POST', '/api/v1/venues', { ...as, json: { campus_id: campus.id, code: `V${tag}`, name: `Aula ${tag}`, type: 'AULA', capacity: 30 } });
  const program = await must(201, p.gateway, 'POST', '/api/v1/programs', { ...as, json: { code: `PS${tag}`, name: 'Programa de seguridad', level: 'TECNICO', duration_months: 12 } });
  const groupNumber = `5${tag}`;
  const group = await must(201, p.gateway, 'POST', '/api/v1/groups', {
    ...as,
    json: { number: groupNumber, program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: addDays(today, -30), end_date: addDays(today, 180) },
  });

  const specs = o.apprentices ?? [{}, {}, {}];
  const people = [
    { spec: o.instructor ?? {}, role: 'instructor', doc: `74${tag}`, group: '' },
    ...specs.map((spec, i) => ({ spec, role: 'aprendiz', doc: `12${tag}${i}`, group: groupNumber })),
  ];
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const csv = [
    'first_name,last_name,email,document_type,document_number,role,group_number',
    ...people.map(({ spec, role, doc, group: g }) =>
      [spec.first ?? 'Persona', spec.last ?? `Segura ${role === 'instructor' ? 'Docente' : 'Aprendiz'}`, `${spec.local ?? `${role}.${doc}`}@e2e.sicora.test`, 'CC', doc, role, g].map(quote).join(',')),
  ].join('\r\n');
  const form = new FormData();
  form.append('file', new Blob([`${csv}\r\n`], { type: 'text/csv' }), 'personas.csv');
  const imported = await must(201, p.gateway, 'POST', '/api/v1/users/import', { ...as, form });
  const person = async (doc: string, role: string, spec: PersonSpec): Promise<Person> => {
    const row = (imported.created_users as Array<{ id: string; document_number: string }>).find((u) => u.document_number === doc);
    if (!row) throw new Error(`import did not create ${doc}: ${JSON.stringify(imported).slice(0, 800)}`);
    return { id: row.id, email: `${spec.local ?? `${role}.${doc}`}@e2e.sicora.test`.toLowerCase(), document: doc, role, token: await signIn(p.gateway, doc, doc) };
  };
  const instructor = await person(people[0].doc, 'instructor', people[0].spec);
  const apprentices: Person[] = [];
  for (const x of people.slice(1)) apprentices.push(await person(x.doc, 'aprendiz', x.spec));

  let first = addDays(today, 7);
  while (isoDay(first) > 5) first = addDays(first, 1);
  const sessionDates = [first, addDays(first, 7), addDays(first, 14)];
  // A centre-wide holiday on one of the dates would cancel that session (schedules R18): staff may delete it (K5).
  for (const year of new Set(sessionDates.map((d) => d.slice(0, 4)))) {
    const days = await must(200, p.gateway, 'GET', `/api/v1/schedules/non-teaching-days?year=${year}`, as);
    for (const day of (days as Array<{ id: string; date: string }>).filter((d) => sessionDates.includes(d.date))) {
      await must(204, p.gateway, 'DELETE', `/api/v1/schedules/non-teaching-days/${day.id}`, as);
    }
  }
  const entry = await must(201, p.gateway, 'POST', '/api/v1/schedules', {
    ...as,
    json: {
      group_id: group.id, instructor_id: instructor.id, venue_id: venue.id, subject: o.subject ?? 'Seguridad de la información',
      day_of_week: isoDay(first), start_time: '08:00', end_time: '10:00', start_date: sessionDates[0], end_date: sessionDates[2],
    },
  });
  return { tag, campusId: campus.id, venueId: venue.id, programId: program.id, groupId: group.id, groupNumber, instructor, apprentices, scheduleId: entry.id, sessionDates };
}

export interface ProjectWorld {
  teamId: string;
  projectId: string;
  deliverableId: string;
  rubricId: string;
  /** The three ideas: the first approved, the other two still `proposed` (by the second and third apprentice). */
  ideaIds: string[];
}

/**
 * A projecteval project of the world's ficha (as in the projecteval journey): a team advised by the
 * world's instructor with every apprentice (the first leads), activated, three ideas, the first approved,
 * the project, an active rubric and one deliverable due in two days.
 */
export async function buildProject(p: Platform, w: World, o: { teamName?: string; projectTitle?: string; deliverableTitle?: string } = {}): Promise<ProjectWorld> {
  const P = '/api/v1/projecteval';
  const admin = { token: p.admin };
  const advisor = { token: w.instructor.token };
  const team = await must(201, p.gateway, 'POST', `${P}/teams`, {
    ...admin,
    json: { name: o.teamName ?? `Equipo ${w.tag}`, group_id: w.groupId, advisor_id: w.instructor.id, members: w.apprentices.map((a) => ({ student_id: a.id })), leader_id: w.apprentices[0].id },
  });
  await must(200, p.gateway, 'POST', `${P}/teams/${team.id}/activate`, advisor);
  const ideas: Array<{ id: string }> = [];
  for (let n = 0; n < 3; n++) {
    ideas.push(await must(201, p.gateway, 'POST', `${P}/teams/${team.id}/ideas`, {
      token: w.apprentices[n % w.apprentices.length].token,
      json: { title: `Idea de proyecto ${n + 1}`, description: 'Una descripción suficientemente larga de la idea.', objectives: 'Objetivos medibles' },
    }));
  }
  await must(200, p.gateway, 'POST', `${P}/ideas/${ideas[0].id}/decision`, { ...advisor, json: { decision: 'approve', viability_score: 85 } });
  const project = await must(201, p.gateway, 'POST', `${P}/projects`, {
    ...advisor,
    json: { idea_id: ideas[0].id, project_type: 'web_application', scope: 'Un sistema web de pruebas de seguridad.', expected_end_date: addDays(bogotaToday(), 120), ...(o.projectTitle ? { title: o.projectTitle } : {}) },
  });
  const rubric = await must(201, p.gateway, 'POST', `${P}/rubrics`, { ...admin, json: { name: `Rúbrica ${w.tag}`, criteria: [{ name: 'Producto', weight: 60 }, { name: 'Sustentación', weight: 40 }] } });
  await must(200, p.gateway, 'POST', `${P}/rubrics/${rubric.id}/activate`, admin);
  const deliverable = await must(201, p.gateway, 'POST', `${P}/projects/${project.id}/deliverables`, {
    ...advisor,
    json: { title: o.deliverableTitle ?? 'Prototipo', deliverable_type: 'source_code', due_at: new Date(Date.now() + 2 * 86_400_000).toISOString(), rubric_id: rubric.id },
  });
  return { teamId: team.id, projectId: project.id, deliverableId: deliverable.id, rubricId: rubric.id, ideaIds: ideas.map((i) => i.id) };
}
