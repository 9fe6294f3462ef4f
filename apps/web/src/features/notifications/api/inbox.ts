import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { components } from '@sicora/client';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';

export const inboxKeys = {
  all: ['inbox'] as const,
  unread: () => [...inboxKeys.all, 'unread'] as const,
  list: (filter: string, page: number) => [...inboxKeys.all, 'list', filter, page] as const,
};

export type InboxItem = { id: string; type: string; category: string; priority: string; body: string; action_url?: string | null; is_read: boolean; created_at: string };
export type Unread = { unread: number };
// Kept for the type-checker to tie these views to the generated document.
export type _Schemas = components['schemas'];

/** I2 (the bell's starting value; the stream keeps it current, web.md §3). */
export function useUnreadCount() {
  const api = useApi();
  return useQuery({ queryKey: inboxKeys.unread(), queryFn: () => unwrap<Unread>(api.GET('/api/v1/notifications/inbox/unread-count')), staleTime: 60_000 });
}

export function useInbox(filter: 'all' | 'unread', page: number) {
  const api = useApi();
  return useQuery({
    queryKey: inboxKeys.list(filter, page),
    queryFn: async () => {
      const result = await api.GET('/api/v1/notifications/inbox', { params: { query: { page, page_size: 20, ...(filter === 'unread' ? { is_read: false } : {}) } } });
      const items = await unwrap<InboxItem[]>(result as never);
      const pagination = (result.data as { meta?: { pagination?: { total_pages: number; total: number } } } | undefined)?.meta?.pagination;
      return { items, totalPages: pagination?.total_pages ?? 1 };
    },
  });
}

export function useMarkRead() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/notifications/inbox/{item_id}/read', { params: { path: { item_id: id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useMarkAllRead() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/inbox/read-all', { body: {} } as never)),
    onSettled: () => qc.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}
