/**
 * Hooks over the schedules service (schedules.md §4) for the staff's Programación: master data, fichas with
 * apprentices and instructor assignments, the weekly timetable, entries with the conflict check (S7 before
 * S2), cancel (S6), copy (S10) and non-teaching days (K3–K5). One query-key factory for the feature.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';

export const PAGE_SIZE = 20;

export interface Ref {
  id: string;
  code: string;
  name: string;
}
export interface Campus extends Ref {
  address: string | null;
  city: string;
  is_active: boolean;
}
export interface Venue extends Ref {
  type: string;
  capacity: number;
  floor: string | null;
  is_active: boolean;
  campus: Ref;
}
export interface Program extends Ref {
  level: string;
  duration_months: number;
  quarters: number | null;
  is_active: boolean;
}
export interface Group {
  id: string;
  number: string;
  shift: 'MANANA' | 'TARDE' | 'NOCHE';
  start_date: string;
  end_date: string;
  current_quarter: number;
  max_apprentices: number | null;
  notes: string | null;
  is_active: boolean;
  program: Ref & { level?: string };
  campus: Ref;
  director?: { instructor_id: string; full_name: string | null } | null;
  apprentice_count?: number | null;
}
export interface Apprentice {
  id: string;
  full_name: string;
  document_type: string;
  document_number: string;
  email: string;
  is_active: boolean;
}
export interface GroupInstructor {
  instructor_id: string;
  full_name: string | null;
  roles: string[];
  subjects: string[];
  via: string[];
  first_date: string;
  last_date: string;
  weekly_hours: number;
  assignment_ids: string[];
}
export interface Instructor {
  id: string;
  full_name: string;
  document_number: string;
}
/** One R14 item (S7's list, S2's 409 `details.conflicts`, a CSV or copy failure). */
export interface Conflict {
  kind: 'INSTRUCTOR' | 'VENUE' | 'GROUP';
  schedule_id: string;
  exception_date?: string;
  group_number: string;
  instructor_id: string;
  instructor_name: string | null;
  venue_code: string;
  day_of_week: number;
  start_time: string;
  end_time: string;
  first_common_date: string;
  last_common_date: string;
  line?: number;
}
export interface Entry {
  id: string;
  subject: string;
  day_of_week: number;
  day_name: string;
  start_time: string;
  end_time: string;
  start_date: string;
  end_date: string;
  effective_end_date: string;
  status: 'ACTIVE' | 'CANCELLED';
  phase: string;
  blocks: string[];
  has_history: boolean;
  group: { id: string; number: string; shift: string };
  instructor: { id: string; full_name: string | null };
  venue: { id: string; code: string; name: string };
}
export interface TimetableSession {
  schedule_id: string;
  date: string;
  start_time: string;
  end_time: string;
  subject: string;
  status: 'SCHEDULED' | 'CANCELLED';
  cancel_reason: string | null;
  is_changed: boolean;
  group: { id: string; number: string };
  instructor: { id: string; full_name: string | null } | null;
  venue: { id: string; code: string; name: string } | null;
}
export interface Timetable {
  week_start: string;
  week_end: string;
  days: Array<{ date: string; day_of_week: number; day_name: string; non_teaching_day?: { name: string; campus_id: string | null } | null; sessions: TimetableSession[] }>;
}
export interface NonTeachingDay {
  id: string;
  date: string;
  name: string;
  campus_id: string | null;
  source: 'HOLIDAY' | 'MANUAL';
}
export interface EntryDraft {
  group_id: string;
  instructor_id: string;
  venue_id: string;
  subject: string;
  day_of_week: number;
  start_time: string;
  end_time: string;
  start_date: string;
  end_date: string;
  notes?: string;
}
export interface CopyResult {
  dry_run: boolean;
  created: number;
  skipped: number;
  items: Array<{ source_id: string; new_id?: string; status: 'ok' | 'skipped' | 'failed'; reason?: string | { code: string; conflicts?: Conflict[] } }>;
}

export interface Page<T> {
  items: T[];
  total: number;
  totalPages: number;
}

export type TimetableView = 'group' | 'instructor' | 'venue';

