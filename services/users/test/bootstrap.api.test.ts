import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScheduler } from '@sicora/platform/jobs';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { decodeJwt } from 'jose';
import { MIGRATIONS_FOLDER } from '../src/app.ts';
import { bootstrapUsers } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { passwordProblems } from '../src/domain/password.policy.ts';
import { createRetentionService } from '../src/application/retention.service.ts';
import { createUnitOfWork } from '../src/infrastructure/repos.ts';
import { CLEANUP_JOB, cleanupJob } from '../src/jobs/cleanup.job.ts';
import { demoUserId, seedUsersDemo } from '../src/seed/demo.seed.ts';
import { bearer, startUsers, T0 } from './harness.ts';
import { expectOk } from '@sicora/platform/testing/http';

let db: TestDatabase;
let dir: string;
const env = (extra: Record<string, string> = {}) =>
  loadConfig({ LOG_LEVEL: 'silent', SICORA_DATA_DIR: dir, USERS_ARGON2_MEMORY_KIB: '64', USERS_ARGON2_ITERATIONS: '1', ...extra });

beforeAll(async () => {
  db = await createTestDatabase({ migrations: [{ schema: 'users', migrationsFolder: MIGRATIONS_FOLDER }] });
  dir = mkdtempSync(join(tmpdir(), 'sicora-boot-'));
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('bootstrap (R22, R23, §11)', () => {
  it('when bootstrap runs twice, then the admin is created once with a printed R5 password, keys and service clients are kept', async () => {
    const first = await bootstrapUsers(env(), db, { now: () => T0 });
    expect(first.createdAdmin?.email).toBe('admin@sicora.sena.edu.co');
    expect(first.createdAdmin!.password).toHaveLength(16);
    expect(passwordProblems(first.createdAdmin!.password, { documentNumber: '1000000001', firstName: 'Administrador', lastName: 'SICORA', email: 'admin@sicora.sena.edu.co' })).toEqual([]);
    expect(Object.keys(first.serviceSecrets).sort()).toEqual(['ai', 'attendance', 'evalin', 'gateway', 'kb', 'notification', 'projecteval', 'schedules']);
    expect(Object.values(first.serviceSecrets).every((s) => s.length >= 32)).toBe(true);
    const file = join(dir, 'service-clients.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await bootstrapUsers(env(), db, { now: () => T0 });
    expect(second.createdAdmin).toBeUndefined();
    expect(second.serviceSecrets).toEqual(first.serviceSecrets);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.serviceSecrets);
    const admins = await db.query<{ must_change_password: boolean; document_number: string; role: string }>('SELECT * FROM users.users');
    expect(admins).toEqual([expect.objectContaining({ must_change_password: true, document_number: '1000000001', role: 'admin' })]);
    const keys = await db.query('SELECT kid FROM users.signing_keys WHERE status = $1', ['active']);
    expect(keys).toHaveLength(1);
    const users = await db.query<{ name: string; is_active: boolean }>('SELECT name, is_active FROM users.service_clients WHERE name = $1', ['users']);
    expect(users).toEqual([{ name: 'users', is_active: false }]);
  });

  it('when SERVICE_CLIENTS lists clients, then they are upserted and the others become inactive', async () => {
    const secrets = { gateway: 'g'.repeat(40), notification: 'n'.repeat(40) };
    const res = await bootstrapUsers(env({ SERVICE_CLIENTS: JSON.stringify(secrets) }), db);
    expect(res.serviceSecrets).toEqual(secrets);
    const rows = await db.query<{ name: string }>('SELECT name FROM users.service_clients WHERE is_active ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['gateway', 'notification']);
    expect(() => env({ SERVICE_CLIENTS: '{"gateway":"corto"}' })).toThrow(/SERVICE_CLIENTS/);
  });
});

describe('demo seed (§11)', () => {
  it('when the demo seed runs (twice), then 39 people with fixed ids exist once: 2 coordinadores, 1 administrativo, 6 instructors, 30 apprentices (28 active)', async () => {
    await seedUsersDemo(db, { now: () => T0 });
    await seedUsersDemo(db, { now: () => T0 });
    const byRole = await db.query<{ role: string; n: string }>("SELECT role, count(*) n FROM users.users WHERE email LIKE '%@demo.sicora.test' GROUP BY role ORDER BY role");
    expect(Object.fromEntries(byRole.map((r) => [r.role, Number(r.n)]))).toEqual({ administrativo: 1, aprendiz: 30, coordinador: 2, instructor: 6 });
    const active = await db.query<{ n: string }>("SELECT count(*) n FROM users.users WHERE role='aprendiz' AND is_active");
    expect(Number(active[0].n)).toBe(28);
    const [laura] = await db.query<Record<string, unknown>>('SELECT * FROM users.users WHERE id = $1', [demoUserId(21)]);
    expect(laura).toMatchObject({
      first_name: 'Laura Valentina', last_name: 'Gómez Ruiz', email: 'laura.gomez21@demo.sicora.test', document_number: '1023456021',
      group_id: '5eed0005-0000-4000-8000-000000000001', group_number: '2826503', password_hash: null, must_change_password: true,
    });
    const [kevin] = await db.query<Record<string, unknown>>('SELECT email FROM users.users WHERE id = $1', [demoUserId(41)]);
    expect(kevin.email).toBe('kevin.munoz41@demo.sicora.test');
    expect(await db.query('SELECT name FROM users.seed_runs')).toEqual([{ name: 'users-demo' }]);
    expect(await db.query("SELECT * FROM users.outbox")).toEqual([]);
  });
});

describe('daily clean-up (R34)', () => {
  it('when the job runs, then old events, expired revoked jtis and old reset tokens are deleted and recent ones kept', async () => {
    const [u] = await db.query<{ id: string }>('SELECT id FROM users.users LIMIT 1');
    const now = new Date('2027-06-01T08:00:00Z');
    await db.query(`INSERT INTO users.security_events (type, details, occurred_at) VALUES ('LOGIN_FAILED', '{}', $1), ('LOGIN_FAILED', '{}', $2)`,
      [new Date(now.getTime() - 366 * 86_400_000), new Date(now.getTime() - 10 * 86_400_000)]);
    await db.query('INSERT INTO users.revoked_access_tokens (jti, user_id, revoked_at, expires_at) VALUES ($1, $2, $3, $4), ($5, $2, $3, $6)',
      ['old-jti', u.id, now, new Date(now.getTime() - 1000), 'live-jti', new Date(now.getTime() + 1000)]);
    await db.query(`INSERT INTO users.password_reset_tokens (user_id, token_hash, origin, expires_at, created_at) VALUES ($1, 'h1', 'self', $2, $2)`,
      [u.id, new Date(now.getTime() - 8 * 86_400_000)]);
    await createRetentionService({ repos: createUnitOfWork(db), now: () => now }).purge();
    expect(Number((await db.query<{ n: string }>('SELECT count(*) n FROM users.security_events WHERE occurred_at < $1', [new Date(now.getTime() - 365 * 86_400_000)]))[0].n)).toBe(0);
    expect((await db.query<{ jti: string }>('SELECT jti FROM users.revoked_access_tokens')).map((r) => r.jti)).toEqual(['live-jti']);
    expect(await db.query('SELECT * FROM users.password_reset_tokens')).toEqual([]);
  });

  it('when it is 23:30 in Bogotá, then the next run is 3.5 hours away (03:00 local)', () => {
    const at = new Date('2026-03-03T04:30:00Z');
    const retention = createRetentionService({ repos: createUnitOfWork(db), now: () => at });
    const jobs = createScheduler({ database: db, schema: 'users', now: () => at, timers: false }, [cleanupJob({ retention, timezone: 'America/Bogota' })]);
    expect(jobs.nextRunAt(CLEANUP_JOB).getTime() - at.getTime()).toBe(3.5 * 3600_000);
  });
});

describe('outbox relay', () => {
  it('when the relay runs, then notifications reach the notification service with a users service token and the idempotency key', async () => {
    const received: Array<{ auth: string; key: string; body: { type: string } }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ auth: String(req.headers.authorization), key: String(req.headers['idempotency-key']), body: JSON.parse(raw) });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"success":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const h = await startUsers({ env: { NOTIFICATION_URL: `http://127.0.0.1:${port}` }, overrides: { outboxRelay: true, now: () => new Date() } });
    try {
      const admin = await h.tokenFor('admin');
      const t = await h.addUser();
      expectOk(await h.app.inject({ method: 'POST', url: `/api/v1/users/${t.id}/reset-password`, headers: bearer(admin.token) }));
      await expect.poll(() => received.length, { timeout: 5000, interval: 100 }).toBeGreaterThan(0);
      expect(received).toHaveLength(1);
      expect(received[0].body.type).toBe('user.password_reset_requested');
      expect(received[0].key).toMatch(/^users:user\.password_reset_requested:/);
      const claims = decodeJwt(received[0].auth.replace('Bearer ', ''));
      expect(claims).toMatchObject({ role: 'service', name: 'users' });
      await expect.poll(() => h.db.query('SELECT status FROM users.outbox'), { timeout: 1000, interval: 50 }).toEqual([{ status: 'delivered' }]);
    } finally {
      await h.close();
      await new Promise((r) => server.close(r));
    }
  });
});

