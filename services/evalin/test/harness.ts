/**
 * The evalin test harness: the app on a real test database (PGlite, or PostgreSQL with DATABASE_URL) with
 * real migrations, tokens per role, the clock fixed by the test, schedules and users faked at their ports,
 * and the outbox left for the test to read (no relay, no scheduler: job tests run the jobs).
 *
 * The world: ficha A 2826503 (10 apprentices) taught by instructors X (its director), Y, Z and W from
 * 2026-01-01 to 2026-12-31, plus V whose entries ended on 2026-01-31; ficha B 2901817 (4 apprentices)
 * taught by X and Y. "Now" is Monday 2026-03-09 08:00 Bogotá.
 */
import { afterAll, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fakeSchedules, fakeUsers, type FakeSchedules, type FakeUsers } from './fakes.ts';

export const NOW = '2026-03-09T13:00:00Z';
export const ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;

type P = ReturnType<FakeUsers['add']>;

export interface Ficha {
  id: string;
  number: string;
  apprentices: P[];
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
  x: P;
  y: P;
  z: P;
  w: P;
  v: P;
  admin: P;
  coordinador: P;
  administrativo: P;
  as(who: P | string): Promise<{ authorization: string }>;
  inject(method: string, url: string, who: P | string, payload?: unknown): Promise<import('light-my-request').Response>;
  outbox(type?: string): Promise<Array<{ idempotency_key: string; body: Record<string, any> }>>;
  close(): Promise<void>;
}

function ficha(h: { users: FakeUsers; schedules: FakeSchedules }, number: string, size: number, directorId: string | null): Ficha {
  const id = randomUUID();
  const apprentices = Array.from({ length: size }, (_, i) => h.users.add({ role: 'aprendiz', group_id: id, group_number: number, first_name: `Aprendiz${i + 1}`, last_name: `Ficha ${number} ${String(i + 1).padStart(2, '0')}` }));
  h.schedules.groups.set(id, { id, number, is_active: true, director_id: directorId });
  h.schedules.rosters.set(id, apprentices.map((p) => ({ id: p.id, first_name: p.first_name, last_name: p.last_name, full_name: p.full_name, email: `${p.id.slice(0, 8)}@sena.edu.co` })));
  return { id, number, apprentices };
}

export async function createHarness(now = NOW): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent' });
  const schedules = fakeSchedules();
  const users = fakeUsers();
  const clock = { now: new Date(now) };
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), schedules, users, now: () => clock.now, outboxRelay: false, jobs: false });
  await app.ready();

  const instructor = (first: string, last: string) => {
    const p = users.add({ role: 'instructor', first_name: first, last_name: last });
    schedules.names.set(p.id, p.full_name!);
    return p;
  };
  const x = instructor('Andrés Felipe', 'Castaño Gil');
  const y = instructor('Luz Adriana', 'Moreno Quintero');
  const z = instructor('Carlos', 'Zapata');
  const w = instructor('Wilson', 'Arias');
  const v = instructor('Valeria', 'Vanegas');
  const fichaA = ficha({ users, schedules }, '2826503', 10, x.id);
  const fichaB = ficha({ users, schedules }, '2901817', 4, null);
  for (const [f, who] of [[fichaA, [x, y, z, w]], [fichaB, [x, y]]] as const) {
    for (const i of who) schedules.teaching.push({ groupId: f.id, instructorId: i.id, from: '2026-01-01', to: '2026-12-31', subject: `Competencia de ${i.first_name}` });
  }
  schedules.teaching.push({ groupId: fichaA.id, instructorId: v.id, from: '2025-10-01', to: '2026-01-31', subject: 'Inducción' });
  const admin = users.add({ role: 'admin', first_name: 'Admin', last_name: 'SICORA' });
  const coordinador = users.add({ role: 'coordinador', first_name: 'Martha Lucía', last_name: 'Herrera Castro' });
  const administrativo = users.add({ role: 'administrativo', first_name: 'Ana', last_name: 'Gestión' });

  const h: Harness = {
    app, db, keys, schedules, users, clock, fichaA, fichaB, x, y, z, w, v, admin, coordinador, administrativo,
    async as(who) {
      const p = typeof who === 'string' ? { id: randomUUID(), role: who, group_id: null, group_number: null } : who;
      const claims: Record<string, unknown> = { sub: p.id, role: p.role };
      if (p.role === 'aprendiz' && p.group_id) Object.assign(claims, { group_id: p.group_id, group_number: p.group_number });
      return { authorization: `Bearer ${await mintToken(keys, claims)}` };
    },
    async inject(method, url, who, payload) {
      return app.inject({ method: method as 'GET', url, headers: await h.as(who), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    },
    async outbox(type) {
      const rows = await db.query<{ idempotency_key: string; body: Record<string, any> }>('SELECT idempotency_key, body FROM evalin.outbox ORDER BY created_at, idempotency_key');
      return type ? rows.filter((r) => r.body.type === type) : rows;
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
  return h;
}

/** One harness per test file. */
export function useHarness(now = NOW) {
  const ref = {} as { h: Harness };
  beforeAll(async () => {
    ref.h = await createHarness(now);
  });
  afterAll(async () => ref.h?.close());
  return ref;
}

/** The services behind the jobs, over the harness's database and clock, for job tests. */
export async function jobServices(h: Harness) {
  const { createRepositories, createUnitOfWork } = await import('../src/infrastructure/repositories.ts');
  const { createConfigService } = await import('../src/application/config.service.ts');
  const { createPeriodsService } = await import('../src/application/periods.service.ts');
  const { createRemindersService } = await import('../src/application/reminders.service.ts');
  const deps = { repos: createRepositories(h.db.db), withTransaction: createUnitOfWork(h.db.db), schedules: h.schedules, users: h.users, now: () => h.clock.now, timeZone: 'America/Bogota' };
  const config = createConfigService(deps);
  const periods = createPeriodsService(deps, config);
  return { deps, config, periods, reminders: createRemindersService(deps, config) };
}
