/**
 * The users service's own route guard: token verification (local keys), then the access rules of R19,
 * R11 and §2 (application/access.service.ts).
 */
import type { preHandlerAsyncHookHandler } from 'fastify';
import { authenticate } from '@sicora/platform/auth';
import type { AccessRule, AccessService } from '../application/access.service.ts';

export type GuardOptions = AccessRule;
export type Guard = (opts?: GuardOptions) => preHandlerAsyncHookHandler;

export function createGuard(access: AccessService): Guard {
  return (opts = {}) =>
    async function guard(request) {
      await access.check(await authenticate(request), opts);
    };
}
