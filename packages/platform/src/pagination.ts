/**
 * Pagination of 00-conventions §3: query schema, offset maths, `meta.pagination` and the `links` set.
 */
import { Type, type Static } from 'typebox';
import type { Links, PaginationMeta } from './envelope.ts';
import { errors } from './errors.ts';

/**
 * The highest `page` any list accepts (00-conventions §3): above it 422, so the offset
 * (`(page - 1) × page_size` ≤ 999 900) always fits the database's integers. A page past the last one is
 * an empty page, not an error.
 */
export const MAX_PAGE = 10_000;
export const MAX_PAGE_SIZE = 100;

export const PageQuery = {
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: `Página (desde 1, máx. ${MAX_PAGE}); una página después de la última está vacía` }),
  ),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 20, description: `Tamaño de página (máx. ${MAX_PAGE_SIZE})` })),
};

export const PageQuerySchema = Type.Object(PageQuery);
export type PageQueryInput = Static<typeof PageQuerySchema>;

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
  limit: number;
}

/**
 * Offset and limit of a page. The schema bounds `page` and `page_size`; a caller that skips the schema
 * still gets 422 for a page beyond `MAX_PAGE` rather than an offset the database cannot read.
 */
export function pageRequest(query: { page?: number; page_size?: number }): PageRequest {
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? 20;
  const problems = [
    ...(Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? [] : [{ field: 'page', reason: 'maximum', message: `Debe ser un entero entre 1 y ${MAX_PAGE}` }]),
    ...(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= MAX_PAGE_SIZE ? [] : [{ field: 'page_size', reason: 'maximum', message: `Debe ser un entero entre 1 y ${MAX_PAGE_SIZE}` }]),
  ];
  if (problems.length > 0) throw errors.validation(problems);
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize };
}

export function paginationMeta(req: Pick<PageRequest, 'page' | 'pageSize'>, total: number): PaginationMeta {
  const totalPages = Math.max(1, Math.ceil(total / req.pageSize));
  return {
    page: req.page,
    page_size: req.pageSize,
    total,
    total_pages: totalPages,
    has_next: req.page < totalPages,
    has_prev: req.page > 1,
  };
}

/**
 * `self`, `first`, `last`, `next`, `prev` for a list at `path`, keeping every other query parameter.
 */
export function paginationLinks(path: string, query: Record<string, unknown>, meta: PaginationMeta): Links {
  const href = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || k === 'page') continue;
      if (Array.isArray(v)) v.forEach((x) => params.append(k, String(x)));
      else params.set(k, String(v));
    }
    params.set('page', String(page));
    if (!params.has('page_size')) params.set('page_size', String(meta.page_size));
    return `${path}?${params.toString()}`;
  };
  const links: Links = {
    self: { href: href(meta.page), method: 'GET' },
    first: { href: href(1), method: 'GET' },
    last: { href: href(meta.total_pages), method: 'GET' },
  };
  if (meta.has_next) links.next = { href: href(meta.page + 1), method: 'GET' };
  if (meta.has_prev) links.prev = { href: href(meta.page - 1), method: 'GET' };
  return links;
}

export interface SortSpec<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

/** Parses `field` / `-field` against an allow-list; anything else is 422 naming `sort`. */
export function parseSort<F extends string>(sort: string | undefined, allowed: readonly F[], fallback: SortSpec<F>): SortSpec<F> {
  if (sort === undefined || sort === '') return fallback;
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as F;
  if (!allowed.includes(field)) {
    throw errors.validation([
      { field: 'sort', reason: 'not_allowed', message: `Orden no permitido; use uno de: ${allowed.join(', ')}` },
    ]);
  }
  return { field, direction: desc ? 'desc' : 'asc' };
}
