/**
 * Refresh with rotation and reuse detection (A2, R16, R17), logout (A3, R18) and own sessions (P3, P4).
 */
import type { AuthUser } from '@sicora/platform/auth';
import { userErrors } from '../domain/users.errors.ts';
import { localStamp } from '../domain/time.ts';
import { sha256Hex } from '../infrastructure/secrets.ts';
import type { RefreshTokenRow, RequestContext, UserRow, UsersDeps } from './ports.ts';
import type { TokenIssuer } from './tokens.service.ts';

const GRACE_MS = 10_000;

type RefreshOutcome =
  | { kind: 'ok'; user: UserRow; session: { refreshToken: string; row: RefreshTokenRow } }
  | { kind: 'invalid' | 'reused' | 'disabled' };

export function createSessionsService(deps: UsersDeps, tokens: TokenIssuer) {
  const { repos, now } = deps;

  return {
    async refresh(refreshToken: string, ctx: RequestContext) {
      const at = now();
      // Refusals that revoke something commit first and throw after, so the revocation sticks.
      const outcome: RefreshOutcome = await repos.transaction(async (tx) => {
        const row = await tx.sessions.lockByHash(sha256Hex(refreshToken));
        if (!row || row.revokedAt || at >= row.expiresAt) return { kind: 'invalid' };
        if (row.rotatedAt && at.getTime() - row.rotatedAt.getTime() > GRACE_MS) {
          await tx.sessions.revokeFamilies([row.familyId], 'reuse_detected', at);
          const user = await tx.users.get(row.userId);
          const eventId = await tx.events.record({ ...ctx, actorId: null, at }, 'REFRESH_REUSE_DETECTED', row.userId, { session_id: row.familyId });
          if (user) {
            await tx.notifications.user('user.security_alert', row.userId, {
              first_name: user.firstName, detected_at: localStamp(at, deps.timezone), kind: 'refresh_token_reuse',
            }, { priority: 'high', eventId });
          }
          return { kind: 'reused' };
        }
        const user = await tx.users.get(row.userId);
        if (!user || !user.isActive || user.deletedAt) {
          await tx.sessions.revokeAllOfUser(row.userId, 'deactivated', at);
          return { kind: 'disabled' };
        }
        if (!row.rotatedAt) await tx.sessions.markRotated(row.id, at);
        const session = await tokens.openSession(tx, user.id, ctx, at, {
          familyId: row.familyId, familyStartedAt: row.familyStartedAt, parentId: row.id,
        });
        return { kind: 'ok', user, session };
      });
      if (outcome.kind !== 'ok') {
        throw outcome.kind === 'reused' ? userErrors.refreshTokenReused() : outcome.kind === 'disabled' ? userErrors.accountDisabled() : userErrors.invalidRefreshToken();
      }
      return tokens.pair(outcome.user, outcome.session, at);
    },

    async logout(actor: AuthUser, refreshToken: string | undefined, ctx: RequestContext) {
      const at = now();
      return repos.transaction(async (tx) => {
        let revoked = 0;
        if (refreshToken !== undefined) {
          const row = await tx.sessions.findByHash(sha256Hex(refreshToken));
          if (row && row.userId === actor.sub && !row.revokedAt) revoked = await tx.sessions.revokeFamilies([row.familyId], 'logout', at);
        } else {
          revoked = await tx.sessions.revokeAllOfUser(actor.sub, 'logout_all', at);
        }
        await tx.authState.revokeJti({ jti: actor.jti, userId: actor.sub, revokedAt: at, expiresAt: new Date(actor.exp * 1000) });
        await tx.events.record({ ...ctx, at }, 'LOGOUT', actor.sub, { revoked_sessions: revoked, scope: refreshToken === undefined ? 'all' : 'one' });
        return { revoked_sessions: revoked };
      });
    },

    async list(userId: string) {
      const rows = await repos.sessions.active(userId, now());
      return rows
        .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime())
        .map((r) => ({
          id: r.familyId,
          started_at: r.familyStartedAt.toISOString(),
          last_used_at: r.lastUsedAt.toISOString(),
          expires_at: r.expiresAt.toISOString(),
          user_agent: r.userAgent,
          ip_masked: r.ipMasked,
        }));
    },

    async end(userId: string, sessionId: string, ctx: RequestContext) {
      const at = now();
      await repos.transaction(async (tx) => {
        const live = await tx.sessions.active(userId, at);
        if (!live.some((s) => s.familyId === sessionId)) throw userErrors.sessionNotFound();
        await tx.sessions.revokeFamilies([sessionId], 'user_ended', at);
        await tx.events.record({ ...ctx, at }, 'SESSION_ENDED', userId, { session_id: sessionId });
      });
    },
  };
}
