/** Request helpers shared by the route plugins: the actor and list replies. */
import type { FastifyRequest } from 'fastify';
import { currentUser } from '@sicora/platform/auth';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { Actor } from '../application/context.ts';

export function actorOf(request: FastifyRequest): Actor {
  const u = currentUser(request);
  return { sub: u.sub, role: u.role, name: u.name };
}

export function listReply<T>(request: FastifyRequest, path: string, query: Record<string, unknown>, items: T[], total: number) {
  const page = pageRequest(query as { page?: number; page_size?: number });
  const meta = paginationMeta(page, total);
  return ok(request, items, { pagination: meta, links: paginationLinks(path, query, meta) });
}

export const csv = (value: string | undefined) => (value ? [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))] : undefined);
