/**
 * Shared set-up of the gateway's component tests: fake upstreams, a test key pair whose JWKS the fake
 * users service serves, a gateway on a real socket, and token helpers.
 */
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Database } from '@sicora/platform/db';
import type { App } from '@sicora/platform/server';
import { createTestDatabase, type TestDatabase } from '@sicora/platform/testing/db';
import { createTestKeys, mintToken, type TestClaims, type TestKeys } from '@sicora/platform/testing/keys';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { startFakePlatform, type FakePlatform } from './fake-upstreams.ts';

export interface Harness {
  db: TestDatabase;
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
export async function startGateway(fakes: FakePlatform, db: Database, env: Record<string, string> = {}): Promise<{ app: App; origin: string }> {
  const app = await buildApp(
    loadConfig({
      LOG_LEVEL: 'silent',
      ...fakes.env,
      // Rate limits run on Redis whenever the suite runs with REDIS_URL (both back ends, R59).
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      GATEWAY_REDIS_PREFIX: uniquePrefix(),
      ...env,
    }),
    { database: db },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, origin: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

export async function createHarness(env: Record<string, string> = {}, opts: { waitForKeys?: boolean } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const fakes = await startFakePlatform();
  const keys = await createTestKeys();
  fakes.upstreams.users.jwks = keys.jwks;
  const { app, origin } = await startGateway(fakes, db, env);
  if (opts.waitForKeys !== false) {
    const until = Date.now() + 5_000;
    while (!app.gatewayRuntime.hasKeys() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }
  const token = (claims: TestClaims = {}, o: { expiresIn?: number } = {}) => mintToken(keys, { sub: randomUUID(), ...claims }, o);
  const adminToken = await token({ role: 'admin' });
  return {
    db,
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
      await app.close();
      await fakes.stopAll();
      await db.destroy();
    },
  };
}
