/**
 * Read side of the delivery-failure alert (R58): recent dead deliveries, breakers long open in live
 * worker rows (filled by each worker process), and when the last alert was created.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { deliveries, notifications, workers } from './db/schema.ts';

export function createAlertsRepo(db: Db) {
  return {
    /** Deliveries now `dead` whose `dead_at` is after `since` (a redriven one counts again only if it dies again). */
    async deadSince(since: Date): Promise<number> {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries)
        .where(and(eq(deliveries.status, 'dead'), sql`${deliveries.deadAt} > ${since.toISOString()}`));
      return r.n;
    },

    /** Breakers of worker rows seen after `seenSince` that are not closed and opened at or before `openedBy`. */
    async longOpenBreakers(seenSince: Date, openedBy: Date): Promise<string[]> {
      const rows = await db.select({ breakers: workers.breakers }).from(workers).where(sql`${workers.lastSeenAt} >= ${seenSince.toISOString()}`);
      const names = new Set<string>();
      for (const row of rows) {
        for (const [provider, b] of Object.entries(row.breakers ?? {})) {
          // half_open still counts: the breaker has not closed since it opened (one probe in flight).
          if (b && b.state !== 'closed' && b.opened_at && Date.parse(b.opened_at) <= openedBy.getTime()) names.add(provider);
        }
      }
      return [...names].sort();
    },

    /** Creation time of the newest notification of `type` requested by `requestedBy`, or null. */
    async lastCreated(type: string, requestedBy: string): Promise<Date | null> {
      const [r] = await db.select({ at: sql<string | null>`max(${notifications.createdAt})` }).from(notifications)
        .where(and(eq(notifications.type, type), eq(notifications.requestedBy, requestedBy)));
      return r?.at ? new Date(r.at) : null;
    },
  };
}

export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
