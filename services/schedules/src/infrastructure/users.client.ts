/**
 * HTTP adapter of the users port: U12 lookups in batches of 500 (its limit) and U1 apprentice lists.
 * Transport failures surface as the platform's 503/502/504 AppErrors; a 4xx from users is a bug here.
 */
import { errors } from '@sicora/platform/errors';
import type { ServiceClient } from '@sicora/platform/http-client';
import type { ApprenticeQuery, CallAs, UserRecord, UsersPort } from '../application/ports.ts';

const BATCH = 500;

interface Envelope<T> {
  data: T;
  meta?: { pagination?: { total: number } };
}

function ensureOk(status: number, what: string) {
  if (status >= 400) throw errors.unavailable({ service: 'users', status, call: what }, 'El servicio de usuarios no pudo responder');
}

export function createUsersClient(client: ServiceClient): UsersPort {
  const token = (as: CallAs) => as.token ?? 'service';
  return {
    async lookup(keys, as) {
      const out: UserRecord[] = [];
      const ids = [...new Set(keys.ids ?? [])];
      const docs = [...new Set(keys.document_numbers ?? [])];
      const batches: Array<{ ids?: string[]; document_numbers?: string[] }> = [];
      for (let i = 0; i < ids.length; i += BATCH) batches.push({ ids: ids.slice(i, i + BATCH) });
      for (let i = 0; i < docs.length; i += BATCH) batches.push({ document_numbers: docs.slice(i, i + BATCH) });
      for (const body of batches) {
        const res = await client.request<Envelope<{ found: UserRecord[] }>>({
          method: 'POST',
          path: '/api/v1/users/lookup',
          body,
          token: token(as),
          requestId: as.requestId,
          idempotent: true,
        });
        ensureOk(res.status, 'lookup');
        out.push(...res.body.data.found);
      }
      return out;
    },
    async listApprentices(q: ApprenticeQuery, as) {
      const query: Record<string, string | number | boolean> = { group_id: q.group_id, role: 'aprendiz', page: q.page, page_size: q.page_size };
      if (q.is_active !== undefined) query.is_active = q.is_active;
      if (q.search) query.search = q.search;
      if (q.sort) query.sort = q.sort;
      const res = await client.request<Envelope<UserRecord[]>>({ method: 'GET', path: '/api/v1/users', query, token: token(as), requestId: as.requestId });
      ensureOk(res.status, 'list');
      return { items: res.body.data, total: res.body.meta?.pagination?.total ?? res.body.data.length };
    },
  };
}