export const programmingKeys = {
  all: ['programming'] as const,
  list: (what: string, query: object) => [...programmingKeys.all, what, query] as const,
  group: (id: string) => [...programmingKeys.all, 'group', id] as const,
  groupPart: (id: string, part: string, query: object = {}) => [...programmingKeys.all, 'group', id, part, query] as const,
  timetable: (view: TimetableView, id: string, week: string) => [...programmingKeys.all, 'timetable', view, id, week] as const,
  entries: (view: TimetableView, id: string) => [...programmingKeys.all, 'entries', view, id] as const,
  holidays: (year: number) => [...programmingKeys.all, 'holidays', year] as const,
};

type Query = Record<string, string | number | boolean | undefined>;
const clean = (q: Query) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== ''));

/** A write that answers 204 (no body to unwrap). */
async function noContent(call: Promise<unknown>): Promise<void> {
  await unwrap(call.then((r) => ({ ...(r as object), data: (r as { data?: unknown }).data ?? { data: undefined } })) as never);
}

/** A paginated read: the envelope's data and `meta.pagination`. */
async function paged<T>(call: Promise<unknown>): Promise<Page<T>> {
  const result = (await call) as { data?: { meta?: { pagination?: { total: number; total_pages: number } } } };
  const items = await unwrap<T[]>(Promise.resolve(result) as never);
  const p = result.data?.meta?.pagination;
  return { items, total: p?.total ?? items.length, totalPages: Math.max(1, p?.total_pages ?? 1) };
}

export function useCampuses(query: Query = {}) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.list('campuses', query),
    queryFn: () => paged<Campus>(api.GET('/api/v1/campuses', { params: { query: clean({ page_size: 100, ...query }) as never } })),
    placeholderData: keepPreviousData,
  });
}

export function useVenues(query: Query = {}) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.list('venues', query),
    queryFn: () => paged<Venue>(api.GET('/api/v1/venues', { params: { query: clean({ page_size: 100, ...query }) as never } })),
    placeholderData: keepPreviousData,
  });
}

export function usePrograms(query: Query = {}) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.list('programs', query),
    queryFn: () => paged<Program>(api.GET('/api/v1/programs', { params: { query: clean({ page_size: 100, ...query }) as never } })),
    placeholderData: keepPreviousData,
  });
}

export function useGroups(query: Query = {}) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.list('groups', query),
    queryFn: () => paged<Group>(api.GET('/api/v1/groups', { params: { query: clean({ page_size: PAGE_SIZE, ...query }) as never } })),
    placeholderData: keepPreviousData,
  });
}

export interface GroupDraft {
  number: string;
  program_id: string;
  campus_id: string;
  shift: Group['shift'];
  start_date: string;
  end_date: string;
  current_quarter?: number;
  max_apprentices?: number;
  notes?: string;
}

/** G2. */
export function useCreateGroup() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: GroupDraft) => unwrap<Group>(api.POST('/api/v1/groups', { body } as never) as never),
    onSuccess: () => qc.invalidateQueries({ queryKey: programmingKeys.all }),
  });
}

const MASTER_PATH = { campuses: '/api/v1/campuses', venues: '/api/v1/venues', programs: '/api/v1/programs' } as const;

/** C2, V2, P2. */
export function useCreateMaster<T>(kind: keyof typeof MASTER_PATH) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => unwrap<T>(api.POST(MASTER_PATH[kind], { body } as never) as never),
    onSuccess: () => qc.invalidateQueries({ queryKey: programmingKeys.all }),
  });
}

/** Active instructors for the pickers (users U1, which staff may read). */
export function useInstructors() {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.list('instructors', {}),
    queryFn: () =>
      paged<Instructor>(api.GET('/api/v1/users', { params: { query: { role: 'instructor', is_active: true, page_size: 100, sort: 'last_name' } as never } })),
    staleTime: 60_000,
  });
}

export function useGroup(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.group(id),
    queryFn: () => unwrap<Group>(api.GET('/api/v1/groups/{id}', { params: { path: { id } } }) as never),
    enabled: Boolean(id),
  });
}

export function useGroupApprentices(id: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.groupPart(id, 'apprentices', { page }),
    queryFn: () => paged<Apprentice>(api.GET('/api/v1/groups/{id}/apprentices', { params: { path: { id }, query: { page, page_size: PAGE_SIZE } as never } })),
    placeholderData: keepPreviousData,
    enabled: Boolean(id),
  });
}

