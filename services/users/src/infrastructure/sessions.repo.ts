/**
 * Refresh tokens grouped in session families (§3.4).
 */
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { refreshTokens, type RefreshTokenRow, type RevokeReason } from './db/schema.ts';

export type NewRefreshToken = typeof refreshTokens.$inferInsert;

export async function insertToken(db: Db, row: NewRefreshToken): Promise<RefreshTokenRow> {
  const [out] = await db.insert(refreshTokens).values(row).returning();
  return out;
}

/** Locks the row (`FOR UPDATE`): of two concurrent uses only one rotates, the other is reuse (R16). */
export async function lockByHash(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const rows = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).for('update');
  return rows[0];
}

export async function findByHash(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  const rows = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
  return rows[0];
}

export async function markRotated(db: Db, id: string, at: Date): Promise<void> {
  await db.update(refreshTokens).set({ rotatedAt: at, lastUsedAt: at }).where(eq(refreshTokens.id, id));
}

/**
 * One row per live family of a user (its newest current token: not rotated, not revoked, not expired),
 * least recently used first. A family can hold two current tokens after a within-grace re-rotation (R17).
 */
export async function activeSessions(db: Db, userId: string, at: Date): Promise<RefreshTokenRow[]> {
  const rows = await db.select().from(refreshTokens)
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.rotatedAt), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, at)))
    .orderBy(asc(refreshTokens.issuedAt));
  const byFamily = new Map<string, RefreshTokenRow>();
  for (const r of rows) byFamily.set(r.familyId, r);
  return [...byFamily.values()].sort((a, b) => a.lastUsedAt.getTime() - b.lastUsedAt.getTime());
}

/** Revokes whole families; returns how many of them were live. */
export async function revokeFamilies(db: Db, familyIds: string[], reason: RevokeReason, at: Date): Promise<number> {
  if (familyIds.length === 0) return 0;
  const rows = await db.update(refreshTokens).set({ revokedAt: at, revokeReason: reason })
    .where(and(inArray(refreshTokens.familyId, familyIds), isNull(refreshTokens.revokedAt)))
    .returning({ familyId: refreshTokens.familyId, rotatedAt: refreshTokens.rotatedAt, expiresAt: refreshTokens.expiresAt });
  return new Set(rows.filter((r) => !r.rotatedAt && r.expiresAt > at).map((r) => r.familyId)).size;
}

export async function revokeAllOfUser(db: Db, userId: string, reason: RevokeReason, at: Date): Promise<number> {
  const live = await activeSessions(db, userId, at);
  const n = await revokeFamilies(db, live.map((r) => r.familyId), reason, at);
  await db.update(refreshTokens).set({ revokedAt: at, revokeReason: reason })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
  return n;
}

export async function touchFamily(db: Db, familyId: string, at: Date): Promise<void> {
  await db.update(refreshTokens).set({ lastUsedAt: at }).where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.rotatedAt)));
}


