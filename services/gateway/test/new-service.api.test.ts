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
