/**
 * Keys and the revocation feed (K1–K4, R18, R23): the published JWKS, the registered keys, a rotation with
 * its security event, and what changed since a consumer's last poll.
 */
import { errors } from '@sicora/platform/errors';
import { userErrors } from '../domain/users.errors.ts';
import { addMs, HOUR, truncSeconds } from '../domain/time.ts';
import type { RequestContext, UsersDeps } from './ports.ts';

export function createKeysService(deps: Pick<UsersDeps, 'repos' | 'keys' | 'now'>) {
  const { repos, keys, now } = deps;
  return {
    /** K1: read fresh, so a rotation made by another replica shows at once. */
    async jwks() {
      await keys.reload();
      return keys.jwks();
    },

    async list() {
      await keys.reload();
      return keys.list();
    },

    async rotate(ctx: RequestContext) {
      if (keys.managedByConfig) throw userErrors.keysManagedByConfig();
      const result = await keys.rotate();
      await repos.events.record({ ...ctx, at: now() }, 'KEY_ROTATED', null, { active_kid: result.active_kid, retiring_kid: result.retiring_kid });
      return result;
    },

    /** K4: at most two hours back; `until` (5 s behind now) is the consumer's next `since`. */
    async revocations(sinceIso: string) {
      const asked = new Date(sinceIso);
      if (Number.isNaN(asked.getTime())) throw errors.validation([{ field: 'since', reason: 'format', message: 'Instante ISO-8601 no válido' }]);
      const at = now();
      const floor = addMs(at, -2 * HOUR);
      const since = asked < floor ? floor : asked;
      const jtis = await repos.authState.revokedJtisSince(since, at);
      const changed = await repos.users.validityChangedSince(since);
      return { jtis, changed, until: truncSeconds(addMs(at, -5000)) };
    },
  };
}

export type KeysService = ReturnType<typeof createKeysService>;
