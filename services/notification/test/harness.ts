/**
 * The notification tests' one harness: the app on a fresh database (PGlite, or Postgres with
 * DATABASE_URL; BullMQ with REDIS_URL, a unique prefix per file), users and schedules faked at the port,
 * a movable clock, and the polling options of the waits.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLocalVerifier } from '@sicora/platform/auth';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestKeys } from '@sicora/platform/testing/keys';
import type { App } from '@sicora/platform/server';
import { buildApp, type NotificationOverrides } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Person, SchedulesPort, UsersPort } from '../src/application/ports.ts';

export const uid = (n: number) => `5eed0001-0000-4000-8000-${String(n).padStart(12, '0')}`;

export function person(n: number, extra: Partial<Person> = {}): Person {
  return { id: uid(n), first_name: `Nombre${n}`, last_name: `Apellido${n}`, full_name: `Nombre${n} Apellido${n}`, role: 'aprendiz', email: `persona${n}@demo.sicora.test`, phone: `+5730000${String(n).padStart(5, '0')}`, is_active: true, is_deleted: false, ...extra };
}

export interface FakeDirectory {
  people: Map<string, Person>;
  roles: Map<string, string[]>;
  groups: Array<{ id: string; number: string; apprentices: string[]; instructors: string[] }>;
  down: boolean;
}

export function fakePorts(dir: FakeDirectory): { users: UsersPort; schedules: SchedulesPort } {
  const check = async () => {
    if (dir.down) {
      const { errors } = await import('@sicora/platform/errors');
      throw errors.unavailable({ service: 'users', reason: 'connection_refused' });
    }
  };
  return {
    users: {
      async lookup(ids) { await check(); return { found: ids.filter((i) => dir.people.has(i)).map((i) => dir.people.get(i)!), missing: ids.filter((i) => !dir.people.has(i)) }; },
      async idsByRole(role) { await check(); return dir.roles.get(role) ?? []; },
    },
    schedules: {
      async groupsByNumbers(numbers) { await check(); return dir.groups.filter((g) => numbers.includes(g.number)).map(({ id, number }) => ({ id, number })); },
      async apprentices(id) { await check(); return dir.groups.find((g) => g.id === id)?.apprentices ?? null; },
      async instructors(id) { await check(); return dir.groups.find((g) => g.id === id)?.instructors ?? null; },
      async isAssigned(id, instructorId) { await check(); const g = dir.groups.find((x) => x.id === id); return g ? g.instructors.includes(instructorId) : null; },
    },
  };
}

export interface Harness {
  app: App;
  db: TestDatabase;
  keys: TestKeys;
  dir: FakeDirectory;
  clock: { now: number };
  config: ReturnType<typeof loadConfig>;
  token(claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function createHarness(env: Record<string, string> = {}, extra: NotificationOverrides = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  const prefix = `nt${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    LOG_LEVEL: 'silent', NOTIFICATION_SWEEP_INTERVAL_MS: '0', MAIL_SINK_ENABLED: 'false', NOTIFICATION_RUN_WORKER: 'true', NOTIFICATION_QUEUE_PREFIX: prefix,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}), ...env,
  });
  const dir: FakeDirectory = { people: new Map(), roles: new Map(), groups: [], down: false };
  const clock = { now: Date.now() };
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), now: () => new Date(clock.now), ...fakePorts(dir), ...extra });
  await app.ready();
  return {
    app, db, keys, dir, clock, config,
    token: (claims = {}) => mintToken(keys, { role: 'service', name: 'attendance', ...claims }),
    async close() {
      await app.close();
      if (process.env.REDIS_URL) {
        const r = new Redis(process.env.REDIS_URL);
        const keysLeft = await r.keys(`${prefix}:*`);
        if (keysLeft.length > 0) await r.del(...keysLeft);
        await r.quit();
      }
      await db.destroy();
    },
  };
}

/**
 * Options of every `expect.poll` and `vi.waitUntil` here: the worker needs up to a few seconds of real
 * time on a loaded machine, and polling faster would only compete with it for the database.
 */
export const poll = { timeout: 10_000, interval: 50 };
