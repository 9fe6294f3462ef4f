/**
 * The knowledge base (kb.md) as TanStack Query hooks over the generated client. The API applies the
 * audience rules (V1–V3): what a role may not read never reaches these hooks.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '@sicora/client';
import { useApi } from '../../../app/context.tsx';
import { unwrap } from '../../../lib/errors.ts';

type Json<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch', S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: { 'application/json': { data: infer D } } } };
}
  ? D
  : never;

export type SearchHit = Json<'/api/v1/kb/search', 'get', 200>[number];
export type ItemSummary = SearchHit['item'];
export type ItemDetail = Json<'/api/v1/kb/items/by-slug/{slug}', 'get', 200>;
export type Related = Json<'/api/v1/kb/items/{id}/related', 'get', 200>[number];
export interface Category {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  sort_order: number;
  is_active: boolean;
  item_count: number;
  children: Category[];
}
export type FeedbackResult = Json<'/api/v1/kb/items/{id}/feedback', 'put', 200>;
export type SearchMeta = { search?: { relaxed: boolean; mode_used: string }; pagination?: { total: number; total_pages: number; page: number } };

export const KIND_LABEL: Record<string, string> = {
  article: 'Artículo',
  faq: 'Pregunta frecuente',
  guide: 'Guía',
  procedure: 'Procedimiento',
  regulation: 'Reglamento',
};

export const kbKeys = {
  all: ['kb'] as const,
  search: (q: string, category: string | undefined, page: number) => [...kbKeys.all, 'search', q, category ?? '', page] as const,
  list: (category: string | undefined, page: number) => [...kbKeys.all, 'list', category ?? '', page] as const,
  categories: () => [...kbKeys.all, 'categories'] as const,
  item: (slug: string) => [...kbKeys.all, 'item', slug] as const,
  related: (id: string) => [...kbKeys.all, 'related', id] as const,
  suggest: (q: string) => [...kbKeys.all, 'suggest', q] as const,
};

export const PAGE_SIZE = 10;

/** kb `GET /search` (q 2–500) with the page's total and whether the OR retry ran (R10). */
export function useKbSearch(q: string, category: string | undefined, page: number) {
  const api = useApi();
  return useQuery({
    queryKey: kbKeys.search(q, category, page),
    enabled: q.trim().length >= 2,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const result = api.GET('/api/v1/kb/search', { params: { query: { q: q.trim().slice(0, 500), page, page_size: PAGE_SIZE, ...(category ? { category } : {}) } } });
      const hits = await unwrap<SearchHit[]>(result as never);
      const meta = ((await result).data as { meta?: SearchMeta } | undefined)?.meta;
      return { hits, total: meta?.pagination?.total ?? hits.length, totalPages: meta?.pagination?.total_pages ?? 1, relaxed: meta?.search?.relaxed ?? false };
    },
  });
}

/** kb `GET /items` of published items (a category's browse when there is no query), most useful first. */
export function useKbBrowse(category: string | undefined, page: number, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: kbKeys.list(category, page),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const result = api.GET('/api/v1/kb/items', { params: { query: { page, page_size: PAGE_SIZE, sort: '-popularity', ...(category ? { category } : {}) } } });
      const items = await unwrap<ItemSummary[]>(result as never);
      const meta = ((await result).data as { meta?: SearchMeta } | undefined)?.meta;
      return { items, total: meta?.pagination?.total ?? items.length, totalPages: meta?.pagination?.total_pages ?? 1 };
    },
  });
}

export function useCategories() {
  const api = useApi();
  return useQuery({ queryKey: kbKeys.categories(), staleTime: 5 * 60_000, queryFn: () => unwrap<Category[]>(api.GET('/api/v1/kb/categories', {}) as never) });
}

/** kb `GET /suggest` (R18) while typing: titles to open and popular queries. */
export function useSuggest(q: string) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: kbKeys.suggest(text),
    enabled: text.length >= 2 && text.length <= 100,
    staleTime: 60_000,
    queryFn: () => unwrap<{ items: Array<{ id: string; slug: string; title: string; kind: string }>; queries: string[] }>(api.GET('/api/v1/kb/suggest', { params: { query: { q: text } } }) as never),
  });
}

export function useItemBySlug(slug: string) {
  const api = useApi();
  return useQuery({ queryKey: kbKeys.item(slug), queryFn: () => unwrap<ItemDetail>(api.GET('/api/v1/kb/items/by-slug/{slug}', { params: { path: { slug } } }) as never) });
}

export function useRelated(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: kbKeys.related(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => unwrap<Related[]>(api.GET('/api/v1/kb/items/{id}/related', { params: { path: { id: id! }, query: { limit: 5 } } }) as never),
  });
}

export interface FeedbackInput {
  helpful: boolean;
  rating?: number | null;
  comment?: string | null;
}

/** kb PUT/DELETE `/items/{id}/feedback` (R19): one vote per person, replaced by the next. */
export function useItemFeedback(slug: string, id: string) {
  const api = useApi();
  const qc = useQueryClient();
  const put = useMutation({
    mutationFn: (input: FeedbackInput) =>
      unwrap<FeedbackResult>(
        api.PUT('/api/v1/kb/items/{id}/feedback', {
          params: { path: { id } },
          body: { helpful: input.helpful, ...(input.rating ? { rating: input.rating } : {}), ...(input.comment?.trim() ? { comment: input.comment.trim() } : {}) },
        }) as never,
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: kbKeys.item(slug) }),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/kb/items/{id}/feedback', { params: { path: { id } } }) as never),
    onSuccess: () => qc.invalidateQueries({ queryKey: kbKeys.item(slug) }),
  });
  return { put, remove };
}
