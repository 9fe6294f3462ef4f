/**
 * The users port over the platform's typed service client: U12 lookups in batches of 500 (its limit) and
 * U1 apprentice lists. Whatever keeps users from answering — a refusal (4xx, a bug here), 5xx, timeout,
 * open breaker — reaches the use cases as 503 SERVICE_UNAVAILABLE (schedules.md R2, R26).
 */
import { errors } from '@sicora/platform/errors';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from '@sicora/platform/http-client';
import type { ApprenticeQuery, CallAs, UserRecord, UsersPort } from '../application/ports.ts';

const BATCH = 500;

const unavailable: ErrorMapper = (err) =>
  err.kind === 'unavailable' ? undefined : errors.unavailable({ service: 'users', reason: err.reason, status: err.calleeStatus }, 'El servicio de usuarios no pudo responder');

export function createUsersClient(client: Pick<ServiceClient, 'target' | 'request'>): UsersPort {
  const users = withTypedCalls(client, { mapError: unavailable });
  const auth = (as: CallAs) => ({ token: as.token ?? 'service', requestId: as.requestId });
  return {
    async lookup(keys, as) {
      const ids = [...new Set(keys.ids ?? [])];
      const docs = [...new Set(keys.document_numbers ?? [])];
      const batches: Array<{ ids?: string[]; document_numbers?: string[] }> = [];
      for (let i = 0; i < ids.length; i += BATCH) batches.push({ ids: ids.slice(i, i + BATCH) });
      for (let i = 0; i < docs.length; i += BATCH) batches.push({ document_numbers: docs.slice(i, i + BATCH) });
      const out: UserRecord[] = [];
      for (const body of batches) {
        // A lookup reads: safe to retry.
        const { found } = await users.postData<{ found: UserRecord[] }>('/api/v1/users/lookup', body, { ...auth(as), idempotent: true });
        out.push(...found);
      }
      return out;
    },
    async listApprentices(q: ApprenticeQuery, as) {
      const query: Record<string, string | boolean> = { group_id: q.group_id, role: 'aprendiz' };
      if (q.is_active !== undefined) query.is_active = q.is_active;
      if (q.search) query.search = q.search;
      if (q.sort) query.sort = q.sort;
      const page = await users.getPage<UserRecord>('/api/v1/users', { ...auth(as), query, page: q.page, pageSize: q.page_size });
      return { items: page.items, total: page.pagination.total };
    },
  };
}
