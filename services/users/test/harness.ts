/**
 * Test harness: the users app on a real database (PGlite snapshot or DATABASE_URL), a temporary data
 * dir for keys, a movable clock, the schedules port faked in memory, and quick fixtures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '@node-rs/argon2';
import { vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import type { App } from '@sicora/platform/server';
import { buildApp, type UsersOverrides } from '../src/app.ts';
import type { Group, GroupsPort } from '../src/application/ports.ts';
import { loadConfig, type UsersConfig } from '../src/config.ts';
import { searchTextOf } from '../src/domain/identity.rules.ts';
import { users, type UserRow } from '../src/infrastructure/db/schema.ts';

export const T0 = new Date('2026-03-02T14:00:00.000Z');
export const ADMIN_PASSWORD = 'Adm1n#Segura-2026';
export const PASSWORD = 'Clave#Fuerte-2026';

export interface FakeGroups extends GroupsPort {
  groups: Map<string, Group>;
  calls: number;
  add(g: Partial<Group> & { number: string }): Group;
}

export function fakeGroups(): FakeGroups {
  const groups = new Map<string, Group>();
  const port: FakeGroups = {
    groups,
    calls: 0,
    add(g) {
      const group: Group = { id: g.id ?? randomUUID(), number: g.number, is_active: g.is_active ?? true, max_apprentices: g.max_apprentices ?? null };
      groups.set(group.id, group);
      return group;
    },
    async byNumbers(numbers) {
      port.calls += 1;
      return [...groups.values()].filter((g) => numbers.includes(g.number));
    },
    async byId(id) {
      port.calls += 1;
      return groups.get(id);
    },
  };
  return port;
}

export interface Harness {
  app: App;
  db: TestDatabase;
  config: UsersConfig;
  groups: FakeGroups;
  dataDir: string;
  now(): Date;
  setNow(d: Date): void;
  advance(ms: number): void;
  close(): Promise<void>;
  addUser(fields?: Partial<typeof users.$inferInsert> & { password?: string | null }): Promise<UserRow>;
  login(identifier: string, password: string, headers?: Record<string, string>): Promise<{ access_token: string; refresh_token: string; session_id: string; must_change_password: boolean }>;
  tokenFor(role: 'admin' | 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz', fields?: Partial<typeof users.$inferInsert>): Promise<{ user: UserRow; token: string }>;
  serviceToken(name?: string): Promise<string>;
  count(sql: string, params?: unknown[]): Promise<number>;
}

let seq = 0;

export async function startUsers(opts: { env?: Record<string, string>; overrides?: UsersOverrides } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'sicora-users-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SICORA_DATA_DIR: dataDir,
    USERS_ARGON2_MEMORY_KIB: '64',
    USERS_ARGON2_ITERATIONS: '1',
    SICORA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    // With REDIS_URL set (CI), the rate limits count in that shared Redis, each harness under its own prefix.
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    USERS_RATE_LIMIT_PREFIX: `sicora:test:${randomUUID()}`,
    ...opts.env,
  });
  let current = T0;
  const groups = fakeGroups();
  const app = await buildApp(config, { database: db, now: () => current, groups, outboxRelay: false, cleanupJob: false, ...opts.overrides });
  await app.ready();
  if (config.redisUrl && config.redisUrl === process.env.REDIS_URL) {
    // Counts made before the connection is up are let through (fail open): tests count from the first request.
    await vi.waitFor(async () => {
      if ((await app.inject({ method: 'GET', url: '/health/ready' })).json().checks.redis !== 'ok') throw new Error('redis not ready');
    }, { timeout: 5000, interval: 50 });
  }
  const h: Harness = {
    app, db, config, groups, dataDir,
    now: () => current,
    setNow: (d) => (current = d),
    advance: (ms) => (current = new Date(current.getTime() + ms)),
    async close() {
      await app.close();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async addUser(fields = {}) {
      seq += 1;
      const n = `${Date.now() % 100000}${seq}`.slice(-7).padStart(7, '1');
      const { password = PASSWORD, ...rest } = fields;
      const base = {
        firstName: 'Ana María', lastName: `Prueba ${String.fromCharCode(65 + (seq % 26))}`, email: `user${seq}.${n}@x.co`,
        documentType: 'CC' as const, documentNumber: `5${n}`, role: 'instructor' as const, mustChangePassword: false,
        ...rest,
      };
      const passwordHash = password === null ? null : await hash(password, { memoryCost: 64, timeCost: 1, parallelism: 1, algorithm: 2 });
      const [row] = await db.db.insert(users).values({
        ...base, passwordHash, searchText: searchTextOf(base), createdAt: current, updatedAt: current, tokensValidAfter: new Date(current.getTime() - 60_000),
      }).returning();
      return row;
    },
    async login(identifier, password, headers = {}) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { identifier, password }, headers });
      if (res.statusCode !== 200) throw new Error(`login failed ${res.statusCode} ${res.body}`);
      return res.json().data;
    },
    async tokenFor(role, fields = {}) {
      const user = await h.addUser({ role, ...fields });
      const pair = await h.login(user.email, PASSWORD);
      return { user, token: pair.access_token };
    },
    async serviceToken(name = 'attendance') {
      const secrets = JSON.parse(readFileSync(join(dataDir, 'service-clients.json'), 'utf8'));
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/service-token', payload: { client_id: name, client_secret: secrets[name] } });
      return res.json().data.access_token;
    },
    async count(sql, params = []) {
      const rows = await db.query<{ n: string | number }>(sql, params);
      return Number(rows[0].n);
    },
  };
  return h;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
