/**
 * users' U12 (`POST /api/v1/users/lookup`), the people read every domain service makes: by id, in batches
 * of U12's limit (500), with this service's token, retried (a read). A failure reaches the caller as 503
 * SERVICE_UNAVAILABLE naming users, so the services' reads can degrade as their specs say.
 */
import { errors } from './errors.ts';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from './http-client.ts';

export const USERS_LOOKUP_BATCH = 500;

const usersUnavailable: ErrorMapper = (err) =>
  err.kind === 'unavailable' && err.code === 'SERVICE_UNAVAILABLE'
    ? undefined
    : errors.unavailable({ service: 'users', reason: err.reason, status: err.calleeStatus }, 'El servicio de usuarios no pudo responder');

/** A lookup over the service client: the ids' people as U12 returns them (unknown ids left out). */
export function createUsersLookup<T>(client: Pick<ServiceClient, 'target' | 'request'>) {
  const users = withTypedCalls(client, { mapError: usersUnavailable });
  return async (ids: string[]): Promise<T[]> => {
    const unique = [...new Set(ids)];
    const out: T[] = [];
    for (let i = 0; i < unique.length; i += USERS_LOOKUP_BATCH) {
      const { found } = await users.postData<{ found: T[] }>('/api/v1/users/lookup', { ids: unique.slice(i, i + USERS_LOOKUP_BATCH) }, { token: 'service', idempotent: true });
      out.push(...found);
    }
    return out;
  };
}
