/**
 * Device tokens for push (§3.3, D1–D4): registration (a token taken over by another user disables the
 * old owner's row as `replaced`), at most 10 active per user, disabling, and active counts for the
 * channel decision (R17).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { isUniqueViolation } from '@sicora/platform/db-errors';
import type { Db } from '@sicora/platform/db';
import { deviceTokens } from './db/schema.ts';

export type DeviceRow = typeof deviceTokens.$inferSelect;
const MAX_ACTIVE = 10;

export function createDevicesRepo(db: Db) {
  return {
    async activeCounts(userIds: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (let i = 0; i < userIds.length; i += 1000) {
        const rows = await db.select({ userId: deviceTokens.userId, n: sql<number>`count(*)::int` }).from(deviceTokens)
          .where(and(inArray(deviceTokens.userId, userIds.slice(i, i + 1000)), isNull(deviceTokens.disabledAt))).groupBy(deviceTokens.userId);
        for (const r of rows) out.set(r.userId, r.n);
      }
      return out;
    },

    /**
     * D1: registers `token` for `userId`; `created` is false only when the caller already held it active.
     * A token active for another user means the app on that device now belongs to the caller: that
     * user's row is disabled (`replaced`) and stays theirs, and the caller gets a row of their own (their
     * earlier one for this token, reactivated, or a new one), so no user ever sees or removes another's
     * device (O4). Beyond 10 active devices the least recently seen are disabled (`limit`).
     */
    async register(userId: string, d: { token: string; platform: string; app_version?: string; device_name?: string }, at: Date): Promise<{ row: DeviceRow; created: boolean }> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction(async (tx) => {
            const rows = await tx.select().from(deviceTokens).where(eq(deviceTokens.token, d.token)).orderBy(desc(deviceTokens.lastSeenAt));
            const active = rows.find((r) => r.disabledAt === null);
            const seen = { platform: d.platform, lastSeenAt: at, disabledAt: null, disabledReason: null };
            let row: DeviceRow;
            let created = true;
            if (active?.userId === userId) {
              created = false;
              [row] = await tx.update(deviceTokens).set({ ...seen, appVersion: d.app_version ?? active.appVersion, deviceName: d.device_name ?? active.deviceName })
                .where(eq(deviceTokens.id, active.id)).returning();
            } else {
              if (active) await tx.update(deviceTokens).set({ disabledAt: at, disabledReason: 'replaced' }).where(and(eq(deviceTokens.id, active.id), isNull(deviceTokens.disabledAt)));
              const own = rows.find((r) => r.userId === userId);
              if (own) {
                [row] = await tx.update(deviceTokens).set({ ...seen, appVersion: d.app_version ?? own.appVersion, deviceName: d.device_name ?? own.deviceName })
                  .where(eq(deviceTokens.id, own.id)).returning();
              } else {
                [row] = await tx.insert(deviceTokens).values({ id: randomUUID(), userId, token: d.token, platform: d.platform, appVersion: d.app_version ?? null, deviceName: d.device_name ?? null, createdAt: at, lastSeenAt: at }).returning();
              }
            }
            const mine = await tx.select({ id: deviceTokens.id }).from(deviceTokens).where(and(eq(deviceTokens.userId, userId), isNull(deviceTokens.disabledAt))).orderBy(asc(deviceTokens.lastSeenAt));
            const excess = mine.slice(0, Math.max(0, mine.length - MAX_ACTIVE)).map((r) => r.id).filter((id) => id !== row.id);
            if (excess.length > 0) await tx.update(deviceTokens).set({ disabledAt: at, disabledReason: 'limit' }).where(inArray(deviceTokens.id, excess));
            return { row, created };
          });
        } catch (err) {
          // A concurrent registration of the same token committed first: read again and answer as it left things.
          if (attempt < 3 && isUniqueViolation(err, 'device_tokens_active_token_uq')) continue;
          throw err;
        }
      }
    },

    async listActive(userId: string): Promise<DeviceRow[]> {
      return db.select().from(deviceTokens).where(and(eq(deviceTokens.userId, userId), isNull(deviceTokens.disabledAt))).orderBy(asc(deviceTokens.createdAt));
    },

    async disableToken(token: string, reason: string, at: Date): Promise<void> {
      await db.update(deviceTokens).set({ disabledAt: at, disabledReason: reason }).where(and(eq(deviceTokens.token, token), isNull(deviceTokens.disabledAt)));
    },

    /** D3/D4: disables the caller's own active device by id or token; another user's rows are never touched (O4). */
    async disable(where: { userId: string; id?: string; token?: string }, reason: string, at: Date): Promise<number> {
      const c = [eq(deviceTokens.userId, where.userId), isNull(deviceTokens.disabledAt)];
      if (where.id) c.push(eq(deviceTokens.id, where.id));
      if (where.token) c.push(eq(deviceTokens.token, where.token));
      const rows = await db.update(deviceTokens).set({ disabledAt: at, disabledReason: reason }).where(and(...c)).returning({ id: deviceTokens.id });
      return rows.length;
    },
  };
}

export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
