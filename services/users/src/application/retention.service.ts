/**
 * Retention of R34, run daily: events older than 365 days, expired revoked access tokens, refresh tokens
 * expired more than 30 days ago and reset tokens older than 7 days.
 */
import { addMs, DAY } from '../domain/time.ts';
import type { UsersDeps } from './ports.ts';

export function createRetentionService(deps: Pick<UsersDeps, 'repos' | 'now'>) {
  return {
    async purge(): Promise<void> {
      const at = deps.now();
      await deps.repos.authState.purgeExpired(at, { events: addMs(at, -365 * DAY), refresh: addMs(at, -30 * DAY), reset: addMs(at, -7 * DAY) });
    },
  };
}

export type RetentionService = ReturnType<typeof createRetentionService>;
