/**
 * The __name__ test harness: the real app through `app.inject`, on a real database with the real
 * migrations (PGlite snapshot, or a fresh database on DATABASE_URL), real token verification with test
 * keys, and a clock the test moves (never real sleeps).
 */
import { randomUUID } from 'node:crypto';
import { createLocalVerifier } from '@sicora/platform/auth';
import type { Role } from '@sicora/platform/roles';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken } from '@sicora/platform/testing/keys';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

export const T0 = new Date('2026-03-02T14:00:00.000Z');

export interface Harness {
  app: App;
  db: TestDatabase;
  now(): Date;
  advance(ms: number): void;
  /** A bearer header for a user of `role` (a fresh user id unless `sub` is given). */
  as(role: Role, sub?: string): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = await createTestKeys();
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  let now = T0;
  const app = await buildApp(config, { database: db, verifier: createLocalVerifier(keys.jwks, config.jwt), now: () => now });
  await app.ready();
  return {
    app,
    db,
    now: () => now,
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
    async as(role, sub = randomUUID()) {
      return { authorization: `Bearer ${await mintToken(keys, { role, sub }, { issuer: config.jwt.issuer, audience: config.jwt.audience })}` };
    },
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
