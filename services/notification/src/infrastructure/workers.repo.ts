/**
 * The `workers` table (§3.3, R26): one row per worker process, refreshed by its heartbeat with the
 * process's provider breakers (R40), read by A8 (workers seen), A9 (breakers across workers) and R58.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { workers } from './db/schema.ts';

export interface BreakerReport { state: string; opened_at: string | null }

export function createWorkersRepo(db: Db) {
  return {
    /** Upserts this process's row: `last_seen_at` and `breakers` now, `started_at` on the first beat. */
    async beat(id: string, at: Date, breakers: Record<string, BreakerReport>): Promise<void> {
      await db.insert(workers).values({ id, startedAt: at, lastSeenAt: at, breakers })
        .onConflictDoUpdate({ target: workers.id, set: { lastSeenAt: at, breakers } });
    },

    /** Rows not seen since `before` (processes gone for good). */
    async pruneUnseenSince(before: Date): Promise<void> {
      await db.delete(workers).where(sql`${workers.lastSeenAt} < ${before.toISOString()}`);
    },

    /** A9: the `breakers` of every worker row seen since `since` (live workers, R40). */
    async liveBreakers(since: Date): Promise<Array<Record<string, BreakerReport>>> {
      const rows = await db.select({ breakers: workers.breakers }).from(workers).where(sql`${workers.lastSeenAt} >= ${since.toISOString()}`);
      return rows.map((r) => r.breakers ?? {});
    },

    /** A8: how many worker rows were seen since `since`. */
    async seenSince(since: Date): Promise<number> {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(workers).where(sql`${workers.lastSeenAt} >= ${since.toISOString()}`);
      return r.n;
    },
  };
}

export type WorkersRepo = ReturnType<typeof createWorkersRepo>;
