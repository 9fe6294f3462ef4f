import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi, useSessionState } from '../../../app/context.tsx';
import { todayLocal } from '../../../lib/dates.ts';
import { pagedOf, type Paged } from './paging.ts';

export interface MyFicha {
  id: string;
  number: string;
  shift: string;
  program: { code: string; name: string } | null;
  campus: { name: string } | null;
}

export interface Apprentice {
  id: string;
  full_name: string;
  document_type: string;
  document_number: string;
  email: string;
}

export const fichaKeys = {
  all: ['review', 'fichas'] as const,
  mine: (date: string) => [...fichaKeys.all, 'mine', date] as const,
  roster: (id: string, page: number) => [...fichaKeys.all, 'roster', id, page] as const,
};

/** schedules G1 with `instructor_id` = me and `assigned_on` = today (R21): the fichas attendance O2 opens to me. */
export function useMyFichas() {
  const api = useApi();
  const { claims } = useSessionState();
  const today = todayLocal();
  return useQuery({
    queryKey: fichaKeys.mine(today),
    queryFn: async (): Promise<Paged<MyFicha>> =>
      pagedOf<MyFicha>((await api.GET('/api/v1/groups', { params: { query: { instructor_id: claims?.sub, assigned_on: today, page_size: 100, sort: 'number' } as never } })) as never),
    enabled: Boolean(claims?.sub),
  });
}

/** schedules G7: the ficha's active apprentices in last-name order. */
export function useRoster(groupId: string, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: fichaKeys.roster(groupId, page),
    queryFn: async (): Promise<Paged<Apprentice>> =>
      pagedOf<Apprentice>((await api.GET('/api/v1/groups/{id}/apprentices', { params: { path: { id: groupId }, query: { page, page_size: 50 } as never } })) as never),
    placeholderData: keepPreviousData,
  });
}
