/**
 * Deliveries and attempts: batched inserts (R10), the lease claim (R27), outcomes (R28–R29, successful
 * sends of a batch written together), the notification status derivation (R32) and the sweeper's
 * queries (R30).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { derivedStatus } from '../domain/rules.ts';
import type { DeliveryStatus } from '../domain/enums.ts';
import { rowDecoder } from './db/decode.ts';
import { DELIVERY_WAKE_AT, deliveries, deliveryAttempts, notifications, type DeliveryRow, type NotificationRow } from './db/schema.ts';

export type { DeliveryRow };

const decodeDelivery = rowDecoder(deliveries);
const decodeNotification = rowDecoder(notifications);

export type NewDelivery = typeof deliveries.$inferInsert;
/** What the fan-out decides for a delivery; every other column starts at its default (insertBatch). */
export type FanoutDelivery = Pick<NewDelivery, 'id' | 'notificationId' | 'userId' | 'channel' | 'status' | 'statusReason' | 'priority' | 'destination' | 'recipient'
  | 'templateVersionId' | 'maxAttempts' | 'notBefore' | 'digestId' | 'queuedAt' | 'createdAt' | 'updatedAt'> & { id: string };
export type NewAttempt = Omit<typeof deliveryAttempts.$inferInsert, 'id'>;
/** A claimed delivery (claimBatch): its notification on the first row of that notification, and its R21 send times (ms). */
export interface ClaimedDelivery { row: DeliveryRow; notification: NotificationRow | null; sends: number[] }

