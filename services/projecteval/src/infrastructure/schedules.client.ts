/**
 * The schedules port (§7) over the platform's typed client with this service's token (projecteval has
 * already applied its own rules, 00-conventions §4). 404s become `undefined`; anything else that keeps
 * schedules from answering is 503 SERVICE_UNAVAILABLE.
 */
import { errors } from '@sicora/platform/errors';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from '@sicora/platform/http-client';
import type { Apprentice, Group, SchedulesPort } from '../application/ports.ts';

const unavailable: ErrorMapper = (err) =>
  err.kind === 'unavailable' && err.code === 'SERVICE_UNAVAILABLE'
    ? undefined
    : errors.unavailable({ service: 'schedules', reason: err.reason, status: err.calleeStatus }, 'El servicio de horarios no pudo responder; intente más tarde');

export function createSchedulesClient(client: Pick<ServiceClient, 'target' | 'request'>): SchedulesPort {
  const schedules = withTypedCalls(client, { mapError: unavailable });
  const opts = { token: 'service' as const };
  return {
    group: (groupId) => schedules.findData<Group>(`/api/v1/groups/${groupId}`, opts),
    apprentices: (groupId) => schedules.listAll<Apprentice>(`/api/v1/groups/${groupId}/apprentices`, { ...opts, query: { is_active: true } }),
    async teaches(groupId, instructorId, date) {
      const r = await schedules.findData<{ assigned: boolean }>(`/api/v1/groups/${groupId}/instructors/${instructorId}`, { ...opts, query: { date } });
      return r?.assigned;
    },
  };
}
