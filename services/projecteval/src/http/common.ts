/** Request helpers shared by the route plugins: the actor, list replies and sort parsing. */
import type { FastifyRequest } from 'fastify';
import { currentUser } from '@sicora/platform/auth';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { Actor } from '../application/context.ts';

export function actorOf(request: FastifyRequest): Actor {
  const u = currentUser(request);
  return { sub: u.sub, role: u.role };
}

export function listReply<T>(request: FastifyRequest, path: string, query: Record<string, unknown>, items: T[], total: number, warnings?: string[]) {
  const page = pageRequest(query as { page?: number; page_size?: number });
  const meta = paginationMeta(page, total);
  return ok(request, items, { pagination: meta, links: paginationLinks(path, query, meta), warnings: warnings?.length ? warnings : undefined });
}

/** `field` or `-field` (already checked by the schema's pattern) → field and direction. */
export function sortOf<F extends string>(sort: string | undefined, fallback: `${'' | '-'}${F}`): { field: F; dir: 'asc' | 'desc' } {
  const s = sort ?? fallback;
  return s.startsWith('-') ? { field: s.slice(1) as F, dir: 'desc' } : { field: s as F, dir: 'asc' };
}
