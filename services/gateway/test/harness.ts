/**
 * Shared set-up of the gateway's component tests: fake upstreams, a test key pair whose JWKS the fake
 * users service serves, a gateway on a real socket with a clock the test can move, and token helpers.
 */
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect, vi } from 'vitest';
import type { Database } from '@sicora/platform/db';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestClaims, type TestKeys } from '@sicora/platform/testing/keys';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { startFakePlatform, type FakePlatform } from './fake-upstreams.ts';

/**
 * The gateway's clock (buildApp's `now`): real time plus whatever the test has moved it on, so a test
 * skips a breaker's reset timeout or an incident delay instead of sleeping through it.
 */
export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

export function createTestClock(): TestClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms) => {
      offsetMs += ms;
    },
  };
}

export interface Harness {
  db: TestDatabase;
  clock: TestClock;
  fakes: FakePlatform;
  keys: TestKeys;
  app: App;
  origin: string;
  adminToken: string;
  token(claims?: TestClaims, opts?: { expiresIn?: number }): Promise<string>;
  /** app.inject with an admin bearer token unless the call sets its own Authorization (or `null`). */
  inject(opts: InjectOptions & { auth?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function uniquePrefix(): string {
  return `sicora-test-${randomUUID().slice(0, 8)}`;
}

/** A gateway against the given fakes and database; Redis (when REDIS_URL is set) under a unique prefix. */
export async function startGateway(fakes: FakePlatform, db: Database, env: Record<string, string> = {}, clock: TestClock = createTestClock()): Promise<{ app: App; origin: string }> {
  const app = await buildApp(
    loadConfig({
      LOG_LEVEL: 'silent',
      ...fakes.env,
      // Rate limits run on Redis whenever the suite runs with REDIS_URL (both back ends, R59).
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      GATEWAY_REDIS_PREFIX: uniquePrefix(),
      ...env,
    }),
    { database: db, now: clock.now },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, origin: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

export async function createHarness(env: Record<string, string> = {}, opts: { waitForKeys?: boolean } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const fakes = await startFakePlatform();
  const keys = await createTestKeys();
  fakes.upstreams.users.jwks = keys.jwks;
  const clock = createTestClock();
  const { app, origin } = await startGateway(fakes, db, env, clock);
  if (opts.waitForKeys !== false) await vi.waitFor(() => expect(app.gatewayRuntime.hasKeys()).toBe(true), { timeout: 5_000, interval: 20 });
  const token = (claims: TestClaims = {}, o: { expiresIn?: number } = {}) => mintToken(keys, { sub: randomUUID(), ...claims }, o);
  const adminToken = await token({ role: 'admin' });
  return {
    db,
    clock,
    fakes,
    keys,
    app,
    origin,
    adminToken,
    token,
    inject(o) {
      const { auth, ...rest } = o;
      const headers: Record<string, string> = { ...(rest.headers as Record<string, string> | undefined) };
      if (auth !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) headers.authorization = `Bearer ${auth ?? adminToken}`;
      return app.inject({ ...rest, headers });
    },
    async close() {
      // Every test is done: a connection a test's client walked away from must not hold Fastify's close
      // (server.close() waits for each open connection; seen now and then after the abort tests).
      app.server.closeAllConnections();
      await app.close();
      await fakes.stopAll();
      await db.destroy();
    },
  };
}
