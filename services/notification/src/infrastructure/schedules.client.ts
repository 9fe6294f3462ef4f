/**
 * SchedulesPort over HTTP with the service token (§7): G1, G7 (every page), G8, G9.
 */
import { errors } from '@sicora/platform/errors';
import type { ServiceClient } from '@sicora/platform/http-client';
import type { SchedulesPort } from '../application/ports.ts';

function ensureOk(status: number, what: string) {
  if (status >= 400) throw errors.badGateway({ service: 'schedules', reason: what, status });
}

export function createSchedulesClient(client: ServiceClient): SchedulesPort {
  return {
    async groupsByNumbers(numbers) {
      const res = await client.request<{ data: Array<{ id: string; number: string }> }>({ method: 'GET', path: '/api/v1/groups', query: { numbers: numbers.join(','), page_size: 100 }, token: 'service' });
      ensureOk(res.status, 'groups_failed');
      return res.body.data.map((g) => ({ id: g.id, number: g.number }));
    },
    async apprentices(groupId) {
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const res = await client.request<{ data: Array<{ id: string }>; meta: { pagination: { has_next: boolean } } }>({ method: 'GET', path: `/api/v1/groups/${groupId}/apprentices`, query: { is_active: true, page, page_size: 100 }, token: 'service' });
        if (res.status === 404) return null;
        ensureOk(res.status, 'apprentices_failed');
        ids.push(...res.body.data.map((a) => a.id));
        if (!res.body.meta.pagination.has_next) return ids;
      }
    },
    async instructors(groupId, date) {
      const res = await client.request<{ data: Array<{ instructor_id: string }> }>({ method: 'GET', path: `/api/v1/groups/${groupId}/instructors`, query: { from: date, to: date }, token: 'service' });
      if (res.status === 404) return null;
      ensureOk(res.status, 'instructors_failed');
      return res.body.data.map((i) => i.instructor_id);
    },
    async isAssigned(groupId, instructorId, date) {
      const res = await client.request<{ data: { assigned: boolean } }>({ method: 'GET', path: `/api/v1/groups/${groupId}/instructors/${instructorId}`, query: { date }, token: 'service' });
      if (res.status === 404) return null;
      ensureOk(res.status, 'assignment_failed');
      return res.body.data.assigned;
    },
  };
}
