import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';

export interface MissingToday {
  date: string;
  sessions_total: number;
  sessions_taken: number;
  sessions_missing: number;
  affected_instructors: number;
  affected_groups: number;
  items: Array<{ schedule_id: string; instructor_name: string | null; group_number: string; subject: string; start_time: string; end_time: string; venue_code: string; minutes_since_end: number | null }>;
  total_items: number;
}

export interface AlertStats {
  total: number;
  by_state: Record<'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED', number>;
  by_level: Record<'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL', number>;
  overdue: number;
}

export interface OpenPeriod {
  id: string;
  name: string;
  end_date: string;
  days_remaining: number;
  groups: Array<{ group_id: string; group_number: string }>;
  participation: { expected: number; submitted: number; rate: number | null } | null;
}

export const dashboardKeys = {
  all: ['dashboard'] as const,
  missing: () => [...dashboardKeys.all, 'missing-rolls'] as const,
  alerts: () => [...dashboardKeys.all, 'alerts'] as const,
  periods: () => [...dashboardKeys.all, 'periods'] as const,
};

/** attendance RP5 for today: ended sessions without a roll (the first few, and the count). */
export function useMissingToday() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.missing(),
    queryFn: async (): Promise<MissingToday> => {
      const result = await api.GET('/api/v1/attendance/reports/missing-rolls', { params: { query: { page: 1, page_size: 5 } as never } });
      const data = await unwrap<Omit<MissingToday, 'total_items'>>(result as never);
      const total = (result.data as { meta?: { pagination?: { total: number } } } | undefined)?.meta?.pagination?.total ?? data.items.length;
      return { ...data, total_items: total };
    },
    refetchInterval: 120_000,
  });
}

/** attendance AL2 over the unresolved alerts of the centre. */
export function useAlertStats() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.alerts(),
    queryFn: () => unwrap<AlertStats>(api.GET('/api/v1/attendance/alerts/stats', { params: { query: {} } }) as never),
    refetchInterval: 120_000,
  });
}

/** evalin E18 (active periods open now), then E20 for each: participation computed live (evalin R36). */
export function useOpenPeriods() {
  const api = useApi();
  return useQuery({
    queryKey: dashboardKeys.periods(),
    queryFn: async (): Promise<OpenPeriod[]> => {
      const list = await unwrap<Array<{ id: string }>>(api.GET('/api/v1/evalin/periods', { params: { query: { status: 'active', timing: 'current', page_size: 10, sort: 'end_date' } } }) as never);
      return Promise.all(list.map((p) => unwrap<OpenPeriod>(api.GET('/api/v1/evalin/periods/{period_id}', { params: { path: { period_id: p.id } } }) as never)));
    },
  });
}
