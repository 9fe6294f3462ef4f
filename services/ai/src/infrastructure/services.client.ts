/**
 * Ports to the SICORA services the risk side reads (§7), over the platform's typed client. Runs and the
 * single assessment use the service token; the O2 look-ups forward the caller's token. A missing
 * dependency reaches the use cases as 503 SERVICE_UNAVAILABLE naming the service (§8), and projecteval /
 * evalin failures are thrown for the formula to mark their factor `unavailable` (R27).
 */
import { errors } from '@sicora/platform/errors';
import { withTypedCalls, type ErrorMapper, type ServiceClient } from '@sicora/platform/http-client';
import { aiErrors } from '../domain/errors.ts';
import type { AttendancePort, EvalinPort, Group, Person, ProjectevalPort, SchedulesPort, StudentCounts, UsersPort } from '../application/ports.ts';

type Client = Pick<ServiceClient, 'target' | 'request'>;

const unavailable =
  (service: string): ErrorMapper =>
  (err) =>
    errors.unavailable({ service, reason: err.reason, status: err.calleeStatus }, `El servicio ${service} no pudo responder; intente más tarde`);

export function createSchedulesClient(client: Client): SchedulesPort {
  const s = withTypedCalls(client, { mapError: unavailable('schedules') });
  const tok = (as?: { token: string; requestId?: string }) => ({ token: as?.token ?? 'service', requestId: as?.requestId });
  return {
    group: (id, as) =>
      s.findData<Group>(`/api/v1/groups/${id}`, {
        ...tok(as),
        timeoutMs: 10_000,
        mapError: (e) => (e.calleeStatus === 403 ? aiErrors.groupNotAssigned() : unavailable('schedules')(e)),
      }),
    async assignedGroups(instructorId, date, as) {
      const rows = await s.listAll<{ id: string }>('/api/v1/groups', { ...tok(as), timeoutMs: 10_000, query: { instructor_id: instructorId, assigned_on: date } });
      return rows.map((g) => g.id);
    },
    async activeGroups() {
      const rows = await s.listAll<Group>('/api/v1/groups', { token: 'service', timeoutMs: 10_000, query: { is_active: true } });
      return rows.map((g) => ({ id: g.id, number: g.number }));
    },
    async groupInstructors(groupId, date) {
      const rows = await s.getData<Array<{ instructor_id: string }>>(`/api/v1/groups/${groupId}/instructors`, { token: 'service', timeoutMs: 10_000, query: { from: date, to: date } });
      return [...new Set(rows.map((r) => r.instructor_id))];
    },
  };
}

export function createUsersClient(client: Client): UsersPort {
  const u = withTypedCalls(client, { mapError: unavailable('users') });
  return {
    apprentices: (groupId) => u.listAll<Person>('/api/v1/users', { token: 'service', timeoutMs: 10_000, query: { group_id: groupId, role: 'aprendiz', is_active: true } }),
    user: (id) => u.findData<Person>(`/api/v1/users/${id}`, { token: 'service', timeoutMs: 10_000 }),
  };
}

interface Figures {
  total_scheduled: number;
  total_present?: number;
  total_late?: number;
  total_absent?: number;
  total_justified?: number;
  present?: number;
  late?: number;
  absent?: number;
  justified?: number;
  consecutive_absent: number;
}

const countsOf = (f: Figures): StudentCounts => ({
  scheduled: f.total_scheduled ?? 0,
  present: f.total_present ?? f.present ?? 0,
  late: f.total_late ?? f.late ?? 0,
  absent: f.total_absent ?? f.absent ?? 0,
  justified: f.total_justified ?? f.justified ?? 0,
  consecutive_absent: f.consecutive_absent ?? 0,
});

export function createAttendanceClient(client: Client): AttendancePort {
  const a = withTypedCalls(client, { mapError: unavailable('attendance') });
  return {
    async summary(studentId, start, end) {
      return countsOf(await a.getData<Figures>('/api/v1/attendance/summary', { token: 'service', timeoutMs: 10_000, query: { student_id: studentId, start_date: start, end_date: end } }));
    },
    async groupCounts(groupId, start, end) {
      const report = await a.getData<{ students: Array<Figures & { student_id: string }> }>(`/api/v1/attendance/reports/groups/${groupId}`, { token: 'service', timeoutMs: 10_000, query: { start_date: start, end_date: end } });
      return new Map(report.students.map((s) => [s.student_id, countsOf(s)]));
    },
    async probe() {
      const res = await client.request({ method: 'GET', path: '/health', timeoutMs: 5000 });
      return res.status === 200;
    },
  };
}

export function createProjectevalClient(client: Client): ProjectevalPort {
  const p = withTypedCalls(client);
  return {
    async latestPublished(studentId) {
      const page = await p.getPage<{ final_score: number | null; published_at: string | null }>('/api/v1/projecteval/submissions', { token: 'service', timeoutMs: 10_000, pageSize: 1, query: { student_id: studentId, status: 'published', sort: '-published_at' } });
      const s = page.items[0];
      return s && s.final_score !== null && s.published_at ? { score: Number(s.final_score), published_at: s.published_at } : null;
    },
  };
}

export function createEvalinClient(client: Client): EvalinPort {
  const e = withTypedCalls(client);
  return {
    async latestPeriod(groupId) {
      const page = await e.getPage<{ id: string }>('/api/v1/evalin/periods', { token: 'service', timeoutMs: 10_000, pageSize: 1, query: { status: 'closed,published', group_id: groupId, sort: '-end_date' } });
      return page.items[0] ? { id: page.items[0].id } : null;
    },
    async submittedCount(studentId, periodId) {
      const page = await e.getPage<unknown>('/api/v1/evalin/evaluations', { token: 'service', timeoutMs: 10_000, pageSize: 1, query: { student_id: studentId, period_id: periodId, status: 'submitted' } });
      return page.pagination?.total ?? page.items.length;
    },
  };
}
