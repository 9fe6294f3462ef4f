import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';
import { pagedOf, type Paged } from './paging.ts';

export interface AlertNote {
  id: string;
  author_name: string | null;
  author_role: string;
  body: string;
  created_at: string;
}

export interface AlertView {
  id: string;
  student_id: string;
  student_name: string | null;
  group_number: string;
  type: string;
  level: string;
  state: 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';
  source: 'AUTO' | 'MANUAL';
  title: string;
  message: string;
  days_open: number;
  overdue: boolean;
  recommended_actions: string[];
  level_history: Array<{ level: string; at: string }>;
  created_at: string;
  escalated_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by_name: string | null;
  resolved_at: string | null;
  resolved_by_name: string | null;
  resolution: string | null;
  resolution_note: string | null;
  notes?: AlertNote[];
}

export interface AlertStats {
  total: number;
  by_state: Record<string, number>;
  by_level: Record<string, number>;
  overdue: number;
}

export interface AlertFilters {
  state: string;
  level?: string;
  page: number;
}

export const alertKeys = {
  all: ['review', 'alerts'] as const,
  list: (f: AlertFilters) => [...alertKeys.all, 'list', f.state, f.level ?? '', f.page] as const,
  stats: (state: string) => [...alertKeys.all, 'stats', state] as const,
  one: (id: string) => [...alertKeys.all, 'one', id] as const,
};

/** attendance AL1, most severe first: an instructor's fichas (O2), the centre for staff. */
export function useAlerts(f: AlertFilters) {
  const api = useApi();
  return useQuery({
    queryKey: alertKeys.list(f),
    queryFn: async (): Promise<Paged<AlertView>> =>
      pagedOf<AlertView>(
        (await api.GET('/api/v1/attendance/alerts', { params: { query: { state: f.state, ...(f.level ? { level: f.level } : {}), page: f.page, page_size: 20 } as never } })) as never,
      ),
    placeholderData: keepPreviousData,
  });
}

/** attendance AL2 for the same state filter. */
export function useAlertStats(state: string) {
  const api = useApi();
  return useQuery({
    queryKey: alertKeys.stats(state),
    queryFn: () => unwrap<AlertStats>(api.GET('/api/v1/attendance/alerts/stats', { params: { query: { state } as never } }) as never),
  });
}

export function useAlert(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: alertKeys.one(id),
    queryFn: () => unwrap<AlertView>(api.GET('/api/v1/attendance/alerts/{alert_id}', { params: { path: { alert_id: id } } }) as never),
  });
}

/** AL5 acknowledge, AL6 resolve, AL7 note; the alert is read again after each (the note list lives in AL3). */
export function useAlertActions(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  const path = { params: { path: { alert_id: id } } };
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: alertKeys.one(id) });
    void qc.invalidateQueries({ queryKey: [...alertKeys.all, 'list'] });
    void qc.invalidateQueries({ queryKey: [...alertKeys.all, 'stats'] });
  };
  return {
    acknowledge: useMutation({
      mutationFn: (note: string) => unwrap(api.POST('/api/v1/attendance/alerts/{alert_id}/acknowledge', { ...path, body: note ? { note } : {} }) as never),
      onSuccess: refresh,
    }),
    resolve: useMutation({
      mutationFn: (body: { resolution: 'HANDLED' | 'DISMISSED'; note: string }) => unwrap(api.POST('/api/v1/attendance/alerts/{alert_id}/resolve', { ...path, body }) as never),
      onSuccess: refresh,
    }),
    note: useMutation({
      mutationFn: (body: string) => unwrap(api.POST('/api/v1/attendance/alerts/{alert_id}/notes', { ...path, body: { body } }) as never),
      onSuccess: refresh,
    }),
  };
}
