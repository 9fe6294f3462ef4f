/** Request helpers shared by the route plugins: the actor, list replies and sort parsing. */
import type { FastifyRequest } from 'fastify';
import { currentUser } from '@sicora/platform/auth';
import { pageRequest, paginationLinks, paginationMeta, parseSort, type SortSpec } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { Actor } from '../application/context.ts';

export function actorOf(request: FastifyRequest): Actor {
  const u = currentUser(request);
  const actor: Actor = { sub: u.sub, role: u.role };
  if (u.group_id) actor.groupId = u.group_id;
  return actor;
}

export function pageOf(query: { page?: number; page_size?: number }) {
  const p = pageRequest(query);
  return { limit: p.pageSize, offset: (p.page - 1) * p.pageSize };
}

export function listReply<T>(request: FastifyRequest, path: string, query: Record<string, unknown>, items: T[], total: number, warnings?: string[]) {
  const page = pageRequest(query as { page?: number; page_size?: number });
  const meta = paginationMeta(page, total);
  return ok(request, items, { pagination: meta, links: paginationLinks(path, query, meta), warnings: warnings?.length ? warnings : undefined });
}

export function sortOf<F extends string>(sort: string | undefined, allowed: readonly F[], fallback: SortSpec<F>): { field: F; direction: 'asc' | 'desc' } {
  const s = parseSort(sort, allowed, fallback);
  return { field: s.field, direction: s.direction };
}
