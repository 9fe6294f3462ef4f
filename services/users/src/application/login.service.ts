/**
 * Login (A1) with the lockout of R13: failures through the e-mail and the document number count
 * together per account; unknown identifiers are throttled the same way under their own key (R9).
 */
import { maskIdentifier } from '@sicora/platform/logging';
import { normalizeDocument, normalizeEmail } from '../domain/identity.rules.ts';
import { userErrors } from '../domain/users.errors.ts';
import { addMs, DAY, localStamp, MINUTE } from '../domain/time.ts';
import { sameSecret } from '../infrastructure/password.hasher.ts';
import { sha256Hex } from '../infrastructure/secrets.ts';
import type { RequestContext, ThrottleRow, UserRow, UsersDeps } from './ports.ts';
import type { TokenIssuer } from './tokens.service.ts';

const MAX_FAILURES = 5;
const WINDOW_MS = 15 * MINUTE;
const LOCK_MINUTES = [15, 30, 60, 60];
const MAX_SESSIONS = 10;

export function createLoginService(deps: UsersDeps, tokens: TokenIssuer) {
  const { repos, now, hasher } = deps;

  /** The password check of R7/R8: a stored hash, or the document number compared in constant time. */
  async function passwordMatches(user: UserRow | undefined, password: string): Promise<boolean> {
    if (user?.passwordHash) return hasher.verify(user.passwordHash, password);
    await hasher.dummyVerify(password);
    return !!user && sameSecret(normalizeDocument(password), user.documentNumber);
  }

  async function recordFailure(key: string, user: UserRow | undefined, ctx: RequestContext, identifier: string) {
    const at = now();
    await repos.transaction(async (tx) => {
      const prev = await tx.authState.getThrottle(key);
      const level = prev?.lastFailureAt && prev.lastFailureAt > addMs(at, -DAY) ? prev.lockoutLevel : 0;
      const windowOpen = prev?.windowStartedAt && prev.failedCount > 0 && prev.windowStartedAt > addMs(at, -WINDOW_MS);
      const row: ThrottleRow = {
        key,
        failedCount: windowOpen ? prev!.failedCount + 1 : 1,
        windowStartedAt: windowOpen ? prev!.windowStartedAt : at,
        lockedUntil: prev?.lockedUntil ?? null,
        lockoutLevel: level,
        lastFailureAt: at,
      };
      const locks = row.failedCount >= MAX_FAILURES;
      if (locks) {
        row.lockedUntil = addMs(at, LOCK_MINUTES[Math.min(level, 3)] * MINUTE);
        row.lockoutLevel = Math.min(level + 1, 3);
        row.failedCount = 0;
        row.windowStartedAt = null;
      }
      await tx.authState.saveThrottle(row);
      const ev = { ...ctx, at };
      await tx.events.record(ev, 'LOGIN_FAILED', user?.id ?? null, { identifier_hash: maskIdentifier(identifier), reason: 'invalid_credentials' });
      if (locks && user) {
        const eventId = await tx.events.record(ev, 'LOGIN_LOCKED', user.id, { locked_until: row.lockedUntil!.toISOString(), level: row.lockoutLevel });
        await tx.notifications.user('user.account_locked', user.id, {
          first_name: user.firstName, locked_until: localStamp(row.lockedUntil!, deps.timezone), failed_attempts: MAX_FAILURES,
        }, { priority: 'high', eventId });
      }
    });
  }

  return {
    async login(input: { identifier: string; password: string }, ctx: RequestContext) {
      const raw = input.identifier.trim();
      const normalized = raw.includes('@') ? normalizeEmail(raw) : normalizeDocument(raw);
      const user = await repos.users.findLive(raw.includes('@') ? { email: normalized } : { documentNumber: normalized });
      const key = user ? `user:${user.id}` : `id:${sha256Hex(normalized)}`;
      const throttle = await repos.authState.getThrottle(key);
      const at = now();
      if (throttle?.lockedUntil && throttle.lockedUntil > at) {
        throw userErrors.loginLocked(Math.ceil((throttle.lockedUntil.getTime() - at.getTime()) / 1000));
      }
      if (!(await passwordMatches(user, input.password)) || !user) {
        await recordFailure(key, user, ctx, normalized);
        throw userErrors.invalidCredentials();
      }
      if (!user.isActive) throw userErrors.accountDisabled();
      // R8: a hash made with other parameters is replaced now that the plain password is at hand.
      const rehash = user.passwordHash && hasher.needsRehash(user.passwordHash) ? await hasher.hash(input.password) : undefined;
      const done = now();
      const { fresh, session } = await repos.transaction(async (tx) => {
        await tx.authState.clearThrottle(key);
        const fresh = await tx.users.update(user.id, { lastLoginAt: done, ...(rehash ? { passwordHash: rehash } : {}) });
        const live = await tx.sessions.active(user.id, done);
        if (live.length >= MAX_SESSIONS) {
          await tx.sessions.revokeFamilies(live.slice(0, live.length - MAX_SESSIONS + 1).map((s) => s.familyId), 'session_limit', done);
        }
        const session = await tokens.openSession(tx, user.id, ctx, done);
        await tx.events.record({ ...ctx, at: done }, 'LOGIN_SUCCEEDED', user.id, { method: raw.includes('@') ? 'email' : 'document', session_id: session.row.familyId });
        return { fresh, session };
      });
      return tokens.pair(fresh, session, done);
    },
    passwordMatches,
  };
}

