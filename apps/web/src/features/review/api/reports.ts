import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';
import { pagedOf, type Paged } from './paging.ts';

export interface Figures {
  total_records: number;
  total_scheduled: number;
  total_present: number;
  total_late: number;
  total_absent: number;
  total_justified: number;
  total_excused: number;
  attendance_pct: number | null;
  absence_pct: number | null;
  justified_pct: number | null;
  punctuality_pct: number | null;
  average_lateness_minutes: number | null;
  consecutive_absent: number;
}

export interface PeriodReport {
  start_date: string;
  end_date: string;
  totals: Figures;
  by_group: Array<Figures & { group_id: string; number: string | null; program_code: string | null; campus_name: string | null; students: number; open_alerts: number; sessions_scheduled: number; sessions_taken: number; compliance_pct: number | null }>;
  by_instructor: Array<{ instructor_id: string; full_name: string | null; sessions_scheduled: number; rolls_taken: number; compliance_pct: number | null }>;
}

export interface GroupReport {
  start_date: string;
  end_date: string;
  group: { id: string; number: string; program_code: string; campus_name: string };
  summary: Figures;
  sessions: { scheduled: number; taken: number; missing: number };
  students: Array<{
    student_id: string;
    full_name: string | null;
    document_number: string | null;
    in_roster: boolean;
    total_scheduled: number;
    present: number;
    late: number;
    absent: number;
    justified: number;
    excused: number;
    attendance_pct: number | null;
    punctuality_pct: number | null;
    consecutive_absent: number;
    open_alerts: unknown[];
  }>;
  by_subject: Array<{ subject: string; sessions_scheduled: number; sessions_taken: number; attendance_pct: number | null }>;
}

export interface InstructorReport {
  start_date: string;
  end_date: string;
  instructor: { id: string; full_name: string | null };
  sessions_scheduled: number;
  rolls_taken: number;
  rolls_on_time: number;
  compliance_pct: number | null;
  on_time_pct: number | null;
  attendance_pct: number | null;
  by_group: Array<{ group_id: string; group_number: string; program_code: string; sessions_scheduled: number; rolls_taken: number; rolls_on_time: number; compliance_pct: number | null; on_time_pct: number | null; attendance_pct: number | null }>;
  missing: Array<{ schedule_id: string; session_date: string; start_time: string; end_time: string; group_number: string; subject: string; venue_code: string }>;
}

export interface MissingRoll {
  instructor_id: string;
  instructor_name: string | null;
  group_id: string;
  group_number: string;
  program_code: string;
  schedule_id: string;
  subject: string;
  blocks: unknown[];
  start_time: string;
  end_time: string;
  venue_code: string;
  campus_name: string;
  state: 'ENDED' | 'IN_PROGRESS';
  minutes_since_end: number | null;
}

export interface MissingRollsReport {
  date: string;
  sessions_total: number;
  sessions_taken: number;
  sessions_missing: number;
  affected_instructors: number;
  affected_groups: number;
  items: MissingRoll[];
}

export interface Period {
  start_date: string;
  end_date: string;
}

export const reportKeys = {
  all: ['review', 'reports'] as const,
  period: (p: Period) => [...reportKeys.all, 'period', p.start_date, p.end_date] as const,
  group: (id: string, p: Period) => [...reportKeys.all, 'group', id, p.start_date, p.end_date] as const,
  instructor: (id: string, p: Period) => [...reportKeys.all, 'instructor', id, p.start_date, p.end_date] as const,
  missing: (date: string, inProgress: boolean, page: number) => [...reportKeys.all, 'missing', date, inProgress, page] as const,
  groups: (search: string) => [...reportKeys.all, 'groups', search] as const,
  instructors: (search: string) => [...reportKeys.all, 'instructors', search] as const,
};

/** attendance RP4 (coordinador, admin). */
export function usePeriodReport(period: Period, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.period(period),
    queryFn: () => unwrap<PeriodReport>(api.GET('/api/v1/attendance/reports/period', { params: { query: { ...period } } }) as never),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** attendance RP2 (staff; an instructor for the fichas assigned to them today). */
export function useGroupReport(groupId: string | undefined, period: Period) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.group(groupId ?? '', period),
    queryFn: () => unwrap<GroupReport>(api.GET('/api/v1/attendance/reports/groups/{group_id}', { params: { path: { group_id: groupId! }, query: { ...period } } }) as never),
    enabled: Boolean(groupId),
  });
}

/** attendance RP3. */
export function useInstructorReport(instructorId: string | undefined, period: Period) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.instructor(instructorId ?? '', period),
    queryFn: () =>
      unwrap<InstructorReport>(api.GET('/api/v1/attendance/reports/instructors/{instructor_id}', { params: { path: { instructor_id: instructorId! }, query: { ...period } } }) as never),
    enabled: Boolean(instructorId),
  });
}

/** attendance RP5, one page of items (sorted by instructor, then start time). */
export function useMissingRolls(date: string, includeInProgress: boolean, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.missing(date, includeInProgress, page),
    queryFn: async (): Promise<MissingRollsReport & { totalPages: number }> => {
      const result = await api.GET('/api/v1/attendance/reports/missing-rolls', {
        params: { query: { date, include_in_progress: includeInProgress, page, page_size: 50 } as never },
      });
      const data = await unwrap<MissingRollsReport>(result as never);
      const pagination = (result.data as { meta?: { pagination?: { total_pages: number } } } | undefined)?.meta?.pagination;
      return { ...data, totalPages: Math.max(1, pagination?.total_pages ?? 1) };
    },
    placeholderData: keepPreviousData,
    refetchInterval: 120_000,
  });
}

export interface GroupOption {
  id: string;
  number: string;
  program: { code: string; name: string } | null;
}

/** schedules G1, for choosing a ficha (by number). */
export function useGroupOptions(search: string) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.groups(search),
    queryFn: async (): Promise<Paged<GroupOption>> =>
      pagedOf<GroupOption>((await api.GET('/api/v1/groups', { params: { query: { is_active: true, page_size: 50, sort: 'number', ...(search.length >= 2 ? { search } : {}) } as never } })) as never),
    placeholderData: keepPreviousData,
  });
}

export interface PersonOption {
  id: string;
  full_name: string;
  document_number: string;
}

/** users U1 with role instructor, for choosing one. */
export function useInstructorOptions(search: string) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.instructors(search),
    queryFn: async (): Promise<Paged<PersonOption>> =>
      pagedOf<PersonOption>((await api.GET('/api/v1/users', { params: { query: { role: 'instructor', is_active: true, page_size: 50, sort: 'last_name', ...(search.trim().length >= 2 ? { search: search.trim() } : {}) } as never } })) as never),
    placeholderData: keepPreviousData,
  });
}
