/**
 * The attendance test harness: the app on a real test database (PGlite, or PostgreSQL with DATABASE_URL)
 * with real migrations, tokens per role, the clock fixed by the test, schedules and users faked at their
 * ports, and the outbox left for the test to read (no relay, no scheduler: job tests run the job).
 *
 * The world of attendance.md §9: ficha 2826503 with 14 apprentices, instructor X teaching session S
 * (Monday 2026-03-09 06:00–09:00 Bogotá) and a second session S2 (09:00–12:00), instructor Y teaching
 * ficha 2901817 (4 apprentices) the same morning.
 */
import { randomUUID } from 'node:crypto';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import type { Apprentice, Person, Session } from '../src/application/ports.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fakeSchedules, fakeUsers, type FakeSchedules, type FakeUsers } from './fakes.ts';

export const MONDAY = '2026-03-09';
/** `HH:MM` Bogotá on a date → the instant (Bogotá is UTC−5 all year). */
export const at = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);

export interface Ficha {
  id: string;
  number: string;
  apprentices: Person[];
}

export interface Harness {
  app: App;
  db: TestDatabase;
  keys: TestKeys;
  schedules: FakeSchedules;
  users: FakeUsers;
  clock: { now: Date };
  fichaA: Ficha;
  fichaB: Ficha;
  x: Person;
  y: Person;
  coordinador: Person;
  admin: Person;
  /** Adds a session to the fake schedules (defaults: S of ficha A by X on MONDAY 06:00–09:00). */
  addSession(o?: Partial<{ scheduleId: string; date: string; start: string; end: string; ficha: Ficha; instructor: Person; subject: string; status: 'SCHEDULED' | 'CANCELLED' }>): Session;
  as(person: Person | string, claims?: Record<string, unknown>): Promise<{ authorization: string }>;
  inject(method: string, url: string, who: Person | string, payload?: unknown): Promise<import('light-my-request').Response>;
  outbox(type?: string): Promise<Array<{ idempotency_key: string; body: Record<string, unknown> }>>;
  close(): Promise<void>;
}

function ficha(users: FakeUsers, number: string, size: number, lastNames: string[]): Ficha {
  const id = randomUUID();
  const apprentices = Array.from({ length: size }, (_, i) => users.add({ role: 'aprendiz', group_id: id, group_number: number, first_name: `Aprendiz${i + 1}`, last_name: lastNames[i] ?? `Zapata ${String(i + 1).padStart(2, '0')}` }));
  return { id, number, apprentices };
}

const LAST_NAMES = ['Martínez López', 'Rojas Cárdenas', 'Torres Díaz', 'Castro Ramírez', 'Suárez Mejía', 'Ortiz Vega', 'Ramírez Acosta', 'Jiménez Parra', 'Gutiérrez Cruz', 'Hernández Ávila', 'Peña Galindo', 'Álvarez Ruiz', 'Beltrán Mora', 'Cano Ríos'];

export async function createHarness(now = '2026-03-09T11:05:00Z'): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  // R20 runs on Redis too when CI sets REDIS_URL; a prefix per harness keeps the counts apart.
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent', REDIS_URL: process.env.REDIS_URL || undefined, ATTENDANCE_RATE_LIMIT_PREFIX: `sicora:test:${randomUUID()}` });
  const schedules = fakeSchedules();
  const users = fakeUsers();
  const clock = { now: new Date(now) };
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), schedules, users, now: () => clock.now, outboxRelay: false, jobs: false });
  await app.ready();

  const fichaA = ficha(users, '2826503', 14, LAST_NAMES);
  const fichaB = ficha(users, '2901817', 4, []);
  for (const f of [fichaA, fichaB]) schedules.rosters.set(f.id, f.apprentices.map((p): Apprentice => ({ id: p.id, first_name: p.first_name, last_name: p.last_name, full_name: p.full_name, document_number: p.document_number ?? null })));
  const x = users.add({ role: 'instructor', first_name: 'Andrés Felipe', last_name: 'Castaño Gil' });
  const y = users.add({ role: 'instructor', first_name: 'Luz Adriana', last_name: 'Moreno Quintero' });
  const coordinador = users.add({ role: 'coordinador', first_name: 'Martha Lucía', last_name: 'Herrera Castro' });
  const admin = users.add({ role: 'admin', first_name: 'Admin', last_name: 'SICORA' });
  schedules.assignments.set(x.id, [fichaA.id]);
  schedules.assignments.set(y.id, [fichaB.id]);

  const programId = randomUUID();
  const campus = { id: randomUUID(), code: 'C52', name: 'Sede Calle 52' };
  const venue = { id: randomUUID(), code: '205', name: 'Laboratorio de software', campus };

  const h: Harness = {
    app,
    db,
    keys,
    schedules,
    users,
    clock,
    fichaA,
    fichaB,
    x,
    y,
    coordinador,
    admin,
    addSession(o = {}) {
      const date = o.date ?? MONDAY;
      const start = o.start ?? '06:00';
      const end = o.end ?? '09:00';
      const f = o.ficha ?? fichaA;
      const instructor = o.instructor ?? x;
      const s: Session = {
        schedule_id: o.scheduleId ?? randomUUID(),
        date,
        start_time: start,
        end_time: end,
        start_at: at(date, start).toISOString(),
        end_at: at(date, end).toISOString(),
        subject: o.subject ?? 'Programación de software',
        status: o.status ?? 'SCHEDULED',
        group: { id: f.id, number: f.number, program: { id: programId, code: 'ADSO', name: 'Análisis y Desarrollo de Software' } },
        instructor: { id: instructor.id, full_name: instructor.full_name },
        venue,
      };
      schedules.list.push(s);
      return s;
    },
    async as(who, claims = {}) {
      const p = typeof who === 'string' ? { id: randomUUID(), role: who, group_id: null, group_number: null } : who;
      const extra: Record<string, unknown> = { sub: p.id };
      if (p.role === 'aprendiz' && p.group_id) Object.assign(extra, { group_id: p.group_id, group_number: p.group_number });
      return { authorization: `Bearer ${await mintToken(keys, { role: p.role, ...extra, ...claims })}` };
    },
    async inject(method, url, who, payload) {
      return app.inject({ method: method as 'GET', url, headers: await h.as(who), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    },
    async outbox(type) {
      const rows = await db.query<{ idempotency_key: string; body: Record<string, unknown> }>('SELECT idempotency_key, body FROM attendance.outbox ORDER BY created_at, idempotency_key');
      return type ? rows.filter((r) => r.body.type === type) : rows;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
  return h;
}

export const ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;
