import { useQuery } from '@tanstack/react-query';
import { useApi, useSessionState } from '../../../app/context.tsx';
import { addDays, todayLocal } from '../../../lib/dates.ts';
import { unwrap } from '../../../lib/errors.ts';

export interface ClassItem {
  schedule_id: string;
  session_date: string;
  subject: string;
  group_number: string;
  start_time: string;
  end_time: string;
  start_at: string;
  end_at: string;
  venue_name: string | null;
  instructor_name: string | null;
  state: 'UPCOMING' | 'IN_PROGRESS' | 'ENDED';
  my_status?: string;
  record_id?: string | null;
  can_request_code?: boolean;
  justification?: { id: string; status: string } | null;
  justify_deadline?: string | null;
}

export interface RecordItem {
  id: string;
  schedule_id: string;
  session_date: string;
  subject: string;
  start_time: string;
  end_time: string;
  status: string;
  late_minutes: number | null;
  instructor_name: string | null;
  justification: { id: string; status: string } | null;
  justify_deadline: string | null;
}

export const attendanceKeys = {
  all: ['attendance'] as const,
  classes: (date: string) => [...attendanceKeys.all, 'classes', date] as const,
  summary: (from: string, to: string) => [...attendanceKeys.all, 'summary', from, to] as const,
  records: (page: number) => [...attendanceKeys.all, 'records', page] as const,
  record: (id: string) => [...attendanceKeys.all, 'record', id] as const,
};

/** attendance C1 for one local date (the server's today by default: its zone decides what "today" is). */
export function useMyClasses(date?: string) {
  const api = useApi();
  return useQuery({
    queryKey: attendanceKeys.classes(date ?? 'today'),
    queryFn: () => unwrap<ClassItem[]>(api.GET('/api/v1/attendance/me/classes', { params: { query: date ? { date } : {} } }) as never),
    refetchInterval: 60_000,
  });
}

/** attendance S1 over the last 30 days (own, for an aprendiz). */
export function useMySummary() {
  const api = useApi();
  const { claims } = useSessionState();
  const to = todayLocal();
  const from = addDays(to, -29);
  return useQuery({
    queryKey: attendanceKeys.summary(from, to),
    queryFn: () =>
      unwrap<{ attendance_pct: number | null; total_absent: number; total_late: number; pending_justifications?: number; open_alerts?: Array<{ type: string; level: string }> }>(
        api.GET('/api/v1/attendance/summary', { params: { query: { student_id: claims?.sub, start_date: from, end_date: to } } }) as never,
      ),
  });
}

/** attendance RC1 (own records, newest first). */
export function useMyRecords(page: number) {
  const api = useApi();
  return useQuery({
    queryKey: attendanceKeys.records(page),
    queryFn: async () => {
      const result = await api.GET('/api/v1/attendance/records', { params: { query: { page, page_size: 20, sort: '-session_date' } as never } });
      const items = await unwrap<RecordItem[]>(result as never);
      const pagination = (result.data as { meta?: { pagination?: { total_pages: number } } } | undefined)?.meta?.pagination;
      return { items, totalPages: pagination?.total_pages ?? 1 };
    },
  });
}

export function useRecord(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: attendanceKeys.record(id),
    queryFn: () => unwrap<RecordItem>(api.GET('/api/v1/attendance/records/{record_id}', { params: { path: { record_id: id } } }) as never),
    enabled: Boolean(id),
  });
}