export function createDeliveriesRepo(db: Db) {
  return {
    /**
     * R10: one fan-out batch (≤ 1 000 rows with their first status) and the fan-out's cursor in one
     * statement, so a crash leaves either both or neither. The cursor is written only while the attempt
     * still holds the lease (`expanding`, same `fanout_attempts`); otherwise nothing is inserted and
     * false is returned (cancelled, or taken over by another worker). The rows travel as one JSON
     * parameter (R65): a 1 000-row multi-row VALUES is 16 000 bound parameters that the driver and
     * Postgres both parse one by one, and the whole write is one round trip instead of four.
     */
    async insertBatch(rows: FanoutDelivery[], fence: { notificationId: string; fanoutAttempts: number; cursor: string; leaseUntil: Date; updatedAt: Date }): Promise<boolean> {
      const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
      const json = JSON.stringify(rows.map((r) => ({
        id: r.id, notification_id: r.notificationId, user_id: r.userId, channel: r.channel, status: r.status, status_reason: r.statusReason ?? null,
        priority: r.priority, destination: r.destination ?? null, recipient: r.recipient, template_version_id: r.templateVersionId ?? null,
        max_attempts: r.maxAttempts, not_before: iso(r.notBefore), digest_id: r.digestId ?? null, queued_at: iso(r.queuedAt),
        created_at: iso(r.createdAt), updated_at: iso(r.updatedAt),
      })));
      const result = await db.execute(sql`
        WITH owned AS (UPDATE ${notifications} SET fanout_cursor = ${fence.cursor}, lease_until = ${fence.leaseUntil.toISOString()}, updated_at = ${fence.updatedAt.toISOString()}
            WHERE ${notifications.id} = ${fence.notificationId} AND ${notifications.status} = 'expanding' AND ${notifications.fanoutAttempts} = ${fence.fanoutAttempts} RETURNING 1),
          inserted AS (INSERT INTO ${deliveries} (id, notification_id, user_id, channel, status, status_reason, priority, destination, recipient, template_version_id,
              max_attempts, not_before, digest_id, queued_at, created_at, updated_at)
            SELECT id, notification_id, user_id, channel, status, status_reason, priority, destination, recipient, template_version_id,
              max_attempts, not_before, digest_id, queued_at, coalesce(created_at, now()), coalesce(updated_at, now())
            FROM json_to_recordset(${json}::json) AS x(id uuid, notification_id uuid, user_id uuid, channel text, status text, status_reason text, priority text,
              destination text, recipient jsonb, template_version_id uuid, max_attempts smallint, not_before timestamptz, digest_id uuid, queued_at timestamptz,
              created_at timestamptz, updated_at timestamptz)
            WHERE EXISTS (SELECT 1 FROM owned)
            ON CONFLICT DO NOTHING RETURNING 1)
        SELECT count(*)::int AS owned FROM owned`);
      const out = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as Array<{ owned: number }>;
      return (out[0]?.owned ?? 0) > 0;
    },

    async idsByStatus(notificationId: string, status: DeliveryStatus): Promise<Array<{ id: string; attemptCount: number }>> {
      return db.select({ id: deliveries.id, attemptCount: deliveries.attemptCount }).from(deliveries)
        .where(and(eq(deliveries.notificationId, notificationId), eq(deliveries.status, status)));
    },

    /**
     * R27 and R21 in one round trip (R65): the conditional update that claims a batch (`queued`, or
     * `retrying` whose `next_attempt_at` has passed → `sending`; rows not claimable are simply not
     * returned), each claimed notification (read, not cached: it changes; on the first row of its
     * deliveries only, the others carry null) and, for rows on a `throttled` channel, the send times of
     * the last 24 h of that person on that channel (what recentSends() counts: `sent` and `delivered`).
     * The send times are read in the statement's snapshot, before the claim, as a query after it would.
     */
    async claimBatch(ids: string[], now: Date, leaseMs: number, throttled: string[]): Promise<ClaimedDelivery[]> {
      if (ids.length === 0) return [];
      const since = new Date(now.getTime() - 86_400_000).toISOString();
      // Raw SQL and rowDecoder: Drizzle's select builder and result mapping cost as much as the query here.
      const result = await db.execute(sql`
        WITH claimed AS (UPDATE ${deliveries} SET status = 'sending', lease_until = ${new Date(now.getTime() + leaseMs).toISOString()},
            attempt_count = attempt_count + 1, updated_at = ${now.toISOString()}
          WHERE id = ANY(${sql.param(ids)}::uuid[]) AND (status = 'queued' OR (status = 'retrying' AND next_attempt_at <= ${now.toISOString()}))
          RETURNING *)
        SELECT c.*,
          CASE WHEN c.id IN (SELECT DISTINCT ON (notification_id) id FROM claimed) THEN (SELECT row_to_json(n) FROM ${notifications} n WHERE n.id = c.notification_id) END AS claimed_notification,
          CASE WHEN c.channel = ANY(${sql.param(throttled)}::text[]) THEN (SELECT array_agg((extract(epoch FROM coalesce(s.sent_at, s.delivered_at)) * 1000)::float8)
            FROM ${deliveries} s WHERE s.user_id = c.user_id AND s.channel = c.channel AND s.status IN ('sent','delivered')
              AND coalesce(s.sent_at, s.delivered_at) > ${since}) END AS claimed_sends
        FROM claimed c`);
      const rows = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as Array<Record<string, unknown>>;
      return rows.map((r) => {
        const n = r.claimed_notification;
        const sends = r.claimed_sends as Array<number | string> | string | null;
        return {
          row: decodeDelivery(r),
          notification: n ? decodeNotification((typeof n === 'string' ? JSON.parse(n) : n) as Record<string, unknown>) : null,
          sends: sends === null ? [] : (typeof sends === 'string' ? sends.replace(/[{}]/g, '').split(',').filter(Boolean) : sends).map(Number),
        };
      });
    },

    /**
     * R27/R28: a batch's successful sends in one statement (so atomic, one round trip, one parameter):
     * every attempt row inserted, and the rows still `sending` (a lost lease is left to its new owner, as
     * transition() does) moved to `sent`. in_app rows come with `sent: false`: their provider already
     * wrote `delivered` with the inbox item.
     */
    async recordSent(items: Array<{ attempt: NewAttempt; sent: boolean }>): Promise<void> {
      if (items.length === 0) return;
      const rows = items.map(({ attempt: a, sent }) => ({
        id: randomUUID(), delivery_id: a.deliveryId, attempt_no: a.attemptNo, provider: a.provider ?? null, started_at: a.startedAt, finished_at: a.finishedAt ?? null,
        duration_ms: a.durationMs ?? null, outcome: a.outcome, provider_message_id: a.providerMessageId ?? null, failover_from: a.failoverFrom ?? null,
        warnings: a.warnings ?? [], device_results: a.deviceResults ?? null, sent,
      }));
      await db.execute(sql`
        WITH v AS (SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS x(id uuid, delivery_id uuid, attempt_no smallint, provider text,
            started_at timestamptz, finished_at timestamptz, duration_ms integer, outcome text, provider_message_id text, failover_from text,
            warnings text[], device_results jsonb, sent boolean)),
          moved AS (UPDATE ${deliveries} SET status = 'sent', sent_at = v.finished_at, provider = v.provider, provider_message_id = v.provider_message_id,
            lease_until = NULL, last_error_code = NULL, last_error_message = NULL, updated_at = v.finished_at
            FROM v WHERE v.sent AND ${deliveries.id} = v.delivery_id AND ${deliveries.status} = 'sending' RETURNING 1)
        INSERT INTO ${deliveryAttempts} (id, delivery_id, attempt_no, provider, started_at, finished_at, duration_ms, outcome, provider_message_id, failover_from, warnings, device_results)
        SELECT id, delivery_id, attempt_no, provider, started_at, finished_at, duration_ms, outcome, provider_message_id, failover_from, warnings, device_results FROM v`);
    },

    async findById(id: string): Promise<DeliveryRow | undefined> {
      const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
      return row;
    },

    /** Moves a delivery on only if it is still in `from` (a lease may have been lost meanwhile). */
    async transition(id: string, from: DeliveryStatus[], values: Partial<NewDelivery>): Promise<boolean> {
      const rows = await db.update(deliveries).set(values).where(and(eq(deliveries.id, id), inArray(deliveries.status, from))).returning({ id: deliveries.id });
      return rows.length > 0;
    },

    async addAttempt(a: NewAttempt): Promise<void> {
      await db.insert(deliveryAttempts).values({ id: randomUUID(), ...a });
    },

    async attemptsOf(deliveryId: string) {
      return db.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, deliveryId)).orderBy(deliveryAttempts.startedAt);
    },

    /**
     * R32 and R60: derives the notification's status once it is dispatching (or finished), and erases
     * its sensitive data when every delivery is terminal.
     */
    async recompute(notificationId: string, now: Date): Promise<void> {
      const nowIso = now.toISOString();
      // One statement: while any delivery is in progress (one probe of deliveries_open_idx; R32's status
      // is then null) it only reopens a finished notification (a redrive) and counts nothing, since
      // counting every row after every batch made large notifications quadratic (R65).
      const result = await db.execute(sql`
        WITH probe AS (SELECT EXISTS (SELECT 1 FROM ${deliveries} WHERE ${deliveries.notificationId} = ${notificationId}
            AND ${deliveries.status} IN ('pending','queued','sending','retrying')) AS open),
          reopened AS (UPDATE ${notifications} SET status = 'dispatching', completed_at = NULL, updated_at = ${nowIso}
            WHERE ${notifications.id} = ${notificationId} AND ${notifications.status} IN ('completed','partially_failed','failed') AND (SELECT open FROM probe) RETURNING 1)
        SELECT probe.open, c.status, c.n FROM probe LEFT JOIN LATERAL (
          SELECT ${deliveries.status} AS status, count(*)::int AS n FROM ${deliveries}
          WHERE ${deliveries.notificationId} = ${notificationId} AND NOT probe.open GROUP BY ${deliveries.status}) c ON true`);
      const counts = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as Array<{ open: boolean; status: DeliveryStatus | null; n: number | null }>;
      if (counts[0]?.open) return;
      const by = Object.fromEntries(counts.filter((c) => c.status).map((c) => [c.status, c.n])) as Partial<Record<DeliveryStatus, number>>;
      // Nothing is in progress here, so the status is never null.
      const status = derivedStatus(by);
      if (!status) return;
      await db.update(notifications).set({
        status, completedAt: now, updatedAt: now,
        data: sql`CASE WHEN cardinality(${notifications.sensitiveKeys}) > 0 THEN ${notifications.data} - ${notifications.sensitiveKeys} ELSE ${notifications.data} END`,
        dataErasedAt: sql`CASE WHEN cardinality(${notifications.sensitiveKeys}) > 0 THEN coalesce(${notifications.dataErasedAt}, ${nowIso}::timestamptz) ELSE ${notifications.dataErasedAt} END`,
      }).where(and(eq(notifications.id, notificationId), sql`${notifications.status} IN ('dispatching','completed','partially_failed','failed')`,
        sql`NOT (${notifications.status} = 'failed' AND ${notifications.statusReason} = 'expansion_failed')`));
    },

    /** R21: send times of the last 24 h per `user|channel`, counting `sent` and `delivered`. */
    async recentSends(userIds: string[], channels: string[], now: Date): Promise<Map<string, number[]>> {
      const out = new Map<string, number[]>();
      const since = new Date(now.getTime() - 86_400_000).toISOString();
      for (let i = 0; i < userIds.length; i += 1000) {
        const rows = await db.select({ userId: deliveries.userId, channel: deliveries.channel, at: sql<string>`coalesce(${deliveries.sentAt}, ${deliveries.deliveredAt})` }).from(deliveries)
          .where(and(inArray(deliveries.userId, userIds.slice(i, i + 1000)), inArray(deliveries.channel, channels), inArray(deliveries.status, ['sent', 'delivered']),
            sql`coalesce(${deliveries.sentAt}, ${deliveries.deliveredAt}) > ${since}`));
        for (const r of rows) {
          const key = `${r.userId}|${r.channel}`;
          if (!out.has(key)) out.set(key, []);
          out.get(key)!.push(new Date(r.at).getTime());
        }
      }
      return out;
    },

    /**
     * R42: a provider's receipt for a sent message; unknown ids are ignored. Receipts are Twilio's (W1), so
     * only SMS rows are candidates, which is what keeps deliveries_provider_msg_idx to SMS rows.
     */
    async applyReceipt(providerMessageId: string, status: string, errorCode: string | null, now: Date): Promise<void> {
      const at = now;
      const byMessage = and(eq(deliveries.providerMessageId, providerMessageId), eq(deliveries.channel, 'sms'));
      let rows: Array<{ notificationId: string }> = [];
      if (status === 'delivered') {
        rows = await db.update(deliveries).set({ status: 'delivered', deliveredAt: at, updatedAt: at })
          .where(and(byMessage, eq(deliveries.status, 'sent'))).returning({ notificationId: deliveries.notificationId });
      } else if (status === 'undelivered' || status === 'failed') {
        rows = await db.update(deliveries).set({ status: 'dead', statusReason: 'provider_reported_failure', deadAt: at, lastErrorCode: errorCode ? `TWILIO_${errorCode}` : 'TWILIO_UNDELIVERED', updatedAt: at })
          .where(and(byMessage, inArray(deliveries.status, ['sent', 'delivered']))).returning({ notificationId: deliveries.notificationId });
      }
      for (const r of rows) await this.recompute(r.notificationId, now);
    },

    /** R30: `sending` rows whose lease ran out. */
    async expiredLeases(now: Date, limit = 500): Promise<DeliveryRow[]> {
      // DELIVERY_WAKE_AT is `lease_until` for `sending`; written this way so deliveries_wake_idx serves it.
      return db.select().from(deliveries).where(and(eq(deliveries.status, 'sending'), sql`${DELIVERY_WAKE_AT} < ${now.toISOString()}`)).limit(limit);
    },

    /** R30: due `pending`/`retrying` → `queued`; returns what to enqueue. */
    async queueDue(now: Date, limit = 1000): Promise<Array<{ id: string; attemptCount: number }>> {
      const nowIso = now.toISOString();
      return db.update(deliveries).set({ status: 'queued', statusReason: null, queuedAt: now, updatedAt: now, nextAttemptAt: null, notBefore: null })
        // `not_before` for `pending`, `next_attempt_at` for `retrying` (DELIVERY_WAKE_AT, deliveries_wake_idx).
        .where(sql`${deliveries.id} IN (SELECT id FROM ${deliveries} WHERE status IN ('pending','retrying') AND ${DELIVERY_WAKE_AT} <= ${nowIso} LIMIT ${limit})`)
        .returning({ id: deliveries.id, attemptCount: deliveries.attemptCount });
    },

    /** R30: `queued` for more than 120 s (a lost job). */
    async staleQueued(now: Date, limit = 1000): Promise<Array<{ id: string; attemptCount: number }>> {
      return db.select({ id: deliveries.id, attemptCount: deliveries.attemptCount }).from(deliveries)
        .where(and(eq(deliveries.status, 'queued'), sql`${DELIVERY_WAKE_AT} < ${new Date(now.getTime() - 120_000).toISOString()}`)).limit(limit);
    },

    /** R25: in-progress deliveries of notifications past `expires_at`. */
    async expire(now: Date): Promise<string[]> {
      const nowIso = now.toISOString();
      const rows = await db.update(deliveries).set({ status: 'expired', statusReason: 'expired', updatedAt: now, leaseUntil: null })
        .where(sql`${deliveries.status} IN ('pending','queued','retrying') AND ${deliveries.notificationId} IN (SELECT id FROM ${notifications} WHERE expires_at IS NOT NULL AND expires_at <= ${nowIso})`)
        .returning({ notificationId: deliveries.notificationId });
      return [...new Set(rows.map((r) => r.notificationId))];
    },
  };
}

export type DeliveriesRepo = ReturnType<typeof createDeliveriesRepo>;
