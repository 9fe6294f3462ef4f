/**
 * The projecteval test harness: the app on a real test database (PGlite, or PostgreSQL with DATABASE_URL)
 * with real migrations, tokens per role, a clock the test moves, schedules and users faked at their
 * ports, files in a temporary folder, and the outbox left for the test to read (no relay, no scheduler).
 *
 * The world: ficha 2826503 (8 apprentices) taught by instructors X and Y; ficha 2901817 (4 apprentices)
 * taught by Z; a coordinador, an administrativo and an admin. "Now" is Monday 2026-03-09 09:00 Bogotá.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import type { Person } from '../src/application/ports.ts';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { fakeSchedules, fakeUsers, type FakeSchedules, type FakeUsers } from './fakes.ts';

export const NOW = '2026-03-09T14:00:00Z';
export type Who = Person | 'service' | 'administrativo';

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
  filesDir: string;
  fichaA: Ficha;
  fichaB: Ficha;
  x: Person;
  y: Person;
  z: Person;
  coordinador: Person;
  administrativo: Person;
  admin: Person;
  headers(who: Person | string): Promise<{ authorization: string }>;
  inject(method: string, url: string, who: Person | string, payload?: unknown): Promise<import('light-my-request').Response>;
  /** The `data` of a 2xx answer (fails the test otherwise). */
  ok<T = Record<string, any>>(status: number, method: string, url: string, who: Person | string, payload?: unknown): Promise<T>;
  outbox(type?: string): Promise<Array<{ idempotency_key: string; body: Record<string, any> }>>;
  close(): Promise<void>;
}

function ficha(users: FakeUsers, schedules: FakeSchedules, number: string, size: number): Ficha {
  const id = randomUUID();
  const apprentices = Array.from({ length: size }, (_, i) => users.add({ role: 'aprendiz', first_name: `Aprendiz${i + 1}`, last_name: `Ficha ${number}` }));
  schedules.groups.set(id, { id, number, is_active: true });
  schedules.rosters.set(id, apprentices.map((p) => ({ id: p.id, first_name: p.first_name, last_name: p.last_name })));
  return { id, number, apprentices };
}

export async function createHarness(now = NOW): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  const config = loadConfig({ LOG_LEVEL: process.env.TEST_LOG ?? 'silent' });
  const schedules = fakeSchedules();
  const users = fakeUsers();
  const clock = { now: new Date(now) };
  const filesDir = mkdtempSync(join(tmpdir(), 'projecteval-files-'));
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), schedules, users, filesDir, now: () => clock.now, outboxRelay: false, jobs: false });
  await app.ready();

  const fichaA = ficha(users, schedules, '2826503', 8);
  const fichaB = ficha(users, schedules, '2901817', 4);
  const x = users.add({ role: 'instructor', first_name: 'Carlos Andrés', last_name: 'Rodríguez Peña' });
  const y = users.add({ role: 'instructor', first_name: 'Luz Adriana', last_name: 'Moreno Quintero' });
  const z = users.add({ role: 'instructor', first_name: 'Jorge', last_name: 'Pardo' });
  const coordinador = users.add({ role: 'coordinador', first_name: 'Martha', last_name: 'Herrera' });
  const administrativo = users.add({ role: 'administrativo', first_name: 'Ana', last_name: 'Gómez' });
  const admin = users.add({ role: 'admin', first_name: 'Admin', last_name: 'SICORA' });
  schedules.teaching.set(x.id, [fichaA.id]);
  schedules.teaching.set(y.id, [fichaA.id]);
  schedules.teaching.set(z.id, [fichaB.id]);

  const h: Harness = {
    app, db, keys, schedules, users, clock, filesDir, fichaA, fichaB, x, y, z, coordinador, administrativo, admin,
    async headers(who) {
      const p = typeof who === 'string' ? { id: randomUUID(), role: who } : who;
      return { authorization: `Bearer ${await mintToken(keys, { role: p.role, sub: p.id })}` };
    },
    async inject(method, url, who, payload) {
      return app.inject({ method: method as 'GET', url, headers: await h.headers(who), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    },
    async ok(status, method, url, who, payload) {
      const res = await h.inject(method, url, who, payload);
      if (res.statusCode !== status) throw new Error(`${method} ${url} → ${res.statusCode} (wanted ${status}): ${res.body}`);
      return res.statusCode === 204 ? (undefined as never) : res.json().data;
    },
    async outbox(type) {
      const rows = await db.query<{ idempotency_key: string; body: Record<string, any> }>('SELECT idempotency_key, body FROM projecteval.outbox ORDER BY created_at, idempotency_key');
      return type ? rows.filter((r) => r.body.type === type) : rows;
    },
    async close() {
      await app.close();
      await db.destroy();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
  return h;
}

export const BASE = '/api/v1/projecteval';
