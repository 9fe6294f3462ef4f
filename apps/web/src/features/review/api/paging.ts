import { unwrap } from '../../../lib/errors.ts';

export interface Paged<T> {
  items: T[];
  total: number;
  totalPages: number;
}

type Result = Promise<{ data?: { data: unknown; meta?: { pagination?: { total: number; total_pages: number } } }; error?: unknown; response: Response }>;

/** A list answer (00-conventions §3): its items and `meta.pagination`. */
export async function pagedOf<T>(result: Awaited<Result>): Promise<Paged<T>> {
  const items = await unwrap<T[]>(Promise.resolve(result) as never);
  const pagination = result.data?.meta?.pagination;
  return { items, total: pagination?.total ?? items.length, totalPages: Math.max(1, pagination?.total_pages ?? 1) };
}
