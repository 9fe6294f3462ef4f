/**
 * The schedules port over the platform's typed service client, with this service's token (evalin applies
 * its own object-level rules first, 00-conventions §4). Failures reach the use cases as 503.
 */
import { errors } from '@sicora/platform/errors';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from '@sicora/platform/http-client';
import type { Apprentice, Group, GroupInstructor, SchedulesPort } from '../application/ports.ts';

const unavailable: ErrorMapper = (err) =>
  err.kind === 'unavailable' && err.code === 'SERVICE_UNAVAILABLE'
    ? undefined
    : errors.unavailable({ service: 'schedules', reason: err.reason, status: err.calleeStatus }, 'El servicio de horarios no pudo responder; intente más tarde');

export function createSchedulesClient(client: Pick<ServiceClient, 'target' | 'request'>): SchedulesPort {
  const schedules = withTypedCalls(client, { mapError: unavailable });
  const opts = { token: 'service' as const };
  return {
    async group(groupId) {
      const g = await schedules.findData<Group>(`/api/v1/groups/${groupId}`, opts);
      return g ? { id: g.id, number: g.number, is_active: g.is_active, director_id: g.director_id ?? null } : undefined;
    },
    async instructors(groupId, from, to) {
      const rows = (await schedules.findData<Array<GroupInstructor & { via: string[] }>>(`/api/v1/groups/${groupId}/instructors`, { ...opts, query: { from, to } })) ?? [];
      return rows.filter((r) => r.via.includes('schedule')).map((r) => ({ instructor_id: r.instructor_id, full_name: r.full_name, subjects: r.subjects }));
    },
    async apprentices(groupId) {
      const rows = await schedules.listAll<Apprentice>(`/api/v1/groups/${groupId}/apprentices`, { ...opts, query: { is_active: true } });
      return rows.map((r) => ({ id: r.id, first_name: r.first_name, last_name: r.last_name, full_name: r.full_name ?? ([r.first_name, r.last_name].filter(Boolean).join(' ') || null), email: r.email ?? null }));
    },
  };
}
