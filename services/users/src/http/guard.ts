/**
 * The users service's own route guard: token verification (local keys), then the access rules of R19,
 * R11 and §2 (application/access.service.ts). Tagged like the platform's `requireAuth`, so wherever a
 * route lists it the platform runs it before the body is read and validated, and documents its roles as
 * the operation's `x-roles`.
 */
import { authenticate, tagGuard, type RouteGuard } from '@sicora/platform/auth';
import type { AccessRule, AccessService } from '../application/access.service.ts';

export type GuardOptions = AccessRule;
export type Guard = (opts?: GuardOptions) => RouteGuard;

export function createGuard(access: AccessService): Guard {
  return (opts = {}) =>
    tagGuard(
      async function guard(request) {
        await access.check(await authenticate(request), opts);
      },
      { roles: opts.roles ?? null },
    );
}
