/**
 * Refresh tokens grouped in session families (§3.4).
 */
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { refreshTokens, type NewRefreshToken, type RefreshTokenRow, type RevokeReason } from './db/schema.ts';

export type { NewRefreshToken, RefreshTokenRow, RevokeReason };

export function createSessionsRepo(db: Db) {
  /**
   * One row per live family of a user (its newest current token: not rotated, not revoked, not expired),
   * least recently used first. A family can hold two current tokens after a within-grace re-rotation (R17).
   */
  async function active(userId: string, at: Date): Promise<RefreshTokenRow[]> {
    const rows = await db.select().from(refreshTokens)
      .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, at)))
      .orderBy(asc(refreshTokens.issuedAt));
    const byFamily = new Map<string, RefreshTokenRow>();
    for (const r of rows) byFamily.set(r.familyId, r);
    return [...byFamily.values()].sort((a, b) => a.lastUsedAt.getTime() - b.lastUsedAt.getTime());
  }

  /** Revokes whole families; returns how many of them were live. */
  async function revokeFamilies(familyIds: string[], reason: RevokeReason, at: Date): Promise<number> {
    if (familyIds.length === 0) return 0;
    const rows = await db.update(refreshTokens).set({ revokedAt: at, revokeReason: reason })
      .where(and(inArray(refreshTokens.familyId, familyIds), isNull(refreshTokens.revokedAt)))
      .returning({ familyId: refreshTokens.familyId, rotatedAt: refreshTokens.rotatedAt, expiresAt: refreshTokens.expiresAt });
    return new Set(rows.filter((r) => !r.rotatedAt && r.expiresAt > at).map((r) => r.familyId)).size;
  }

  return {
    active,
    revokeFamilies,

    async insert(row: NewRefreshToken): Promise<RefreshTokenRow> {
      const [out] = await db.insert(refreshTokens).values(row).returning();
      return out;
    },

    /** Locks the row (`FOR UPDATE`): of two concurrent uses only one rotates, the other is reuse (R16). */
    async lockByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return (await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for('update'))[0];
    },

    async findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      return (await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)))[0];
    },

    async markRotated(id: string, at: Date): Promise<void> {
      await db.update(refreshTokens).set({ rotatedAt: at, lastUsedAt: at }).where(eq(refreshTokens.id, id));
    },

    /** Every token of the user, live or not; returns how many families were live. */
    async revokeAllOfUser(userId: string, reason: RevokeReason, at: Date): Promise<number> {
      const live = await active(userId, at);
      const n = await revokeFamilies(live.map((r) => r.familyId), reason, at);
      await db.update(refreshTokens).set({ revokedAt: at, revokeReason: reason })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
      return n;
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
