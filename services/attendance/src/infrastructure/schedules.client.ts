/**
 * The schedules port over the platform's typed service client, with this service's token (attendance
 * applies its own object-level rules first, 00-conventions §4). Whatever keeps schedules from answering —
 * a refusal, 5xx, timeout, open breaker — reaches the use cases as 503 SERVICE_UNAVAILABLE (R45); W3's 404
 * is "no such session" (R1).
 */
import { errors } from '@sicora/platform/errors';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from '@sicora/platform/http-client';
import type { Apprentice, Group, SchedulesPort, Session } from '../application/ports.ts';

const unavailable: ErrorMapper = (err) =>
  err.kind === 'unavailable' && err.code === 'SERVICE_UNAVAILABLE'
    ? undefined
    : errors.unavailable({ service: 'schedules', reason: err.reason, status: err.calleeStatus }, 'El servicio de horarios no pudo responder; intente más tarde');

export function createSchedulesClient(client: Pick<ServiceClient, 'target' | 'request'>): SchedulesPort {
  const schedules = withTypedCalls(client, { mapError: unavailable });
  const opts = { token: 'service' as const };
  return {
    // findData resolves a 404 to undefined before the mapper sees it.
    session: (id, date) => schedules.findData<Session>(`/api/v1/schedules/${id}/sessions/${date}`, opts),
    async sessions(q) {
      const query: Record<string, string | boolean> = { include_cancelled: false };
      for (const [k, v] of Object.entries(q)) if (v !== undefined) query[k] = v;
      return schedules.getData<Session[]>('/api/v1/schedules/sessions', { ...opts, query });
    },
    apprentices: (groupId) => schedules.listAll<Apprentice>(`/api/v1/groups/${groupId}/apprentices`, { ...opts, query: { is_active: true } }),
    async nonTeachingDays(year) {
      const days = await schedules.getData<Array<{ date: string; campus_id: string | null }>>('/api/v1/schedules/non-teaching-days', { ...opts, query: { year } });
      return days.filter((d) => d.campus_id === null).map((d) => d.date);
    },
    async assignedGroups(instructorId, date) {
      const groups = await schedules.listAll<{ id: string }>('/api/v1/groups', { ...opts, query: { instructor_id: instructorId, assigned_on: date } });
      return groups.map((g) => g.id);
    },
    async groupInstructors(groupId, date) {
      const rows = await schedules.getData<Array<{ instructor_id: string }>>(`/api/v1/groups/${groupId}/instructors`, { ...opts, query: { from: date, to: date } });
      return rows.map((r) => r.instructor_id);
    },
    group: (groupId) => schedules.findData<Group>(`/api/v1/groups/${groupId}`, opts),
  };
}
