/**
 * Admin read side and redrive (A1–A5, R52–R54): dead letters of both kinds newest first, deliveries
 * with their attempts, and the state changes of a redrive.
 */
import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { deliveries, notifications } from './db/schema.ts';

export interface DeadFilter { kind?: 'delivery' | 'fanout'; channel?: string; type?: string; reason?: string; from?: string; to?: string }
export interface DeadLetter {
  id: string; kind: 'delivery' | 'fanout'; notification_id: string; type: string; channel: string | null; user_id: string | null; destination: string | null;
  reason: string | null; last_error_code: string | null; last_error_message: string | null; attempt_count: number; redrive_count: number; dead_at: string;
}
export interface DeliveryFilter { user_id?: string; notification_id?: string; type?: string; channel?: string; status?: string; from?: string; to?: string }

const DEAD_SQL = `
  SELECT d.id::text, 'delivery' AS kind, d.notification_id::text, n.type, d.channel, d.user_id::text, d.destination, d.status_reason AS reason,
         d.last_error_code, d.last_error_message, d.attempt_count::int, d.redrive_count::int, d.dead_at
    FROM notification.deliveries d JOIN notification.notifications n ON n.id = d.notification_id WHERE d.status = 'dead'
  UNION ALL
  SELECT n.id::text, 'fanout', n.id::text, n.type, NULL, NULL, NULL, n.status_reason, NULL, NULL, n.fanout_attempts::int, 0, n.completed_at
    FROM notification.notifications n WHERE n.status = 'failed' AND n.status_reason = 'expansion_failed'`;

export function createAdminRepo(database: Database) {
  const db = database.db;
  function deadWhere(f: DeadFilter, params: unknown[]): string {
    const c: string[] = [];
    const add = (sqlText: string, v: unknown) => { params.push(v); c.push(sqlText.replace('?', `$${params.length}`)); };
    if (f.kind) add('kind = ?', f.kind);
    if (f.channel) add('channel = ?', f.channel);
    if (f.type) add('type = ?', f.type);
    if (f.reason) add('reason = ?', f.reason);
    if (f.from) add('dead_at >= ?::timestamptz', f.from);
    if (f.to) add('dead_at < ?::timestamptz', f.to);
    return c.length ? `WHERE ${c.join(' AND ')}` : '';
  }
  return {
    async deadLetters(f: DeadFilter, page: { offset: number; limit: number }) {
      const params: unknown[] = [];
      const where = deadWhere(f, params);
      const rows = await database.query<DeadLetter>(`SELECT * FROM (${DEAD_SQL}) x ${where} ORDER BY dead_at DESC, id LIMIT ${page.limit} OFFSET ${page.offset}`, params);
      const [t] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${DEAD_SQL}) x ${where}`, params);
      return { rows, total: t.n };
    },
    async deadIds(f: DeadFilter, max: number): Promise<Array<{ id: string; kind: string }>> {
      const params: unknown[] = [];
      return database.query(`SELECT id, kind FROM (${DEAD_SQL}) x ${deadWhere(f, params)} ORDER BY dead_at DESC LIMIT ${max}`, params);
    },
    async deliveryList(f: DeliveryFilter, page: { offset: number; limit: number }) {
      const c: SQL[] = [];
      if (f.user_id) c.push(eq(deliveries.userId, f.user_id));
      if (f.notification_id) c.push(eq(deliveries.notificationId, f.notification_id));
      if (f.channel) c.push(eq(deliveries.channel, f.channel));
      if (f.status) c.push(eq(deliveries.status, f.status));
      if (f.type) c.push(sql`${deliveries.notificationId} IN (SELECT id FROM ${notifications} WHERE type = ${f.type})`);
      if (f.from) c.push(sql`${deliveries.createdAt} >= ${f.from}`);
      if (f.to) c.push(sql`${deliveries.createdAt} < ${f.to}`);
      const where = c.length ? and(...c) : undefined;
      const rows = await db.select().from(deliveries).where(where).orderBy(desc(deliveries.createdAt), desc(deliveries.id)).limit(page.limit).offset(page.offset);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(where);
      return { rows, total: t.n };
    },
    /** R53 for deliveries: `dead` → `queued` with a fresh destination and the current template version. */
    async redriveDelivery(id: string, values: { destination: string | null; templateVersionId: string | null }, at: Date): Promise<boolean> {
      const rows = await db.update(deliveries).set({
        status: 'queued', statusReason: null, attemptCount: 0, redriveCount: sql`${deliveries.redriveCount} + 1`, destination: values.destination,
        templateVersionId: values.templateVersionId, nextAttemptAt: null, leaseUntil: null, deadAt: null, queuedAt: at, updatedAt: at,
      }).where(and(eq(deliveries.id, id), eq(deliveries.status, 'dead'))).returning({ id: deliveries.id });
      return rows.length > 0;
    },
    /** R53 for fan-out entries: back to `accepted` with the attempts reset. */
    async redriveFanout(id: string, at: Date): Promise<boolean> {
      const rows = await db.update(notifications).set({ status: 'accepted', statusReason: null, fanoutAttempts: 0, leaseUntil: null, completedAt: null, updatedAt: at })
        .where(and(eq(notifications.id, id), eq(notifications.status, 'failed'), eq(notifications.statusReason, 'expansion_failed'))).returning({ id: notifications.id });
      return rows.length > 0;
    },
    async notificationsOf(ids: string[]) {
      return ids.length ? db.select().from(notifications).where(inArray(notifications.id, ids)) : [];
    },
    /** A9: per provider, sends and failures in the last 24 h and the latest error. */
    async providerStats(since: string): Promise<Array<{ provider: string; sent: number; failed: number; last_error_code: string | null; last_error_at: string | null }>> {
      return database.query(`
        SELECT provider, count(*) FILTER (WHERE outcome = 'sent')::int AS sent, count(*) FILTER (WHERE outcome <> 'sent')::int AS failed,
               (array_agg(error_code ORDER BY started_at DESC) FILTER (WHERE error_code IS NOT NULL))[1] AS last_error_code,
               max(started_at) FILTER (WHERE error_code IS NOT NULL) AS last_error_at
          FROM notification.delivery_attempts WHERE started_at >= $1 AND provider IS NOT NULL GROUP BY provider`, [since]);
    },
  };
}

export type AdminRepo = ReturnType<typeof createAdminRepo>;
