/**
 * Device tokens for push (§3.3, D1–D4): registration (moving a token to its new owner), at most 10
 * active per user, disabling, and active counts for the channel decision (R17).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
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

    /** Upsert by token; returns whether it was new to this user. Disables the least recently seen beyond 10. */
    async register(userId: string, d: { token: string; platform: string; app_version?: string; device_name?: string }, at: Date): Promise<{ row: DeviceRow; created: boolean }> {
      return db.transaction(async (tx) => {
        const [existing] = await tx.select().from(deviceTokens).where(eq(deviceTokens.token, d.token));
        let row: DeviceRow;
        let created: boolean;
        if (existing) {
          created = existing.userId !== userId || existing.disabledAt !== null;
          [row] = await tx.update(deviceTokens).set({ userId, platform: d.platform, appVersion: d.app_version ?? existing.appVersion, deviceName: d.device_name ?? existing.deviceName, lastSeenAt: at, disabledAt: null, disabledReason: null })
            .where(eq(deviceTokens.id, existing.id)).returning();
        } else {
          created = true;
          [row] = await tx.insert(deviceTokens).values({ id: randomUUID(), userId, token: d.token, platform: d.platform, appVersion: d.app_version ?? null, deviceName: d.device_name ?? null, createdAt: at, lastSeenAt: at }).returning();
        }
        const active = await tx.select({ id: deviceTokens.id }).from(deviceTokens).where(and(eq(deviceTokens.userId, userId), isNull(deviceTokens.disabledAt))).orderBy(asc(deviceTokens.lastSeenAt));
        const excess = active.slice(0, Math.max(0, active.length - MAX_ACTIVE)).map((r) => r.id).filter((id) => id !== row.id);
        if (excess.length > 0) await tx.update(deviceTokens).set({ disabledAt: at, disabledReason: 'limit' }).where(inArray(deviceTokens.id, excess));
        return { row, created };
      });
    },

    async listActive(userId: string): Promise<DeviceRow[]> {
      return db.select().from(deviceTokens).where(and(eq(deviceTokens.userId, userId), isNull(deviceTokens.disabledAt))).orderBy(asc(deviceTokens.createdAt));
    },

    async disableToken(token: string, reason: string, at: Date): Promise<void> {
      await db.update(deviceTokens).set({ disabledAt: at, disabledReason: reason }).where(and(eq(deviceTokens.token, token), isNull(deviceTokens.disabledAt)));
    },

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
