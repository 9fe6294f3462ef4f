import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '../src/http-client.ts';
import { createOutboxRelay, enqueue, type OutboxRelayOptions } from '../src/outbox.ts';
import { outboxTable } from '../src/tables.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

const outbox = outboxTable(pgSchema('outbox_test'));
const DDL = [
  'CREATE SCHEMA IF NOT EXISTS "outbox_test"',
  `CREATE TABLE "outbox_test"."outbox" (
    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
    "target" text NOT NULL,
    "method" text DEFAULT 'POST' NOT NULL,
    "path" text NOT NULL,
    "body" jsonb NOT NULL,
    "idempotency_key" text NOT NULL,
    "status" text DEFAULT 'pending' NOT NULL,
    "attempts" integer DEFAULT 0 NOT NULL,
    "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
    "last_error" text,
    "last_status" integer,
    "created_at" timestamp with time zone DEFAULT now() NOT NULL,
    "delivered_at" timestamp with time zone,
    CONSTRAINT "outbox_idempotency_key_unique" UNIQUE("idempotency_key"))`,
  'CREATE INDEX "outbox_due_idx" ON "outbox_test"."outbox" USING btree ("status","next_attempt_at")',
];

type Received = { path: string; key: string | undefined; auth: string | undefined; body: unknown };
let tdb: TestDatabase;
let server: Server;
let received: Received[];
let respond: (req: IncomingMessage, res: ServerResponse, n: number) => void;
let clients: Record<string, ServiceClient>;
let clock: Date;
let tokenGeneration: number;
const warnings: object[] = [];

const tokenProvider = {
  getToken: async () => `svc-${tokenGeneration}`,
  invalidate: () => {
    tokenGeneration += 1;
  },
};

function relay(extra: Partial<OutboxRelayOptions> = {}) {
  return createOutboxRelay({
    database: tdb,
    table: outbox,
    clientFor: (target) => clients[target],
    tokenProvider,
    now: () => clock,
    logger: { warn: (obj) => warnings.push(obj), error: (obj) => warnings.push(obj) },
    ...extra,
  });
}

const rows = () => tdb.db.select().from(outbox);
const entry = (key: string, body: Record<string, unknown> = { type: 'ATTENDANCE_ALERT', idempotency_key: key }) => ({
  target: 'notification',
  path: '/api/v1/notifications',
  body,
  idempotencyKey: key,
});
const reply = (status: number) => (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ success: status < 400 }));

