/** Request helpers shared by the route plugins: the actor and list replies. */
import type { FastifyRequest } from 'fastify';
import { currentUser } from '@sicora/platform/auth';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { Actor } from '../application/context.ts';

export function actorOf(request: FastifyRequest): Actor {
  const u = currentUser(request);
  const actor: Actor = { sub: u.sub, role: u.role, token: u.token, requestId: request.id };
  if (u.group_id) actor.groupId = u.group_id;
  return actor;
}

export function listReply<T>(request: FastifyRequest, path: string, query: Record<string, unknown>, items: T[], total: number, warnings?: string[]) {
  const page = pageRequest(query as { page?: number; page_size?: number });
  const meta = paginationMeta(page, total);
  return ok(request, items, { pagination: meta, links: paginationLinks(path, query, meta), warnings });
}

export function selfLink(href: string) {
  return { self: { href, method: 'GET' } };
}
