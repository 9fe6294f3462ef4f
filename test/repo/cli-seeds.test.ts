/**
 * `sicora seed --demo` outside the embedded start (bin/cli/seeds.ts runHttpSeeds): the HTTP seeds run
 * against services already served, each with its own service-client secret and its own database, and
 * none runs while a service does not answer.
 */
import { describe, expect, it } from 'vitest';
import { loadServiceConfig, type BaseConfig } from '@sicora/platform/config';
import type { Database } from '@sicora/platform/db';
import type { ServiceManifest } from '@sicora/platform/manifest';
import { Type } from 'typebox';
import { runHttpSeeds } from '../../bin/cli/seeds.ts';

function manifest(name: 'users' | 'schedules' | 'attendance', seeded: Array<{ name: string; secret?: string; db: string }>, withSeed = true): ServiceManifest {
  return {
    name,
    description: name,
    migrationsFolder: '',
    loadConfig: (env) => loadServiceConfig(name, Type.Object({}), env),
    buildApp: async () => {
      throw new Error('not built here');
    },
    ...(withSeed ? { httpSeed: async ({ database, config }: { database: Database; config: BaseConfig }) => void seeded.push({ name, secret: config.serviceClientSecret, db: (database as unknown as { tag: string }).tag }) } : {}),
  };
}

const env = { LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://db.example/sicora', SCHEDULES_URL: 'http://schedules.internal:3002' };
const secrets = { attendance: 'attendance-secret-0123456789', schedules: 'schedules-secret-0123456789' };

describe('sicora seed --demo: the HTTP seeds', () => {
  it('when every service answers, then each HTTP seed runs with its own secret and database, and the databases are closed', async () => {
    const seeded: Array<{ name: string; secret?: string; db: string }> = [];
    const closed: string[] = [];
    const probed: string[] = [];
    const outcome = await runHttpSeeds([manifest('users', seeded, false), manifest('schedules', seeded), manifest('attendance', seeded)], env, secrets, {
      openDatabase: async (c) => ({ tag: `${c.service}@${c.databaseUrl}`, close: async () => void closed.push(c.service) }) as unknown as Database,
      probe: async (url) => (probed.push(url), true),
    });
    expect(outcome).toEqual({ ran: ['schedules', 'attendance'], unreachable: [] });
    expect(seeded).toEqual([
      { name: 'schedules', secret: secrets.schedules, db: 'schedules@postgres://db.example/sicora' },
      { name: 'attendance', secret: secrets.attendance, db: 'attendance@postgres://db.example/sicora' },
    ]);
    expect(closed).toEqual(['schedules', 'attendance']);
    expect(probed).toContain('http://schedules.internal:3002');
    expect(probed).toHaveLength(3);
  });

  it('when a service does not answer, then no HTTP seed runs and the outcome names it', async () => {
    const seeded: Array<{ name: string; secret?: string; db: string }> = [];
    let opened = 0;
    const outcome = await runHttpSeeds([manifest('users', seeded, false), manifest('schedules', seeded), manifest('attendance', seeded)], env, secrets, {
      openDatabase: async () => (opened++, { close: async () => undefined }) as unknown as Database,
      probe: async (url) => !url.includes('schedules'),
    });
    expect(outcome).toEqual({ ran: [], unreachable: ['schedules'] });
    expect(seeded).toEqual([]);
    expect(opened).toBe(0);
  });

  it('when no service has an HTTP seed, then nothing is probed', async () => {
    const outcome = await runHttpSeeds([manifest('users', [], false)], env, {}, {
      openDatabase: async () => {
        throw new Error('not opened');
      },
      probe: async () => {
        throw new Error('not probed');
      },
    });
    expect(outcome).toEqual({ ran: [], unreachable: [] });
  });
});

describe('an HTTP seed that meets a busy peer', () => {
  it('when the seed fails with a transient 503 twice, then it is run again and the third attempt completes; a refusal of another kind fails at once', async () => {
    const { withSeedRetries } = await import('../../bin/cli/seeds.ts');
    const { errors } = await import('@sicora/platform/errors');
    let calls = 0;
    const warned: string[] = [];
    await withSeedRetries('attendance', async () => {
      calls += 1;
      if (calls < 3) throw errors.unavailable();
    }, { delayMs: 1, warn: (m) => warned.push(m) });
    expect(calls).toBe(3);
    expect(warned).toHaveLength(2);

    let once = 0;
    await expect(withSeedRetries('attendance', async () => {
      once += 1;
      throw errors.validation([{ field: 'x', reason: 'invalid', message: 'mal' }]);
    }, { delayMs: 1 })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(once).toBe(1);

    let always = 0;
    await expect(withSeedRetries('attendance', async () => {
      always += 1;
      throw errors.unavailable();
    }, { delayMs: 1, attempts: 3 })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(always).toBe(3);
  });
});
