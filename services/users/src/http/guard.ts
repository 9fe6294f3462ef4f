/**
 * The users service's own route guard: token verification (local keys), then R19 — a revoked `jti`, an
 * `iat` before the user's `tokens_valid_after`, or an inactive/deleted account — then the
 * password-change gate (R11) and the role check (§2).
 */
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { authenticate } from '@sicora/platform/auth';
import type { Database } from '@sicora/platform/db';
import { errors } from '@sicora/platform/errors';
import type { Role } from '@sicora/platform/roles';
import { eq } from 'drizzle-orm';
import { userErrors } from '../domain/users.errors.ts';
import { isJtiRevoked } from '../infrastructure/auth-state.repo.ts';
import { users } from '../infrastructure/db/schema.ts';

export interface GuardOptions {
  roles?: readonly Role[];
  allowPasswordChange?: boolean;
}

export type Guard = (opts?: GuardOptions) => preHandlerAsyncHookHandler;

export function createGuard(database: Database): Guard {
  async function check(request: FastifyRequest, opts: GuardOptions) {
    const user = await authenticate(request);
    if (await isJtiRevoked(database.db, user.jti)) throw userErrors.tokenRevoked();
    if (user.role !== 'service') {
      const [row] = await database.db
        .select({ isActive: users.isActive, deletedAt: users.deletedAt, tokensValidAfter: users.tokensValidAfter })
        .from(users)
        .where(eq(users.id, user.sub));
      if (!row || row.deletedAt || !row.isActive) throw userErrors.accountDisabled();
      if (user.iat < Math.floor(row.tokensValidAfter.getTime() / 1000)) throw userErrors.tokenRevoked();
    }
    if (user.must_change_password && !opts.allowPasswordChange) throw errors.passwordChangeRequired();
    if (opts.roles && !opts.roles.includes(user.role)) throw userErrors.insufficient();
  }
  return (opts = {}) =>
    async function guard(request) {
      await check(request, opts);
    };
}
