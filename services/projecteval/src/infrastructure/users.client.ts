/** The users port (§7): U12 through the platform's lookup (batches of 500, this service's token). */
import type { ServiceClient } from '@sicora/platform/http-client';
import { createUsersLookup } from '@sicora/platform/users-lookup';
import type { Person, UsersPort } from '../application/ports.ts';

export function createUsersClient(client: Pick<ServiceClient, 'target' | 'request'>): UsersPort {
  return { lookup: createUsersLookup<Person>(client) };
}
