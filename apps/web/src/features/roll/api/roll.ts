import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';
import type { ScanAnswer } from './scan-queue.ts';

export interface RosterRow {
  student_id: string;
  full_name: string;
  document_number: string | null;
  avatar_url: string | null;
  status: string;
  flags: string[];
  record: { version: number; late_minutes: number | null } | null;
}

export interface Roll {
  id: string;
  status: 'OPEN' | 'CLOSED';
  was_closed: boolean;
  can_mark: boolean;
  subject: string;
  group_number: string;
  session_date: string;
  start_time: string;
  end_time: string;
  counts: Record<'roster' | 'present' | 'late' | 'absent' | 'justified' | 'excused' | 'unmarked', number>;
  roster: RosterRow[];
}

export interface InstructorClass {
  schedule_id: string;
  session_date: string;
  subject: string;
  group_number: string;
  start_time: string;
  end_time: string;
  venue_name: string | null;
  state: 'UPCOMING' | 'IN_PROGRESS' | 'ENDED';
  roll: { id: string; status: string; counts: Roll['counts'] } | null;
  can_mark: boolean;
  missing: boolean;
}

export const rollKeys = {
  all: ['rolls'] as const,
  classes: (date: string) => [...rollKeys.all, 'classes', date] as const,
  roll: (scheduleId: string, date: string) => [...rollKeys.all, 'roll', scheduleId, date] as const,
};

/** attendance C1 for the instructor (today's sessions with their roll state). */
export function useInstructorClasses(date?: string) {
  const api = useApi();
  return useQuery({
    queryKey: rollKeys.classes(date ?? 'today'),
    queryFn: () => unwrap<InstructorClass[]>(api.GET('/api/v1/attendance/me/classes', { params: { query: date ? { date } : {} } }) as never),
    refetchInterval: 60_000,
  });
}

/** RL2 is idempotent (R3): opening the screen opens the roll or returns the one that exists. */
export function useRoll(scheduleId: string, date: string) {
  const api = useApi();
  return useQuery({
    queryKey: rollKeys.roll(scheduleId, date),
    queryFn: () => unwrap<Roll>(api.POST('/api/v1/attendance/rolls', { body: { schedule_id: scheduleId, session_date: date } }) as never),
    refetchInterval: 30_000,
  });
}

export interface Mark {
  student_id: string;
  status: 'PRESENT' | 'LATE' | 'ABSENT' | 'EXCUSED';
  notes?: string;
  late_minutes?: number;
  expected_version?: number;
}

export function useRollActions(scheduleId: string, date: string, rollId: string | undefined) {
  const api = useApi();
  const qc = useQueryClient();
  const key = rollKeys.roll(scheduleId, date);
  const store = (roll: Roll) => {
    qc.setQueryData(key, roll);
    void qc.invalidateQueries({ queryKey: [...rollKeys.all, 'classes'] });
  };
  const path = { params: { path: { roll_id: rollId ?? '' } } };
  return {
    marks: useMutation({
      mutationFn: (body: { marks: Mark[]; mark_rest?: 'ABSENT' | 'PRESENT'; reason?: string }) =>
        unwrap<Roll>(api.PUT('/api/v1/attendance/rolls/{roll_id}/marks', { ...path, body } as never) as never),
      onSuccess: store,
    }),
    close: useMutation({
      mutationFn: (confirmAllAbsent: boolean) =>
        unwrap<Roll>(api.POST('/api/v1/attendance/rolls/{roll_id}/close', { ...path, body: confirmAllAbsent ? { confirm_all_absent: true } : {} } as never) as never),
      onSuccess: store,
    }),
    reopen: useMutation({
      mutationFn: () => unwrap<Roll>(api.POST('/api/v1/attendance/rolls/{roll_id}/reopen', path as never) as never),
      onSuccess: store,
    }),
    /** Q2: one scan; the roll is refreshed afterwards so the roster shows it. */
    scan: async (code: string) => {
      const answer = await unwrap<ScanAnswer>(api.POST('/api/v1/attendance/qr/scan', { body: { code, schedule_id: scheduleId } }) as never);
      // Only a scan that wrote something changes the roster.
      if (answer.outcome !== 'ALREADY_RECORDED') void qc.invalidateQueries({ queryKey: key });
      return answer;
    },
  };
}
