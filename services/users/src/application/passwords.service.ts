/**
 * Password changes of every kind (A5, A6, U9) applying R20, and the reset links of R24–R26.
 */
import type { Db } from '@sicora/platform/db';
import { generatePassword, passwordProblems } from '../domain/password.policy.ts';
import { normalizeDocument, normalizeEmail } from '../domain/identity.rules.ts';
import { userErrors } from '../domain/users.errors.ts';
import { addMs, HOUR, localStamp, MINUTE, truncSeconds } from '../domain/time.ts';
import { clearThrottle, countResetTokensSince, insertResetToken, lockResetToken, markResetUsed } from '../infrastructure/auth-state.repo.ts';
import type { UserRow } from '../infrastructure/db/schema.ts';
import { notifyUser, recordEvent } from '../infrastructure/events.repo.ts';
import { newOpaqueToken, sha256Hex } from '../infrastructure/secrets.ts';
import { revokeAllOfUser } from '../infrastructure/sessions.repo.ts';
import { findLive, getUser, updateUser } from '../infrastructure/users.repo.ts';
import type { RequestContext, UsersDeps } from './ports.ts';
import type { TokenIssuer } from './tokens.service.ts';

type Method = 'change' | 'reset' | 'forced_change' | 'staff_reset';
const EVENT_BY_METHOD: Record<Method, string> = {
  change: 'PASSWORD_CHANGED', forced_change: 'PASSWORD_CHANGED', reset: 'PASSWORD_RESET_COMPLETED', staff_reset: 'STAFF_PASSWORD_RESET',
};

export const personalOf = (u: UserRow) => ({ documentNumber: u.documentNumber, firstName: u.firstName, lastName: u.lastName, email: u.email });

export function checkNewPassword(password: string, user: UserRow) {
  const rules = passwordProblems(password, personalOf(user));
  if (rules.length > 0) throw userErrors.weakPassword(rules);
}

export function createPasswordsService(deps: UsersDeps, tokens: TokenIssuer, passwordMatches: (u: UserRow, p: string) => Promise<boolean>) {
  const { database, now, hasher } = deps;

  /** R20: new hash, tokens_valid_after, every family revoked, an event and `user.password_changed`. */
  async function applyChange(tx: Db, user: UserRow, hash: string, method: Method, ctx: RequestContext, at: Date, extra: Record<string, unknown> = {}) {
    const updated = await updateUser(tx, user.id, {
      passwordHash: hash,
      mustChangePassword: method === 'staff_reset',
      passwordChangedAt: at,
      tokensValidAfter: truncSeconds(at),
      updatedAt: at,
      updatedBy: ctx.actorId,
    });
    await revokeAllOfUser(tx, user.id, 'password_changed', at);
    const eventId = await recordEvent(tx, { ...ctx, at }, EVENT_BY_METHOD[method], user.id, { method, ...extra });
    await notifyUser(tx, 'user.password_changed', user.id, {
      first_name: user.firstName, changed_at: localStamp(at, deps.timezone), method,
    }, { priority: 'high', eventId });
    return updated;
  }

  async function issueResetLink(tx: Db, user: UserRow, origin: 'self' | 'staff', ctx: RequestContext, at: Date) {
    const token = newOpaqueToken();
    const minutes = origin === 'self' ? 60 : 1440;
    const expiresAt = addMs(at, minutes * MINUTE);
    await insertResetToken(tx, { userId: user.id, tokenHash: sha256Hex(token), origin, expiresAt, createdAt: at });
    const eventId = await recordEvent(tx, { ...ctx, at }, origin === 'self' ? 'PASSWORD_RESET_REQUESTED' : 'STAFF_PASSWORD_RESET', user.id, {
      delivery: 'email_link', origin,
    });
    await notifyUser(tx, 'user.password_reset_requested', user.id, {
      first_name: user.firstName,
      reset_url: `${deps.publicAppUrl}/reset-password?token=${token}`,
      expires_minutes: minutes,
      requested_by: origin,
    }, { priority: 'high', eventId });
    return expiresAt;
  }

  return {
    async change(userId: string, input: { current_password: string; new_password: string }, ctx: RequestContext) {
      const user = await getUser(database.db, userId);
      if (!user || user.deletedAt) throw userErrors.userNotFound();
      if (!(await passwordMatches(user, input.current_password))) throw userErrors.currentPasswordIncorrect();
      const current = user.passwordHash ? input.current_password : user.documentNumber;
      if (input.new_password === current || (!user.passwordHash && normalizeDocument(input.new_password) === user.documentNumber)) {
        throw userErrors.passwordReused();
      }
      checkNewPassword(input.new_password, user);
      const hash = await hasher.hash(input.new_password);
      const at = now();
      const { fresh, session } = await database.db.transaction(async (tx) => {
        const fresh = await applyChange(tx, user, hash, user.mustChangePassword ? 'forced_change' : 'change', { ...ctx, actorId: user.id }, at);
        const session = await tokens.openSession(tx, user.id, ctx, at);
        return { fresh, session };
      });
      return tokens.pair(fresh, session, at);
    },

    /** A4: the same answer whatever happens (R24). */
    async forgot(identifier: string, ctx: RequestContext) {
      const raw = identifier.trim();
      const user = await findLive(database.db, raw.includes('@') ? { email: normalizeEmail(raw) } : { documentNumber: normalizeDocument(raw) });
      if (!user || !user.isActive) return;
      const at = now();
      await database.db.transaction(async (tx) => {
        if ((await countResetTokensSince(tx, user.id, addMs(at, -HOUR))) >= 3) return;
        await issueResetLink(tx, user, 'self', { ...ctx, actorId: null }, at);
      });
    },

    async reset(input: { token: string; new_password: string }, ctx: RequestContext) {
      const at = now();
      const row = await lockResetToken(database.db, sha256Hex(input.token));
      if (!row || row.usedAt || row.supersededAt || at >= row.expiresAt) throw userErrors.invalidResetToken();
      const user = await getUser(database.db, row.userId);
      if (!user || user.deletedAt || !user.isActive) throw userErrors.invalidResetToken();
      if (user.passwordHash ? await hasher.verify(user.passwordHash, input.new_password) : input.new_password === user.documentNumber) {
        throw userErrors.passwordReused();
      }
      checkNewPassword(input.new_password, user);
      const hash = await hasher.hash(input.new_password);
      await database.db.transaction(async (tx) => {
        const again = await lockResetToken(tx, row.tokenHash);
        if (!again || again.usedAt || again.supersededAt) throw userErrors.invalidResetToken();
        await markResetUsed(tx, row.id, at);
        await applyChange(tx, user, hash, 'reset', { ...ctx, actorId: user.id }, at, { origin: row.origin });
        await clearThrottle(tx, `user:${user.id}`);
      });
    },

    /** U9 after the O1/O2 checks of the caller. */
    async staffReset(target: UserRow, delivery: 'email_link' | 'temporary_password', ctx: RequestContext) {
      if (!target.isActive) throw userErrors.userInactive();
      const at = now();
      if (delivery === 'email_link') {
        const expiresAt = await database.db.transaction((tx) => issueResetLink(tx, target, 'staff', ctx, at));
        return { delivery, link_expires_at: expiresAt.toISOString() };
      }
      const temporary = generatePassword(14, personalOf(target));
      const hash = await hasher.hash(temporary);
      await database.db.transaction((tx) => applyChange(tx, target, hash, 'staff_reset', ctx, at, { delivery }));
      return { delivery, temporary_password: temporary };
    },
  };
}
