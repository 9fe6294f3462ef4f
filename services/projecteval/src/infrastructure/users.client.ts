/** The users port (§7): U12 lookups in batches of 500 with this service's token. */
import { errors } from '@sicora/platform/errors';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from '@sicora/platform/http-client';
import type { Person, UsersPort } from '../application/ports.ts';

const BATCH = 500;

const unavailable: ErrorMapper = (err) =>
  err.kind === 'unavailable' && err.code === 'SERVICE_UNAVAILABLE'
    ? undefined
    : errors.unavailable({ service: 'users', reason: err.reason, status: err.calleeStatus }, 'El servicio de usuarios no pudo responder');

export function createUsersClient(client: Pick<ServiceClient, 'target' | 'request'>): UsersPort {
  const users = withTypedCalls(client, { mapError: unavailable });
  return {
    async lookup(ids) {
      const unique = [...new Set(ids)];
      const out: Person[] = [];
      for (let i = 0; i < unique.length; i += BATCH) {
        const { found } = await users.postData<{ found: Person[] }>('/api/v1/users/lookup', { ids: unique.slice(i, i + BATCH) }, { token: 'service', idempotent: true });
        out.push(...found);
      }
      return out;
    },
  };
}
