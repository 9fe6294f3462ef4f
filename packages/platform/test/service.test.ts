import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pgSchema } from 'drizzle-orm/pg-core';
import { Type } from 'typebox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../src/config.ts';
import { createNotificationProducer } from '../src/notify.ts';
import { createServiceApp, type ServiceAppOptions } from '../src/service.ts';
import { outboxTable } from '../src/tables.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

const SERVICE = 'attendance';
const outbox = outboxTable(pgSchema(SERVICE));
const notifications = createNotificationProducer({ service: SERVICE, table: outbox });

let tdb: TestDatabase;
let server: Server;
let baseUrl: string;
let tokenRequests: Array<{ client_id: string; client_secret: string }>;
let sent: Array<{ auth: string | undefined; key: string | undefined; body: { type: string; idempotency_key: string } }>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.query(`CREATE SCHEMA ${SERVICE}`);
  await tdb.query(`CREATE TABLE ${SERVICE}.outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL, target text NOT NULL, method text DEFAULT 'POST' NOT NULL,
    path text NOT NULL, body jsonb NOT NULL, idempotency_key text NOT NULL, status text DEFAULT 'pending' NOT NULL,
    attempts integer DEFAULT 0 NOT NULL, next_attempt_at timestamp with time zone DEFAULT now() NOT NULL, last_error text,
    last_status integer, created_at timestamp with time zone DEFAULT now() NOT NULL, delivered_at timestamp with time zone,
    CONSTRAINT outbox_idempotency_key_unique UNIQUE (idempotency_key))`);
  // One fake for both ends: the users service's service-token endpoint and the notification service's N1.
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url === '/api/v1/auth/service-token') {
        tokenRequests.push(JSON.parse(raw));
        return reply(200, { success: true, data: { access_token: `svc-token-${tokenRequests.length}`, expires_in: 900 } });
      }
      const key = req.headers['idempotency-key'];
      sent.push({ auth: req.headers.authorization, key: typeof key === 'string' ? key : undefined, body: JSON.parse(raw) });
      reply(202, { success: true, data: { id: 'n1', status: 'accepted' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  tokenRequests = [];
  sent = [];
  await tdb.query(`DELETE FROM ${SERVICE}.outbox`);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await tdb.destroy();
});

function build(extra: Partial<ServiceAppOptions> = {}, overrides: ServiceAppOptions['overrides'] = {}) {
  const config = loadServiceConfig(SERVICE, Type.Object({}), {
    LOG_LEVEL: 'silent', USERS_URL: baseUrl, NOTIFICATION_URL: baseUrl, SERVICE_CLIENT_SECRET: 's3cret-of-sixteen-chars',
  });
  return createServiceApp({
    config,
    overrides: { database: tdb, migrationsApplied: true, ...overrides },
    migrationsFolder: '/nonexistent',
    description: 'probe',
    remoteVerifier: false,
    ...extra,
  });
}

const statuses = async () => (await tdb.db.select().from(outbox)).map((r) => r.status);
const announce = (key: string) => notifications.enqueue(tdb.db, { type: 'attendance.absence_recorded', key, target_users: ['0b7f7a4e-4a55-4a1e-9d2c-6f1f4b1d2a10'] });

describe('the outbox relay wired by createServiceApp', () => {
  it('when a service declares its outbox, then once ready its requests reach N1 with its own service token and the key', async () => {
    const { app, outboxRelay } = await build({ outbox: { table: outbox, relay: { intervalMs: 10 } } });
    expect(outboxRelay).toBeDefined();
    await announce('a1');
    await app.ready();
    await expect.poll(statuses).toEqual(['delivered']);
    expect(tokenRequests).toEqual([{ client_id: SERVICE, client_secret: 's3cret-of-sixteen-chars' }]);
    expect(sent).toEqual([
      { auth: 'Bearer svc-token-1', key: 'attendance:attendance.absence_recorded:a1', body: expect.objectContaining({ type: 'attendance.absence_recorded', idempotency_key: 'attendance:attendance.absence_recorded:a1' }) },
    ]);
    await app.close();
  });

  it('when the relay is switched off by the service or by the overrides, then nothing is relayed', async () => {
    for (const [extra, overrides] of [
      [{ outbox: { table: outbox, enabled: false } }, {}],
      [{ outbox: { table: outbox } }, { outboxRelay: false }],
      [{}, {}],
    ] as const) {
      const { app, outboxRelay } = await build(extra, overrides);
      expect(outboxRelay).toBeUndefined();
      await app.ready();
      await app.close();
    }
    await announce('off');
    expect(await statuses()).toEqual(['pending']);
    expect(sent).toEqual([]);
  });

  it('when a token provider factory is given, then it is called at the first delivery, not while building', async () => {
    let made = 0;
    const { app, outboxRelay } = await build(
      { outbox: { table: outbox, relay: { intervalMs: 60_000 }, tokenProvider: () => (made++, { getToken: async () => 'self-signed', invalidate: () => undefined }) } },
    );
    await app.ready();
    expect(made).toBe(0);
    await announce('own');
    expect(await outboxRelay!.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    await announce('own-2');
    await outboxRelay!.runOnce();
    expect(made).toBe(1);
    expect(sent.map((s) => s.auth)).toEqual(['Bearer self-signed', 'Bearer self-signed']);
    expect(tokenRequests).toEqual([]);
    await app.close();
  });

  it("when a service calls another one, then serviceToken is its own token from the users service", async () => {
    const { app, serviceToken } = await build();
    expect(await serviceToken.getToken()).toBe('svc-token-1');
    expect(await serviceToken.getToken()).toBe('svc-token-1');
    expect(tokenRequests).toEqual([{ client_id: SERVICE, client_secret: 's3cret-of-sixteen-chars' }]);
    await app.close();
  });

  it('when clientOf builds a client of another service, then it calls that service\'s URL with the service token, and closes with the app', async () => {
    const { app, clientOf } = await build();
    const notification = clientOf('notification', { timeoutMs: 1000 });
    expect(notification.target).toBe('notification');
    expect(await notification.postData('/api/v1/notifications', { type: 'probe', idempotency_key: 'k-1' }, { token: 'service' })).toEqual({ id: 'n1', status: 'accepted' });
    expect(sent.map((s) => [s.auth, s.body.type])).toEqual([['Bearer svc-token-1', 'probe']]);
    await app.close();
    await expect(notification.postData('/api/v1/notifications', { type: 'after-close', idempotency_key: 'k-2' }, { token: 'service' })).rejects.toThrow();
    expect(sent).toHaveLength(1);
  });

  it('when the app closes, then the relay stops and its notification client is closed', async () => {
    const { app, outboxRelay } = await build({ outbox: { table: outbox, relay: { intervalMs: 60_000 } } });
    await app.ready();
    await app.close();
    await announce('after-close');
    // A pass run by hand after close cannot reach N1 any more: the entry stays pending for the next start.
    expect(await outboxRelay!.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await statuses()).toEqual(['pending']);
    expect(sent).toEqual([]);
  });
});
