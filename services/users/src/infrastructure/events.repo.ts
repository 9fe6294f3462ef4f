/**
 * Security events (§4.7) and the notification requests sent through the outbox (§7), both written in the
 * transaction of the change they describe (R34).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { enqueue } from '@sicora/platform/outbox';
import { outbox, securityEvents } from './db/schema.ts';

export interface EventContext {
  ipMasked: string | null;
  userAgent: string | null;
  actorId: string | null;
  at: Date;
}

export async function recordEvent(
  db: Db,
  ctx: EventContext,
  type: string,
  userId: string | null,
  details: Record<string, unknown> = {},
): Promise<string> {
  const id = randomUUID();
  await db.insert(securityEvents).values({
    id, type, userId, actorId: ctx.actorId, ipMasked: ctx.ipMasked, userAgent: ctx.userAgent, details, occurredAt: ctx.at,
  });
  return id;
}

export type NotificationType =
  | 'user.welcome' | 'user.password_reset_requested' | 'user.password_changed' | 'user.account_locked'
  | 'user.security_alert' | 'user.deactivated' | 'user.activated';

/** One notification.md §4.1 request for one user, keyed `users:<type>:<user_id>:<event id>`. */
export async function notifyUser(
  db: Db,
  type: NotificationType,
  userId: string,
  data: Record<string, unknown>,
  opts: { priority: 'normal' | 'high'; eventId?: string },
): Promise<void> {
  const eventId = opts.eventId ?? randomUUID();
  const idempotencyKey = `users:${type}:${userId}:${eventId}`;
  await enqueue(db, outbox, {
    target: 'notification',
    path: '/api/v1/notifications',
    body: { type, target_users: [userId], priority: opts.priority, data, entity_type: 'user', entity_id: userId, idempotency_key: idempotencyKey },
    idempotencyKey,
  });
}

export interface EventFilter {
  userId?: string;
  types?: string[];
  from?: Date;
  to?: Date;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export async function listEvents(db: Db, f: EventFilter) {
  const conds: SQL[] = [];
  if (f.userId) conds.push(eq(securityEvents.userId, f.userId));
  if (f.types?.length) conds.push(inArray(securityEvents.type, f.types));
  if (f.from) conds.push(gte(securityEvents.occurredAt, f.from));
  if (f.to) conds.push(lte(securityEvents.occurredAt, f.to));
  const where = conds.length ? and(...conds) : undefined;
  const order = f.direction === 'desc' ? [desc(securityEvents.occurredAt), desc(securityEvents.id)] : [asc(securityEvents.occurredAt), asc(securityEvents.id)];
  const rows = await db.select().from(securityEvents).where(where).orderBy(...order).offset(f.offset).limit(f.limit);
  const [{ total }] = await db.select({ total: count() }).from(securityEvents).where(where);
  return { rows, total: Number(total) };
}

/** Many notifications at once (CSV import): chunked multi-row insert, duplicates ignored. */
export async function notifyMany(
  db: Db,
  items: Array<{ type: NotificationType; userId: string; data: Record<string, unknown>; priority: 'normal' | 'high'; eventId: string }>,
): Promise<void> {
  const rows = items.map((i) => {
    const idempotencyKey = `users:${i.type}:${i.userId}:${i.eventId}`;
    return {
      target: 'notification', path: '/api/v1/notifications', method: 'POST',
      body: { type: i.type, target_users: [i.userId], priority: i.priority, data: i.data, entity_type: 'user', entity_id: i.userId, idempotency_key: idempotencyKey },
      idempotencyKey,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await db.insert(outbox).values(rows.slice(i, i + 1000)).onConflictDoNothing({ target: outbox.idempotencyKey });
  }
}
