/**
 * R19 on every authenticated request, after the signature check: a revoked `jti`, an `iat` before the
 * user's `tokens_valid_after`, or an inactive/deleted account; then the password-change gate (R11) and the
 * role check (§2). Service tokens are checked for a revoked `jti` only.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { errors } from '@sicora/platform/errors';
import type { Role } from '@sicora/platform/roles';
import { userErrors } from '../domain/users.errors.ts';
import type { UsersDeps } from './ports.ts';

export interface AccessRule {
  roles?: readonly Role[];
  /** The routes a user who must change the password may still call (P1, A3, A6). */
  allowPasswordChange?: boolean;
}

export function createAccessService(deps: Pick<UsersDeps, 'repos'>) {
  const { repos } = deps;
  return {
    async check(user: AuthUser, rule: AccessRule): Promise<void> {
      if (await repos.authState.isJtiRevoked(user.jti)) throw userErrors.tokenRevoked();
      if (user.role !== 'service') {
        const row = await repos.users.accessState(user.sub);
        // Disabled is checked first: a deactivation also moves tokens_valid_after.
        if (!row || row.deletedAt || !row.isActive) throw userErrors.accountDisabled();
        if (user.iat < Math.floor(row.tokensValidAfter.getTime() / 1000)) throw userErrors.tokenRevoked();
      }
      if (user.must_change_password && !rule.allowPasswordChange) throw errors.passwordChangeRequired();
      if (rule.roles && !rule.roles.includes(user.role)) throw userErrors.insufficient();
    },
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
