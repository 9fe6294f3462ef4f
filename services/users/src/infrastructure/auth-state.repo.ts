/**
 * Login throttle rows (R13), revoked access tokens (R18), reset tokens (R24–R26) and service clients (R22).
 */
import { and, count, eq, gt, gte, isNull, lt } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { loginThrottle, passwordResetTokens, refreshTokens, revokedAccessTokens, securityEvents, serviceClients, users } from './db/schema.ts';

export type ThrottleRow = typeof loginThrottle.$inferSelect;

export async function getThrottle(db: Db, key: string): Promise<ThrottleRow | undefined> {
  return (await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)))[0];
}

export async function saveThrottle(db: Db, row: ThrottleRow): Promise<void> {
  await db.insert(loginThrottle).values(row).onConflictDoUpdate({ target: loginThrottle.key, set: row });
}

export async function clearThrottle(db: Db, key: string): Promise<boolean> {
  const rows = await db.delete(loginThrottle).where(eq(loginThrottle.key, key)).returning({ key: loginThrottle.key });
  return rows.length > 0;
}

export async function revokeJti(db: Db, row: { jti: string; userId: string; revokedAt: Date; expiresAt: Date }): Promise<void> {
  await db.insert(revokedAccessTokens).values(row).onConflictDoNothing();
}

export async function isJtiRevoked(db: Db, jti: string): Promise<boolean> {
  return (await db.select({ jti: revokedAccessTokens.jti }).from(revokedAccessTokens).where(eq(revokedAccessTokens.jti, jti))).length > 0;
}

export async function revocationsSince(db: Db, since: Date, at: Date) {
  const jtis = await db.select({ jti: revokedAccessTokens.jti, expiresAt: revokedAccessTokens.expiresAt }).from(revokedAccessTokens)
    .where(and(gte(revokedAccessTokens.revokedAt, since), gte(revokedAccessTokens.expiresAt, at)));
  const changed = await db.select({ userId: users.id, tokensValidAfter: users.tokensValidAfter }).from(users)
    // Accounts never changed since their creation have no earlier tokens to refuse: left out of the feed.
    .where(and(gte(users.tokensValidAfter, since), gt(users.tokensValidAfter, users.createdAt)));
  return { jtis, changed };
}

export type ResetTokenRow = typeof passwordResetTokens.$inferSelect;

export async function insertResetToken(db: Db, row: typeof passwordResetTokens.$inferInsert): Promise<void> {
  await db.update(passwordResetTokens).set({ supersededAt: row.createdAt! })
    .where(and(eq(passwordResetTokens.userId, row.userId), isNull(passwordResetTokens.usedAt), isNull(passwordResetTokens.supersededAt)));
  await db.insert(passwordResetTokens).values(row);
}

export async function countResetTokensSince(db: Db, userId: string, since: Date): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(passwordResetTokens)
    .where(and(eq(passwordResetTokens.userId, userId), eq(passwordResetTokens.origin, 'self'), gte(passwordResetTokens.createdAt, since)));
  return Number(n);
}

export async function lockResetToken(db: Db, tokenHash: string): Promise<ResetTokenRow | undefined> {
  return (await db.select().from(passwordResetTokens).where(eq(passwordResetTokens.tokenHash, tokenHash)).for('update'))[0];
}

export async function markResetUsed(db: Db, id: string, at: Date): Promise<void> {
  await db.update(passwordResetTokens).set({ usedAt: at }).where(eq(passwordResetTokens.id, id));
}

export type ServiceClientRow = typeof serviceClients.$inferSelect;

export async function findClient(db: Db, name: string): Promise<ServiceClientRow | undefined> {
  return (await db.select().from(serviceClients).where(eq(serviceClients.name, name)))[0];
}

export async function touchClient(db: Db, id: string, at: Date): Promise<void> {
  await db.update(serviceClients).set({ lastUsedAt: at }).where(eq(serviceClients.id, id));
}

/** The daily retention job (R34). */
export async function purgeExpired(db: Db, at: Date, cutoffs: { events: Date; refresh: Date; reset: Date }): Promise<void> {
  await db.delete(securityEvents).where(lt(securityEvents.occurredAt, cutoffs.events));
  await db.delete(revokedAccessTokens).where(lt(revokedAccessTokens.expiresAt, at));
  await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, cutoffs.refresh));
  await db.delete(passwordResetTokens).where(lt(passwordResetTokens.createdAt, cutoffs.reset));
}