export function useGroupInstructors(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.groupPart(id, 'instructors'),
    queryFn: () => unwrap<GroupInstructor[]>(api.GET('/api/v1/groups/{id}/instructors', { params: { path: { id } } }) as never),
    enabled: Boolean(id),
  });
}

export function useAssignmentActions(groupId: string) {
  const api = useApi();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: programmingKeys.group(groupId) });
  return {
    add: useMutation({
      mutationFn: (body: { instructor_id: string; role: 'director' | 'instructor'; subject?: string; start_date?: string; end_date?: string }) =>
        unwrap(api.POST('/api/v1/groups/{id}/assignments', { params: { path: { id: groupId } }, body } as never) as never),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (assignmentId: string) =>
        noContent(api.DELETE('/api/v1/groups/{id}/assignments/{assignment_id}', { params: { path: { id: groupId, assignment_id: assignmentId } } })),
      onSuccess: refresh,
    }),
  };
}

const VIEW_PARAM: Record<TimetableView, string> = { group: 'group_id', instructor: 'instructor_id', venue: 'venue_id' };

/** W4: one week of a ficha, an instructor or a venue, cancelled sessions and non-teaching days included. */
export function useTimetable(view: TimetableView, id: string, week: string) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.timetable(view, id, week),
    queryFn: () => unwrap<Timetable>(api.GET('/api/v1/schedules/timetable', { params: { query: { [VIEW_PARAM[view]]: id, week_of: week } as never } }) as never),
    enabled: Boolean(id),
    placeholderData: keepPreviousData,
  });
}

/** S1: the weekly entries behind the timetable that are still running (current or upcoming). */
export function useEntries(view: TimetableView, id: string, activeOn: string) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.entries(view, id),
    queryFn: () =>
      paged<Entry>(
        api.GET('/api/v1/schedules', { params: { query: { [VIEW_PARAM[view]]: id, status: 'ACTIVE', date_from: activeOn, date_to: '2100-12-31', page_size: 100 } as never } }),
      ),
    enabled: Boolean(id),
  });
}

export function useEntryActions() {
  const api = useApi();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: programmingKeys.all });
  return {
    /** S7: the R14 list; writes nothing. */
    check: useMutation({
      mutationFn: (draft: EntryDraft) => unwrap<{ has_conflicts: boolean; conflicts: Conflict[] }>(api.POST('/api/v1/schedules/check-conflicts', { body: draft } as never) as never),
    }),
    /** S2 (a 409 SCHEDULE_CONFLICT carries `details.conflicts`). */
    create: useMutation({
      mutationFn: (draft: EntryDraft) => unwrap<Entry>(api.POST('/api/v1/schedules', { body: draft } as never) as never),
      onSuccess: refresh,
    }),
    cancel: useMutation({
      mutationFn: ({ id, reason, from_date }: { id: string; reason: string; from_date?: string }) =>
        unwrap<Entry>(api.POST('/api/v1/schedules/{id}/cancel', { params: { path: { id } }, body: clean({ reason, from_date }) } as never) as never),
      onSuccess: refresh,
    }),
  };
}

export function useCopy() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { source_from: string; source_to: string; target_start_date: string; target_end_date: string; group_ids?: string[]; dry_run: boolean }) =>
      unwrap<CopyResult>(api.POST('/api/v1/schedules/copy', { body } as never) as never),
    onSuccess: (result) => {
      if (!result.dry_run) void qc.invalidateQueries({ queryKey: programmingKeys.all });
    },
  });
}

export function useNonTeachingDays(year: number) {
  const api = useApi();
  return useQuery({
    queryKey: programmingKeys.holidays(year),
    queryFn: () => unwrap<NonTeachingDay[]>(api.GET('/api/v1/schedules/non-teaching-days', { params: { query: { year } } }) as never),
  });
}

export function useNonTeachingDayActions(year: number) {
  const api = useApi();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: programmingKeys.holidays(year) });
  return {
    add: useMutation({
      mutationFn: (body: { date: string; name: string; campus_id?: string }) => unwrap<NonTeachingDay>(api.POST('/api/v1/schedules/non-teaching-days', { body } as never) as never),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => noContent(api.DELETE('/api/v1/schedules/non-teaching-days/{id}', { params: { path: { id } } })),
      onSuccess: refresh,
    }),
  };
}
