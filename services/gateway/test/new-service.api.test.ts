/**
 * A service added after the gateway's first start (a new manifest in the service table) is routed and
 * probed on the next start: its rules arrive as a new configuration version; known services keep theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '@sicora/platform/db';
import { migrationsFolderOf } from '@sicora/platform/manifest';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createConfigRepo } from '../src/infrastructure/config.repo.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await runMigrations(db, { schema: 'gateway', migrationsFolder: migrationsFolderOf('gateway') });
});

afterAll(async () => db.destroy());

describe('services added after the first start', () => {
  it('when a service has no row yet at a later start, then its seed rules are added as a new version and other rules are kept', async () => {
    const repo = createConfigRepo(db, () => new Date());
    await repo.ensureSeed({});
    const first = await repo.load();
    expect(first.version).toBe(1);
    // As if ai had been added since: no service row, no rules. An administrator also removed kb's rules.
    await db.query("DELETE FROM gateway.routes WHERE service IN ('ai', 'kb')");
    await db.query("DELETE FROM gateway.services WHERE name = 'ai'");

    await repo.ensureSeed({});
    const after = await repo.load();
    expect(after.version).toBe(2);
    expect(after.services.map((s) => s.name)).toContain('ai');
    expect(after.routes.filter((r) => r.service === 'ai').map((r) => r.pattern)).toEqual(['/api/v1/ai']);
    expect(after.routes.filter((r) => r.service === 'kb')).toEqual([]);

    await repo.ensureSeed({});
    expect((await repo.load()).version).toBe(2);
  });
});

describe('rules written after the first seed (§4.8 5a, 40–41)', () => {
  it('when an installation seeded before them starts again, then they arrive once as a new version; a rule the operator already had on that path, or deleted afterwards, is kept as the operator left it', async () => {
    const fresh = await createTestDatabase();
    await runMigrations(fresh, { schema: 'gateway', migrationsFolder: migrationsFolderOf('gateway') });
    try {
      const repo = createConfigRepo(fresh, () => new Date());
      await repo.ensureSeed({});
      const seeded = await repo.load();
      // A new installation has them from version 1, with their deadlines and no retries.
      expect(seeded.routes.find((r) => r.name === 'attendance-reports')).toMatchObject({ pattern: '/api/v1/attendance/reports', match: 'prefix', deadline_ms: 60_000, max_retries: 0 });
      expect(seeded.routes.find((r) => r.name === 'attendance-export')).toMatchObject({ pattern: '/api/v1/attendance/records/export', match: 'exact', deadline_ms: 60_000, max_retries: 0 });
      expect(seeded.routes.find((r) => r.name === 'auth-demo-accounts')).toMatchObject({ access: 'public', methods: ['GET'] });

      // As an installation seeded before them: the three rules and their records gone; the operator had
      // meanwhile put a rule of their own on the export's path with a 90 s deadline.
      await fresh.query("DELETE FROM gateway.routes WHERE name IN ('attendance-reports', 'attendance-export', 'auth-demo-accounts')");
      await fresh.query("DELETE FROM gateway.seed_runs WHERE name LIKE 'rule:%'");
      await fresh.query("INSERT INTO gateway.routes (name, methods, pattern, match, service, access, rate_limit_policy, deadline_ms) VALUES ('mi-exportacion', '{GET}', '/api/v1/attendance/records/export', 'exact', 'attendance', 'authenticated', 'user', 90000)");

      await repo.ensureSeed({});
      const after = await repo.load();
      expect(after.version).toBe(seeded.version + 1);
      expect(after.routes.map((r) => r.name)).toEqual(expect.arrayContaining(['attendance-reports', 'auth-demo-accounts', 'mi-exportacion']));
      expect(after.routes.find((r) => r.name === 'attendance-export')).toBeUndefined();
      expect(after.routes.find((r) => r.name === 'mi-exportacion')).toMatchObject({ deadline_ms: 90_000 });
      const versions = await fresh.query<{ change_summary: string }>('SELECT change_summary FROM gateway.config_versions ORDER BY version DESC LIMIT 1');
      expect(versions[0].change_summary).toContain('Regla 5a');

      // Deleted by the operator afterwards: the next start leaves it deleted.
      await fresh.query("DELETE FROM gateway.routes WHERE name = 'attendance-reports'");
      await repo.ensureSeed({});
      const last = await repo.load();
      expect(last.version).toBe(after.version);
      expect(last.routes.find((r) => r.name === 'attendance-reports')).toBeUndefined();
    } finally {
      await fresh.destroy();
    }
  });
});
