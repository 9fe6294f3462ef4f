/**
 * The users port: U12 through the platform's lookup (batches of 500, this service's token), names kept as
 * null when users leaves them out.
 */
import type { ServiceClient } from '@sicora/platform/http-client';
import { createUsersLookup } from '@sicora/platform/users-lookup';
import type { Person, UsersPort } from '../application/ports.ts';

export function createUsersClient(client: Pick<ServiceClient, 'target' | 'request'>): UsersPort {
  const lookup = createUsersLookup<Partial<Person> & { id: string }>(client);
  return {
    async lookup(ids) {
      return (await lookup(ids)).map((p) => ({ id: p.id, full_name: p.full_name ?? null, first_name: p.first_name ?? null, last_name: p.last_name ?? null }));
    },
  };
}