beforeAll(async () => {
  tdb = await createTestDatabase();
  for (const statement of DDL) await tdb.query(statement);
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      received.push({ path: String(req.url), key: typeof key === 'string' ? key : undefined, auth: req.headers.authorization, body: JSON.parse(raw) });
      respond(req, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const down = createServer();
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  const downPort = (down.address() as AddressInfo).port;
  await new Promise((resolve) => down.close(resolve));
  clients = {
    notification: createServiceClient({ target: 'notification', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 1000 }),
    down: createServiceClient({ target: 'down', baseUrl: `http://127.0.0.1:${downPort}`, backoffMs: 1 }),
  };
});

afterAll(async () => {
  await Promise.all(Object.values(clients).map((c) => c.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await tdb.destroy();
});

beforeEach(async () => {
  await tdb.query('DELETE FROM "outbox_test"."outbox"');
  received = [];
  warnings.length = 0;
  tokenGeneration = 1;
  clock = new Date(Date.now() + 1000);
  respond = reply(202);
});

describe('enqueue', () => {
  it('when the same idempotency key is enqueued twice, then one row is stored', async () => {
    await enqueue(tdb.db, outbox, entry('k-dup'));
    await enqueue(tdb.db, outbox, { ...entry('k-dup'), body: { other: true } });
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'pending', attempts: 0, method: 'POST', body: { type: 'ATTENDANCE_ALERT', idempotency_key: 'k-dup' } });
  });

  it('when the producing transaction rolls back, then no row is stored', async () => {
    const rollback = tdb.db.transaction(async (tx) => {
      await enqueue(tx, outbox, entry('k-rollback'));
      throw new Error('producer write failed');
    });
    await expect(rollback).rejects.toThrow('producer write failed');
    expect(await rows()).toHaveLength(0);
  });
});

describe('relay', () => {
  it('when the target answers 2xx, then the entry is delivered with the service token and the Idempotency-Key header', async () => {
    await enqueue(tdb.db, outbox, entry('k-ok'));
    expect(await relay().runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(received).toEqual([{ path: '/api/v1/notifications', key: 'k-ok', auth: 'Bearer svc-1', body: { type: 'ATTENDANCE_ALERT', idempotency_key: 'k-ok' } }]);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 202, lastError: null });
    expect(row.deliveredAt?.getTime()).toBe(clock.getTime());
    expect(await relay().runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });
  });

  it('when an entry was written by the database within the same millisecond as the pass, then the pass takes it (microseconds vs milliseconds)', async () => {
    await enqueue(tdb.db, outbox, entry('k-same-ms'));
    clock = new Date('2026-03-02T14:00:00.000Z');
    await tdb.query(`UPDATE "outbox_test"."outbox" SET next_attempt_at = '2026-03-02T14:00:00.000600Z'`);
    expect(await relay().runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
  });

  it('when the target answers 503 and later 2xx, then the entry is retried with the same key and delivered once', async () => {
    respond = (req, res, n) => reply(n === 1 ? 503 : 201)(req, res);
    await enqueue(tdb.db, outbox, entry('k-retry'));
    const r = relay();
    expect(await r.runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const [pending] = await rows();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, lastStatus: 503 });
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
    expect(await r.runOnce()).toEqual({ delivered: 0, retried: 0, failed: 0 });

    clock = new Date(clock.getTime() + 11 * 60_000);
    expect(await r.runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(received.map((x) => x.key)).toEqual(['k-retry', 'k-retry']);
    expect(await rows()).toMatchObject([{ status: 'delivered', attempts: 2, lastStatus: 201 }]);
  });

  it('when the target answers 422, then the entry is failed and logged without its body', async () => {
    respond = reply(422);
    await enqueue(tdb.db, outbox, entry('k-bad', { email: 'ana@example.com', idempotency_key: 'k-bad' }));
    expect(await relay().runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await rows()).toMatchObject([{ status: 'failed', attempts: 1, lastStatus: 422, deliveredAt: null }]);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('ana@example.com');
  });

  it('when the target is down, then the entry stays pending with one attempt and a later next attempt', async () => {
    await enqueue(tdb.db, outbox, { ...entry('k-down'), target: 'down' });
    expect(await relay().runOnce()).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null, lastError: 'SERVICE_UNAVAILABLE:connection_refused' });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(clock.getTime());
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(clock.getTime() + 1000);
  });

  it('when the token is refused with 401, then it is renewed and the entry delivered in the same run', async () => {
    respond = (req, res) => reply(req.headers.authorization === 'Bearer svc-1' ? 401 : 202)(req, res);
    await enqueue(tdb.db, outbox, entry('k-401'));
    expect(await relay().runOnce()).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(received.map((x) => x.auth)).toEqual(['Bearer svc-1', 'Bearer svc-2']);
  });

  it('when the target keeps answering 429 up to the last attempt, then the entry is failed', async () => {
    respond = reply(429);
    await enqueue(tdb.db, outbox, entry('k-429'));
    await tdb.db.update(outbox).set({ attempts: 2 }).where(eq(outbox.idempotencyKey, 'k-429'));
    expect(await relay({ maxAttempts: 3 }).runOnce()).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(await rows()).toMatchObject([{ status: 'failed', attempts: 3, lastStatus: 429 }]);
  });

  it('when two relays run at once, then each entry is sent exactly once, oldest first', async () => {
    for (const key of ['k-a', 'k-b', 'k-c']) await enqueue(tdb.db, outbox, entry(key));
    const [a, b] = await Promise.all([relay().runOnce(), relay().runOnce()]);
    expect(a.delivered + b.delivered).toBe(3);
    expect(received.map((x) => x.key).sort()).toEqual(['k-a', 'k-b', 'k-c']);
    expect((await rows()).every((r) => r.status === 'delivered')).toBe(true);
  });

  it('when started, then it delivers on its interval until stopped', async () => {
    await enqueue(tdb.db, outbox, entry('k-loop'));
    const r = relay({ intervalMs: 20 });
    r.start();
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    await r.stop();
    expect(received.map((x) => x.key)).toEqual(['k-loop']);
    expect(await rows()).toMatchObject([{ status: 'delivered' }]);
  });
});
