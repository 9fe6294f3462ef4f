/**
 * The admin API's guard (gateway.md §2): a verified token (with the gateway's claim cache and
 * revocation data) whose role is admin; anything else 401/403.
 */
import type { FastifyRequest } from 'fastify';
import { bearerToken, tagGuard, type AuthUser } from '@sicora/platform/auth';
import { errors } from '@sicora/platform/errors';
import { ADMINS } from '@sicora/platform/roles';
import type { GatewayAuth } from '../infrastructure/token-auth.ts';

export function createAdminGuard(auth: GatewayAuth) {
  async function identify(request: FastifyRequest): Promise<AuthUser | null> {
    const token = bearerToken(request);
    if (!token) return null;
    const user = await auth.authenticate(token);
    request.gw.userId = user.sub;
    request.gw.role = user.role;
    return user;
  }
  return {
    identify,
    /**
     * Tagged with its roles: a plugin guards all its routes with `guardRoutes(app, guard.requireAdmin)`,
     * which the platform runs before the body is read and validated and documents as `x-roles: [admin]`.
     */
    requireAdmin: tagGuard(async (request: FastifyRequest): Promise<void> => {
      const user = await identify(request);
      if (!user) throw errors.unauthenticated();
      if (user.must_change_password) throw errors.passwordChangeRequired();
      if (user.role !== 'admin') throw errors.forbidden('No tiene permisos para esta acción', { required_roles: ADMINS });
    }, { roles: ADMINS }),
  };
}

export type AdminGuard = ReturnType<typeof createAdminGuard>;

export function actor(request: FastifyRequest): string | null {
  return request.gw?.userId ?? null;
}
