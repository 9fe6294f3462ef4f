/**
 * Login throttle rows (R13), revoked access tokens (R18), reset tokens (R24–R26) and the retention of R34.
 */
import { and, count, eq, gte, isNull, lt } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import {
  loginThrottle, passwordResetTokens, refreshTokens, revokedAccessTokens, securityEvents,
  type NewResetToken, type ResetTokenRow, type ThrottleRow,
} from './db/schema.ts';

export type { NewResetToken, ResetTokenRow, ThrottleRow };

export function createAuthStateRepo(db: Db) {
  return {
    async getThrottle(key: string): Promise<ThrottleRow | undefined> {
      return (await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)))[0];
    },

    async saveThrottle(row: ThrottleRow): Promise<void> {
      await db.insert(loginThrottle).values(row).onConflictDoUpdate({ target: loginThrottle.key, set: row });
    },

    async clearThrottle(key: string): Promise<boolean> {
      const rows = await db.delete(loginThrottle).where(eq(loginThrottle.key, key)).returning({ key: loginThrottle.key });
      return rows.length > 0;
    },

    async revokeJti(row: { jti: string; userId: string; revokedAt: Date; expiresAt: Date }): Promise<void> {
      await db.insert(revokedAccessTokens).values(row).onConflictDoNothing();
    },

    async isJtiRevoked(jti: string): Promise<boolean> {
      return (await db.select({ jti: revokedAccessTokens.jti }).from(revokedAccessTokens).where(eq(revokedAccessTokens.jti, jti))).length > 0;
    },

    /** K4: jtis revoked since `since` that have not expired at `at`. */
    async revokedJtisSince(since: Date, at: Date): Promise<Array<{ jti: string; expiresAt: Date }>> {
      return db.select({ jti: revokedAccessTokens.jti, expiresAt: revokedAccessTokens.expiresAt }).from(revokedAccessTokens)
        .where(and(gte(revokedAccessTokens.revokedAt, since), gte(revokedAccessTokens.expiresAt, at)));
    },

    /** A new reset link supersedes the user's unused ones (R25). */
    async insertResetToken(row: NewResetToken): Promise<void> {
      await db.update(passwordResetTokens).set({ supersededAt: row.createdAt! })
        .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt), isNull(passwordResetTokens.supersededAt)));
      await db.insert(passwordResetTokens).values(row);
    },

    async countResetTokensSince(userId: string, since: Date): Promise<number> {
      const [{ n }] = await db.select({ n: count() }).from(passwordResetTokens)
        .where(and(eq(passwordResetTokens.userId, userId), eq(passwordResetTokens.origin, 'self'), gte(passwordResetTokens.createdAt, since)));
      return Number(n);
    },

    async lockResetToken(tokenHash: string): Promise<ResetTokenRow | undefined> {
      return (await db.select().from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, tokenHash)).for('update'))[0];
    },

    async markResetUsed(id: string, at: Date): Promise<void> {
      await db.update(passwordResetTokens).set({ usedAt: at }).where(eq(passwordResetTokens.id, id));
    },

    /** The daily retention job (R34). */
    async purgeExpired(at: Date, cutoffs: { events: Date; refresh: Date; reset: Date }): Promise<void> {
      await db.delete(securityEvents).where(lt(securityEvents.occurredAt, cutoffs.events));
      await db.delete(revokedAccessTokens).where(lt(revokedAccessTokens.expiresAt, at));
      await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, cutoffs.refresh));
      await db.delete(passwordResetTokens).where(lt(passwordResetTokens.createdAt, cutoffs.reset));
    },
  };
}

export type AuthStateRepo = ReturnType<typeof createAuthStateRepo>;
