import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { addDays } from '../../../lib/dates.ts';
import { unwrap } from '../../../lib/errors.ts';

export interface Occurrence {
  schedule_id: string;
  date: string;
  start_time: string;
  end_time: string;
  subject: string;
  shift: string;
  status: string;
  cancel_reason: string | null;
  in_progress: boolean;
  group: { number: string; program: { name: string } };
  instructor: { full_name: string } | null;
  venue: { code: string; name: string; campus: { name: string } } | null;
}

export const scheduleKeys = { week: (monday: string) => ['schedule', 'week', monday] as const };

/** schedules W1 (`/schedules/me`) for Monday–Saturday of one week, cancelled sessions included. */
export function useWeek(monday: string) {
  const api = useApi();
  return useQuery({
    queryKey: scheduleKeys.week(monday),
    queryFn: () =>
      unwrap<Occurrence[]>(
        api.GET('/api/v1/schedules/me', { params: { query: { from: monday, to: addDays(monday, 5), include_cancelled: true } } }) as never,
      ),
  });
}
