/**
 * The schedules test harness: the app on a real test database (PGlite, or PostgreSQL with DATABASE_URL)
 * with real migrations, tokens per role, the clock fixed by the test, the users service faked at its port
 * and the outbox left for the test to read (no relay).
 */
import { randomUUID } from 'node:crypto';
import { createLocalVerifier } from '@sicora/platform/auth';
import { errors } from '@sicora/platform/errors';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import type { ApprenticeQuery, UserRecord, UsersPort } from '../src/application/ports.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

export interface FakeUsers extends UsersPort {
  users: UserRecord[];
  down: boolean;
  calls: Array<{ op: string; token?: string }>;
  add(u: Partial<UserRecord> & { role: string }, groupId?: string): UserRecord;
  groupOf: Map<string, string>;
}

export function fakeUsers(): FakeUsers {
  const fake: FakeUsers = {
    users: [],
    down: false,
    calls: [],
    groupOf: new Map(),
    add(u, groupId) {
      const first = u.first_name ?? 'Nombre';
      const last = u.last_name ?? `Apellido ${fake.users.length + 1}`;
      const rec: UserRecord = {
        id: u.id ?? randomUUID(),
        first_name: first,
        last_name: last,
        full_name: u.full_name ?? `${first} ${last}`,
        role: u.role,
        is_active: u.is_active ?? true,
        is_deleted: u.is_deleted ?? false,
        document_type: 'CC',
        document_number: u.document_number ?? String(10_000_000 + fake.users.length),
        email: u.email ?? `u${fake.users.length}@sicora.test`,
      };
      fake.users.push(rec);
      if (groupId) fake.groupOf.set(rec.id, groupId);
      return rec;
    },
    async lookup(keys, as) {
      fake.calls.push({ op: 'lookup', token: as.token });
      if (fake.down) throw errors.unavailable({ service: 'users' });
      const ids = new Set(keys.ids ?? []);
      const docs = new Set(keys.document_numbers ?? []);
      return fake.users.filter((u) => ids.has(u.id) || (u.document_number && docs.has(u.document_number)));
    },
    async listApprentices(q: ApprenticeQuery, as) {
      fake.calls.push({ op: 'list', token: as.token });
      if (fake.down) throw errors.unavailable({ service: 'users' });
      let items = fake.users.filter((u) => u.role === 'aprendiz' && fake.groupOf.get(u.id) === q.group_id);
      if (q.is_active !== undefined) items = items.filter((u) => u.is_active === q.is_active);
      items.sort((a, b) => (a.last_name ?? '').localeCompare(b.last_name ?? ''));
      const start = (q.page - 1) * q.page_size;
      return { items: items.slice(start, start + q.page_size), total: items.length };
    },
  };
  return fake;
}

export interface Harness {
  app: App;
  db: TestDatabase;
  keys: TestKeys;
  users: FakeUsers;
  clock: { now: Date };
  token(role: string, claims?: Record<string, unknown>): Promise<string>;
  as(role: string, claims?: Record<string, unknown>): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/** `now` defaults to Monday 2026-03-09 07:00 Bogotá (12:00Z). */
export async function createHarness(now = '2026-03-09T12:00:00Z'): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent' });
  const users = fakeUsers();
  const clock = { now: new Date(now) };
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), users, now: () => clock.now, outboxRelay: false });
  await app.ready();
  const token = (role: string, claims: Record<string, unknown> = {}) => mintToken(keys, { role, ...claims });
  return {
    app,
    db,
    keys,
    users,
    clock,
    token,
    as: async (role, claims) => ({ authorization: `Bearer ${await token(role, claims)}` }),
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}

export const ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;

/** Master data through the API: a campus, a program, two venues and a MANANA ficha 2026-01-19 → 2027-06-30. */
export async function setupBasics(h: Harness, suffix = '') {
  const headers = await h.as('admin');
  const post = async (url: string, payload: unknown) => {
    const res = await h.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
    return res.json().data;
  };
  const campus = await post('/api/v1/campuses', { code: `C52${suffix}`, name: 'Sede Calle 52' });
  const program = await post('/api/v1/programs', { code: `ADSO${suffix}`, name: 'Análisis y Desarrollo de Software', level: 'TECNOLOGO', duration_months: 24 });
  const venue205 = await post('/api/v1/venues', { campus_id: campus.id, code: `205${suffix}`, name: 'Laboratorio de software', type: 'LABORATORIO', capacity: 30 });
  const venue412 = await post('/api/v1/venues', { campus_id: campus.id, code: `412${suffix}`, name: 'Aula 412', type: 'AULA', capacity: 35 });
  const groupA = await post('/api/v1/groups', { number: `28265${suffix || '03'}`.slice(0, 10), program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: '2026-01-19', end_date: '2027-06-30' });
  const groupB = await post('/api/v1/groups', { number: `29018${suffix || '17'}`.slice(0, 10), program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: '2026-01-19', end_date: '2027-06-30' });
  return { campus, program, venue205, venue412, groupA, groupB, post };
}

/** A multipart/form-data body with one `file` part. */
export function multipart(content: string | Uint8Array, filename = 'horarios.csv', type = 'text/csv') {
  const boundary = '----sicora' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, typeof content === 'string' ? Buffer.from(content) : Buffer.from(content), tail]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A multipart/form-data body of several parts in order (plain fields and files). */
export function form(parts: Array<{ name: string; value: string; filename?: string; type?: string }>) {
  const boundary = '----sicora' + Math.random().toString(16).slice(2);
  const chunks = parts.map((p) => {
    const disposition = p.filename ? `form-data; name="${p.name}"; filename="${p.filename}"` : `form-data; name="${p.name}"`;
    return `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n${p.value}\r\n`;
  });
  return { payload: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
