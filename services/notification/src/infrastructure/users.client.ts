/**
 * UsersPort over the platform's typed service client with the service token (§7): U12 lookup in chunks
 * of 500, U1 by role (every page of 100). A 404 here means a misrouted or outdated users service, a
 * failure like any other for the fan-out (retried, R11), hence mapped to BAD_GATEWAY.
 */
import { errors } from '@sicora/platform/errors';
import type { ErrorMapper, TypedCalls } from '@sicora/platform/http-client';
import type { Person, UsersPort } from '../application/ports.ts';

interface Card { id: string; first_name: string; last_name: string; full_name: string; role: string; email?: string | null; phone?: string | null; is_active: boolean; is_deleted?: boolean }

const notFoundIsFailure = (reason: string): ErrorMapper => (err) => (err.kind === 'not_found' ? errors.badGateway({ service: 'users', reason, status: 404 }) : undefined);

export function createUsersClient(client: Pick<TypedCalls, 'postData' | 'listAll'>): UsersPort {
  return {
    async lookup(ids) {
      const found: Person[] = [];
      const missing: string[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const data = await client.postData<{ found: Card[]; missing: Array<{ key: string; value: string }> }>(
          '/api/v1/users/lookup', { ids: ids.slice(i, i + 500) }, { token: 'service', idempotent: true, mapError: notFoundIsFailure('lookup_failed') });
        for (const c of data.found) found.push({ ...c, email: c.email ?? null, phone: c.phone ?? null, is_deleted: c.is_deleted ?? false });
        for (const m of data.missing) missing.push(m.value);
      }
      return { found, missing };
    },
    async idsByRole(role) {
      const users = await client.listAll<{ id: string }>('/api/v1/users', { query: { role, is_active: true }, pageSize: 100, token: 'service', mapError: notFoundIsFailure('list_failed') });
      return users.map((u) => u.id);
    },
  };
}
