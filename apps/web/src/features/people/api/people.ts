/**
 * Hooks over users U1–U10 and B3–B4 (`packages/client`) for the Personas screen. One query-key factory;
 * every write invalidates the lists.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';
import type { Role } from './permissions.ts';

export interface UserView {
  id: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  document_type: DocumentType;
  document_number: string;
  phone: string | null;
  role: Role;
  group_id: string | null;
  group_number: string | null;
  area: string | null;
  is_active: boolean;
  must_change_password: boolean;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  deleted_at?: string | null;
}

export type DocumentType = 'CC' | 'TI' | 'CE' | 'PA' | 'PPT';
export const DOCUMENT_TYPES: Array<{ value: DocumentType; label: string }> = [
  { value: 'CC', label: 'Cédula de ciudadanía (CC)' },
  { value: 'TI', label: 'Tarjeta de identidad (TI)' },
  { value: 'CE', label: 'Cédula de extranjería (CE)' },
  { value: 'PA', label: 'Pasaporte (PA)' },
  { value: 'PPT', label: 'Permiso por protección temporal (PPT)' },
];

/** U1's filters as the URL keeps them (web.md §3: a filtered view can be shared). */
export interface UserFilters {
  search?: string;
  role?: string;
  is_active?: boolean;
  group_number?: string;
  locked?: boolean;
  must_change_password?: boolean;
  include_deleted?: boolean;
  sort?: string;
}

export interface UsersPage {
  items: UserView[];
  total: number;
  totalPages: number;
}

export const peopleKeys = {
  all: ['people'] as const,
  list: (filters: UserFilters, page: number, pageSize: number) => [...peopleKeys.all, 'list', filters, page, pageSize] as const,
};

/** The filters with the empty ones left out; a one-character search is not sent (U1 wants ≥ 2). */
export function filterQuery(filters: UserFilters): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === '' || (v === false && k === 'include_deleted')) continue;
    if (k === 'search' && typeof v === 'string' && v.trim().length < 2) continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

export function useUsers(filters: UserFilters, page: number, pageSize: number) {
  const api = useApi();
  return useQuery({
    queryKey: peopleKeys.list(filters, page, pageSize),
    queryFn: async (): Promise<UsersPage> => {
      const call = api.GET('/api/v1/users', { params: { query: { ...filterQuery(filters), page, page_size: pageSize } as never } });
      const result = (await call) as { data?: { meta?: { pagination?: { total: number; total_pages: number } } } };
      const items = await unwrap<UserView[]>(Promise.resolve(result) as never);
      const p = result.data?.meta?.pagination;
      return { items, total: p?.total ?? items.length, totalPages: Math.max(1, p?.total_pages ?? 1) };
    },
    placeholderData: keepPreviousData,
  });
}

/** The fields of U2/U4 the form sends. */
export interface UserInput {
  first_name: string;
  last_name: string;
  email: string;
  document_type: DocumentType;
  document_number: string;
  role?: Role;
  phone?: string | null;
  area?: string | null;
  group_number?: string | null;
}

function useInvalidating<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: peopleKeys.all }) });
}

export function useCreateUser() {
  const api = useApi();
  return useInvalidating((body: UserInput) => unwrap<UserView>(api.POST('/api/v1/users', { body: body as never }) as never));
}

export function useUpdateUser() {
  const api = useApi();
  return useInvalidating(({ id, body }: { id: string; body: Partial<UserInput> }) =>
    unwrap<UserView>(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: body as never }) as never),
  );
}

export function useActivate() {
  const api = useApi();
  return useInvalidating((id: string) => unwrap<UserView>(api.POST('/api/v1/users/{id}/activate', { params: { path: { id } }, body: {} as never }) as never));
}

export function useDeactivate() {
  const api = useApi();
  return useInvalidating(({ id, reason }: { id: string; reason?: string }) =>
    unwrap<UserView>(api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id } }, body: (reason ? { reason } : {}) as never }) as never),
  );
}

export function useUnlock() {
  const api = useApi();
  return useInvalidating((id: string) => unwrap<{ unlocked: true }>(api.POST('/api/v1/users/{id}/unlock', { params: { path: { id } }, body: {} as never }) as never));
}

export interface ResetResult {
  delivery: 'email_link' | 'temporary_password';
  temporary_password?: string;
  link_expires_at?: string;
}

export function useResetPassword() {
  const api = useApi();
  return useInvalidating(({ id, delivery }: { id: string; delivery: ResetResult['delivery'] }) =>
    unwrap<ResetResult>(api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id } }, body: { delivery } as never }) as never),
  );
}

/** B3: the same change for every chosen person (`{ id, …U4 fields }` each). */
export function useBulkUpdate() {
  const api = useApi();
  return useInvalidating((items: Array<{ id: string } & Record<string, unknown>>) =>
    unwrap<{ updated: number }>(api.PATCH('/api/v1/users/bulk', { body: { items } as never }) as never),
  );
}

/** B4 (admin). */
export function useBulkDelete() {
  const api = useApi();
  return useInvalidating((ids: string[]) => unwrap<{ deleted: number }>(api.POST('/api/v1/users/bulk/delete', { body: { ids } as never }) as never));
}

/** B3/B4's 422 BULK_VALIDATION_FAILED: `details.items`, each naming the person by index and id. */
export function bulkItemErrors(details: Record<string, unknown>): Array<{ index: number; id: string; field?: string; code: string; message: string }> {
  return Array.isArray(details.items) ? (details.items as Array<{ index: number; id: string; field?: string; code: string; message: string }>) : [];
}
