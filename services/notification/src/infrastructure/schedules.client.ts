/**
 * SchedulesPort over the platform's typed service client with the service token (§7): G1, G7 (every
 * page), G8, G9. A 404 for a ficha means it does not exist (null); for the G1 list it is a failure.
 */
import { errors } from '@sicora/platform/errors';
import { isServiceCallError, type TypedCalls } from '@sicora/platform/http-client';
import type { SchedulesPort } from '../application/ports.ts';

/** The call's answer, or null when the callee says the ficha does not exist. */
async function orMissing<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (err) {
    if (isServiceCallError(err) && err.kind === 'not_found') return null;
    throw err;
  }
}

export function createSchedulesClient(client: Pick<TypedCalls, 'getData' | 'listAll'>): SchedulesPort {
  return {
    async groupsByNumbers(numbers) {
      const groups = await client.getData<Array<{ id: string; number: string }>>('/api/v1/groups', {
        query: { numbers: numbers.join(','), page_size: 100 }, token: 'service',
        mapError: (err) => (err.kind === 'not_found' ? errors.badGateway({ service: 'schedules', reason: 'groups_failed', status: 404 }) : undefined),
      });
      return groups.map((g) => ({ id: g.id, number: g.number }));
    },
    async apprentices(groupId) {
      const rows = await orMissing(() => client.listAll<{ id: string }>(`/api/v1/groups/${groupId}/apprentices`, { query: { is_active: true }, pageSize: 100, token: 'service' }));
      return rows && rows.map((a) => a.id);
    },
    async instructors(groupId, date) {
      const rows = await orMissing(() => client.getData<Array<{ instructor_id: string }>>(`/api/v1/groups/${groupId}/instructors`, { query: { from: date, to: date }, token: 'service' }));
      return rows && rows.map((i) => i.instructor_id);
    },
    async isAssigned(groupId, instructorId, date) {
      const data = await orMissing(() => client.getData<{ assigned: boolean }>(`/api/v1/groups/${groupId}/instructors/${instructorId}`, { query: { date }, token: 'service' }));
      return data && data.assigned;
    },
  };
}
