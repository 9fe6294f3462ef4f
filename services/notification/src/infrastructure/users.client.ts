/**
 * UsersPort over HTTP with the service token (§7): U12 lookup in chunks of 500, U1 by role (pages of 100).
 */
import { errors } from '@sicora/platform/errors';
import type { ServiceClient } from '@sicora/platform/http-client';
import type { Person, UsersPort } from '../application/ports.ts';

interface Card { id: string; first_name: string; last_name: string; full_name: string; role: string; email?: string | null; phone?: string | null; is_active: boolean; is_deleted?: boolean }

function ensureOk(status: number, what: string) {
  if (status >= 400) throw errors.badGateway({ service: 'users', reason: what, status });
}

export function createUsersClient(client: ServiceClient): UsersPort {
  return {
    async lookup(ids) {
      const found: Person[] = [];
      const missing: string[] = [];
      for (let i = 0; i < ids.length; i += 500) {
        const res = await client.request<{ data: { found: Card[]; missing: Array<{ key: string; value: string }> } }>({ method: 'POST', path: '/api/v1/users/lookup', body: { ids: ids.slice(i, i + 500) }, token: 'service', idempotent: true });
        ensureOk(res.status, 'lookup_failed');
        for (const c of res.body.data.found) found.push({ ...c, email: c.email ?? null, phone: c.phone ?? null, is_deleted: c.is_deleted ?? false });
        for (const m of res.body.data.missing) missing.push(m.value);
      }
      return { found, missing };
    },
    async idsByRole(role) {
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const res = await client.request<{ data: Array<{ id: string }>; meta: { pagination: { has_next: boolean } } }>({ method: 'GET', path: '/api/v1/users', query: { role, is_active: true, page, page_size: 100 }, token: 'service' });
        ensureOk(res.status, 'list_failed');
        ids.push(...res.body.data.map((u) => u.id));
        if (!res.body.meta.pagination.has_next) return ids;
      }
    },
  };
}
