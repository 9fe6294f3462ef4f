import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';
import { pagedOf, type Paged } from './paging.ts';

export type JustificationStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface JustificationItem {
  schedule_id: string;
  session_date: string;
  subject: string;
  start_time: string;
  end_time: string;
  instructor_name: string | null;
  record_id: string | null;
  record_status: string | null;
  applied: boolean;
}

export interface EvidenceFile {
  id: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  uploaded_at: string;
  purged: boolean;
  download_url: string;
}

export interface Justification {
  id: string;
  student_id: string;
  student_name: string | null;
  group_number: string | null;
  kind: 'AFTER_ABSENCE' | 'ADVANCE_NOTICE';
  type: string;
  reason: string;
  status: JustificationStatus;
  submitted_at: string;
  deadline_at: string | null;
  overdue: boolean;
  reviewed_at: string | null;
  reviewer_name: string | null;
  review_comment: string | null;
  items: JustificationItem[];
  files: EvidenceFile[];
}

export const TYPE_LABELS: Record<string, string> = {
  MEDICAL: 'Médica',
  FAMILY: 'Calamidad familiar',
  PERSONAL: 'Personal',
  WORK: 'Laboral',
  INSTITUTIONAL: 'Institucional',
  OTHER: 'Otra',
};

export const STATUS_LABELS: Record<JustificationStatus, string> = { PENDING: 'Pendiente', APPROVED: 'Aprobada', REJECTED: 'Rechazada' };

export const justificationKeys = {
  all: ['review', 'justifications'] as const,
  list: (status: string, page: number) => [...justificationKeys.all, 'list', status, page] as const,
  one: (id: string) => [...justificationKeys.all, 'one', id] as const,
};

/** attendance J2: an instructor gets those of their own sessions (O4), staff the whole centre. */
export function useJustifications(status: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: justificationKeys.list(status, page),
    queryFn: async (): Promise<Paged<Justification>> => {
      const sort = status === 'PENDING' ? 'deadline_at' : '-submitted_at';
      const result = await api.GET('/api/v1/attendance/justifications', { params: { query: { status, page, page_size: 20, sort } as never } });
      return pagedOf<Justification>(result as never);
    },
    placeholderData: keepPreviousData,
  });
}

export function useJustification(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: justificationKeys.one(id),
    queryFn: () => unwrap<Justification>(api.GET('/api/v1/attendance/justifications/{justification_id}', { params: { path: { justification_id: id } } }) as never),
  });
}

export interface ReviewInput {
  decision: 'APPROVED' | 'REJECTED';
  comment?: string;
}

/** attendance J9; the lists and this justification are read again afterwards. */
export function useReview(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewInput) =>
      unwrap<Justification & { records_updated: number }>(
        api.POST('/api/v1/attendance/justifications/{justification_id}/review', { params: { path: { justification_id: id } }, body }) as never,
      ),
    onSuccess: (j) => {
      qc.setQueryData(justificationKeys.one(id), j);
      void qc.invalidateQueries({ queryKey: [...justificationKeys.all, 'list'] });
    },
  });
}
