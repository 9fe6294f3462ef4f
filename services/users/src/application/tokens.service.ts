/**
 * Issuing tokens: access tokens with the claims of 00-conventions §4 (R15), refresh tokens in session
 * families (R16) and service tokens (A7, R22).
 */
import { randomUUID } from 'node:crypto';
import { addMs, DAY } from '../domain/time.ts';
import { newOpaqueToken, sha256Hex } from '../infrastructure/secrets.ts';
import type { KeyStore, RefreshTokenRow, Repos, RequestContext, UserRow } from './ports.ts';
import { toUserView } from './user.view.ts';

export const ACCESS_TTL_S = 3600;
export const SERVICE_TTL_S = 900;
export const REFRESH_TTL_MS = 7 * DAY;
export const FAMILY_TTL_MS = 30 * DAY;

export function createTokenIssuer(keys: KeyStore, jwt: { issuer: string; audience: string }) {
  const withStandard = (claims: Record<string, unknown>) => ({ ...claims, iss: jwt.issuer, aud: jwt.audience });

  async function accessToken(user: UserRow, at: Date) {
    const iat = Math.floor(at.getTime() / 1000);
    const jti = randomUUID();
    const claims: Record<string, unknown> = {
      sub: user.id,
      role: user.role,
      email: user.email,
      name: `${user.firstName} ${user.lastName}`,
      jti,
      must_change_password: user.mustChangePassword,
    };
    if (user.role === 'aprendiz' && user.groupId) {
      claims.group_id = user.groupId;
      claims.group_number = user.groupNumber;
    }
    return keys.sign(withStandard(claims), iat, iat + ACCESS_TTL_S);
  }

  return {
    accessToken,
    /** A new token in a new or existing family (in `tx`); the raw value is returned once and only its hash is kept. */
    async openSession(
      tx: Repos,
      userId: string,
      ctx: RequestContext,
      at: Date,
      family?: { familyId: string; familyStartedAt: Date; parentId: string },
    ): Promise<{ refreshToken: string; row: RefreshTokenRow }> {
      const refreshToken = newOpaqueToken();
      const familyStartedAt = family?.familyStartedAt ?? at;
      const expiresAt = new Date(Math.min(addMs(at, REFRESH_TTL_MS).getTime(), addMs(familyStartedAt, FAMILY_TTL_MS).getTime()));
      const row = await tx.sessions.insert({
        familyId: family?.familyId ?? randomUUID(),
        userId,
        tokenHash: sha256Hex(refreshToken),
        parentId: family?.parentId ?? null,
        issuedAt: at,
        expiresAt,
        familyStartedAt,
        userAgent: ctx.userAgent.slice(0, 200),
        ipMasked: ctx.ipMasked,
        lastUsedAt: at,
      });
      return { refreshToken, row };
    },
    async pair(user: UserRow, session: { refreshToken: string; row: RefreshTokenRow }, at: Date) {
      return {
        access_token: await accessToken(user, at),
        token_type: 'Bearer' as const,
        expires_in: ACCESS_TTL_S,
        refresh_token: session.refreshToken,
        refresh_expires_at: session.row.expiresAt.toISOString(),
        session_id: session.row.familyId,
        must_change_password: user.mustChangePassword,
        user: toUserView(user),
      };
    },
    async serviceToken(client: { id: string; name: string }, at: Date) {
      const iat = Math.floor(at.getTime() / 1000);
      const token = await keys.sign(
        withStandard({ sub: client.id, role: 'service', name: client.name, jti: randomUUID(), must_change_password: false }),
        iat,
        iat + SERVICE_TTL_S,
      );
      return { access_token: token, token_type: 'Bearer' as const, expires_in: SERVICE_TTL_S };
    },
  };
}

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
