import { randomUUID } from 'node:crypto';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildNotificationRequest, createNotificationProducer, notificationEntry, notificationKey } from '../src/notify.ts';
import { outboxTable } from '../src/tables.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/db.ts';

const outbox = outboxTable(pgSchema('notify_test'));
const notifications = createNotificationProducer({ service: 'users', table: outbox });
let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
  await tdb.query('CREATE SCHEMA notify_test');
  await tdb.query(`CREATE TABLE notify_test.outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL, target text NOT NULL, method text DEFAULT 'POST' NOT NULL,
    path text NOT NULL, body jsonb NOT NULL, idempotency_key text NOT NULL, status text DEFAULT 'pending' NOT NULL,
    attempts integer DEFAULT 0 NOT NULL, next_attempt_at timestamp with time zone DEFAULT now() NOT NULL, last_error text,
    last_status integer, created_at timestamp with time zone DEFAULT now() NOT NULL, delivered_at timestamp with time zone,
    CONSTRAINT outbox_idempotency_key_unique UNIQUE (idempotency_key))`);
});

beforeEach(async () => {
  await tdb.query('DELETE FROM notify_test.outbox');
});

afterAll(async () => {
  await tdb.destroy();
});

const rows = () => tdb.db.select().from(outbox);

describe('the notification request', () => {
  it('when a producer gives a one-user event, then the §4.1 body carries its fields and the key <service>:<type>:<parts>', () => {
    const user = randomUUID();
    const event = randomUUID();
    const body = notifications.request({
      type: 'user.welcome', key: [user, event], target_users: [user], priority: 'normal',
      data: { first_name: 'Ana' }, entity_type: 'user', entity_id: user, action_url: '/perfil',
    });
    expect(body).toEqual({
      type: 'user.welcome', target_users: [user], priority: 'normal', data: { first_name: 'Ana' },
      entity_type: 'user', entity_id: user, action_url: '/perfil', idempotency_key: `users:user.welcome:${user}:${event}`,
    });
  });

  it('when targets repeat, hold null entries or are empty, then they are de-duplicated, cleaned or omitted', () => {
    const a = randomUUID();
    const g = randomUUID();
    const body = buildNotificationRequest('schedules', {
      type: 'schedule.changed', key: ['x', 1700000000000],
      target_users: [a, null, a, undefined, ''], target_groups: [g, g], target_roles: ['admin', 'admin'],
      exclude_users: [], channels: ['email', 'in_app', 'email'], priority: undefined, data: { n: 1 },
    });
    expect(body).toEqual({
      type: 'schedule.changed', target_users: [a], target_groups: [g], target_roles: ['admin'], channels: ['email', 'in_app'],
      data: { n: 1 }, idempotency_key: 'schedules:schedule.changed:x:1700000000000',
    });
    expect(Object.keys(body)).not.toContain('exclude_users');
    expect(Object.keys(body)).not.toContain('priority');
  });

  it('when instants are given as Dates, then they travel as ISO-8601 UTC', () => {
    const body = buildNotificationRequest('evalin', {
      type: 'evalin.period_reminder', key: 'p1', target_roles: ['aprendiz'],
      scheduled_at: new Date(Date.UTC(2026, 2, 2, 13)), expires_at: '2026-03-09T00:00:00.000Z',
    });
    expect(body).toMatchObject({ scheduled_at: '2026-03-02T13:00:00.000Z', expires_at: '2026-03-09T00:00:00.000Z', idempotency_key: 'evalin:evalin.period_reminder:p1' });
  });

  it('when a key part holds a character notification.md R2 refuses, or the key is too long, then building fails', () => {
    expect(() => notificationKey('users', 'user.welcome', ['a b'])).toThrow(/invalid notification idempotency key/);
    expect(() => notificationKey('users', 'user.welcome', ['x/y'])).toThrow();
    expect(() => notificationKey('users', 'user.welcome', ['x'.repeat(200)])).toThrow();
    expect(notificationKey('gateway', 'gateway.service_down', ['schedules', 1772456700])).toBe('gateway:gateway.service_down:schedules:1772456700');
  });

  it('when the outbox entry is made, then it targets N1 with the body key as the entry key', () => {
    const request = buildNotificationRequest('users', { type: 't.x', key: 'k', target_roles: ['admin'] });
    expect(notificationEntry(request)).toEqual({ target: 'notification', path: '/api/v1/notifications', method: 'POST', body: request, idempotencyKey: 'users:t.x:k' });
  });
});

describe('writing to the outbox', () => {
  it("when enqueued inside the caller's transaction, then the row commits with it and is pending", async () => {
    const user = randomUUID();
    await tdb.db.transaction(async (tx) => {
      await notifications.enqueue(tx, { type: 'user.password_changed', key: [user, 'e1'], target_users: [user], priority: 'high' });
    });
    const [row] = await rows();
    expect(row).toMatchObject({
      target: 'notification', path: '/api/v1/notifications', method: 'POST', status: 'pending', attempts: 0,
      idempotencyKey: `users:user.password_changed:${user}:e1`,
      body: { type: 'user.password_changed', target_users: [user], priority: 'high', idempotency_key: `users:user.password_changed:${user}:e1` },
    });
  });

  it('when the transaction rolls back, then no request is left behind', async () => {
    await tdb.db
      .transaction(async (tx) => {
        await notifications.enqueue(tx, { type: 'user.welcome', key: 'r1', target_users: [randomUUID()] });
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    expect(await rows()).toHaveLength(0);
  });

  it('when the same event is enqueued twice, then one row remains', async () => {
    const input = { type: 'user.welcome', key: 'twice', target_users: [randomUUID()] };
    await notifications.enqueue(tdb.db, input);
    await notifications.enqueue(tdb.db, { ...input, data: { changed: true } });
    const all = await rows();
    expect(all).toHaveLength(1);
    expect(all[0].body).not.toHaveProperty('data');
  });

  it('when many events are enqueued at once, then they are written in chunks, duplicates ignored', async () => {
    const inputs = Array.from({ length: 1100 }, (_, i) => ({ type: 'user.welcome', key: ['bulk', i], target_users: [randomUUID()] }));
    await notifications.enqueue(tdb.db, [...inputs, inputs[0], inputs[1050]]);
    const [{ n }] = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM notify_test.outbox');
    expect(n).toBe(1100);
    await notifications.enqueue(tdb.db, []);
  });
});
