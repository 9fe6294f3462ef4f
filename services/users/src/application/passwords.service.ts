/**
 * Password changes of every kind (A5, A6, U9) applying R20, and the reset links of R24–R26.
 */
import { generatePassword, passwordProblems } from '../domain/password.policy.ts';
import { normalizeDocument, normalizeEmail } from '../domain/identity.rules.ts';
import { userErrors } from '../domain/users.errors.ts';
import { addMs, HOUR, localStamp, MINUTE, truncSeconds } from '../domain/time.ts';
import { newOpaqueToken, sha256Hex } from '../infrastructure/secrets.ts';
import type { Repos, RequestContext, UserRow, UsersDeps } from './ports.ts';
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
  const { repos, now, hasher } = deps;

  /** R20: new hash, tokens_valid_after, every family revoked, an event and `user.password_changed`. */
  async function applyChange(tx: Repos, user: UserRow, hash: string, method: Method, ctx: RequestContext, at: Date, extra: Record<string, unknown> = {}) {
    const updated = await tx.users.update(user.id, {
      passwordHash: hash,
      mustChangePassword: method === 'staff_reset',
      passwordChangedAt: at,
      tokensValidAfter: truncSeconds(at),
      updatedAt: at,
      updatedBy: ctx.actorId,
    });
    await tx.sessions.revokeAllOfUser(user.id, 'password_changed', at);
    const eventId = await tx.events.record({ ...ctx, at }, EVENT_BY_METHOD[method], user.id, { method, ...extra });
    await tx.notifications.user('user.password_changed', user.id, {
      first_name: user.firstName, changed_at: localStamp(at, deps.timezone), method,
    }, { priority: 'high', eventId });
    return updated;
  }

  async function issueResetLink(tx: Repos, user: UserRow, origin: 'self' | 'staff', ctx: RequestContext, at: Date) {
    const token = newOpaqueToken();
    const minutes = origin === 'self' ? 60 : 1440;
    const expiresAt = addMs(at, minutes * MINUTE);
    await tx.authState.insertResetToken({ userId: user.id, tokenHash: sha256Hex(token), origin, expiresAt, createdAt: at });
    const eventId = await tx.events.record({ ...ctx, at }, origin === 'self' ? 'PASSWORD_RESET_REQUESTED' : 'STAFF_PASSWORD_RESET', user.id, {
      delivery: 'email_link', origin,
    });
    await tx.notifications.user('user.password_reset_requested', user.id, {
      first_name: user.firstName,
      reset_url: `${deps.publicAppUrl}/reset-password?token=${token}`,
      expires_minutes: minutes,
      requested_by: origin,
    }, { priority: 'high', eventId });
    return expiresAt;
  }

  return {
    async change(userId: string, input: { current_password: string; new_password: string }, ctx: RequestContext) {
      const user = await repos.users.get(userId);
      if (!user || user.deletedAt) throw userErrors.userNotFound();
      if (!(await passwordMatches(user, input.current_password))) throw userErrors.currentPasswordIncorrect();
      const current = user.passwordHash ? input.current_password : user.documentNumber;
      if (input.new_password === current || (!user.passwordHash && normalizeDocument(input.new_password) === user.documentNumber)) {
        throw userErrors.passwordReused();
      }
      checkNewPassword(input.new_password, user);
      const hash = await hasher.hash(input.new_password);
      const at = now();
      const { fresh, session } = await repos.transaction(async (tx) => {
        const fresh = await applyChange(tx, user, hash, user.mustChangePassword ? 'forced_change' : 'change', { ...ctx, actorId: user.id }, at);
        const session = await tokens.openSession(tx, user.id, ctx, at);
        return { fresh, session };
      });
      return tokens.pair(fresh, session, at);
    },

    /** A4: the same answer whatever happens (R24). */
    async forgot(identifier: string, ctx: RequestContext) {
      const raw = identifier.trim();
      const user = await repos.users.findLive(raw.includes('@') ? { email: normalizeEmail(raw) } : { documentNumber: normalizeDocument(raw) });
      if (!user || !user.isActive) return;
      const at = now();
      await repos.transaction(async (tx) => {
        if ((await tx.authState.countResetTokensSince(user.id, addMs(at, -HOUR))) >= 3) return;
        await issueResetLink(tx, user, 'self', { ...ctx, actorId: null }, at);
      });
    },

    async reset(input: { token: string; new_password: string }, ctx: RequestContext) {
      const at = now();
      const row = await repos.authState.lockResetToken(sha256Hex(input.token));
      if (!row || row.usedAt || row.supersededAt || at >= row.expiresAt) throw userErrors.invalidResetToken();
      const user = await repos.users.get(row.userId);
      if (!user || user.deletedAt || !user.isActive) throw userErrors.invalidResetToken();
      if (user.passwordHash ? await hasher.verify(user.passwordHash, input.new_password) : input.new_password === user.documentNumber) {
        throw userErrors.passwordReused();
      }
      checkNewPassword(input.new_password, user);
      const hash = await hasher.hash(input.new_password);
      await repos.transaction(async (tx) => {
        const again = await tx.authState.lockResetToken(row.tokenHash);
        if (!again || again.usedAt || again.supersededAt) throw userErrors.invalidResetToken();
        await tx.authState.markResetUsed(row.id, at);
        await applyChange(tx, user, hash, 'reset', { ...ctx, actorId: user.id }, at, { origin: row.origin });
        await tx.authState.clearThrottle(`user:${user.id}`);
      });
    },

    /** U9 after the O1/O2 checks of the caller. */
    async staffReset(target: UserRow, delivery: 'email_link' | 'temporary_password', ctx: RequestContext) {
      if (!target.isActive) throw userErrors.userInactive();
      const at = now();
      if (delivery === 'email_link') {
        const expiresAt = await repos.transaction((tx) => issueResetLink(tx, target, 'staff', ctx, at));
        return { delivery, link_expires_at: expiresAt.toISOString() };
      }
      const temporary = generatePassword(14, personalOf(target));
      const hash = await hasher.hash(temporary);
      await repos.transaction((tx) => applyChange(tx, target, hash, 'staff_reset', ctx, at, { delivery }));
      return { delivery, temporary_password: temporary };
    },
  };
}
