/** Route helpers shared by every resource: the actor, common schema pieces and list replies. */
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { currentUser } from '@sicora/platform/auth';
import { Envelope } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { Actor } from '../application/context.ts';

export function actorOf(request: FastifyRequest): Actor {
  const u = currentUser(request);
  const actor: Actor = { sub: u.sub, role: u.role, token: u.token, requestId: request.id };
  if (u.group_id) actor.groupId = u.group_id;
  return actor;
}

export const Uuid = Type.String({ format: 'uuid' });
export const LocalDate = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Fecha local YYYY-MM-DD (Bogotá)' });
export const LocalTime = Type.String({ pattern: '^\\d{1,2}:\\d{2}$', description: 'Hora local HH:MM (Bogotá)' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const IdParams = Type.Object({ id: Uuid });

export const AuditFields = {
  created_by: Nullable(Uuid),
  updated_by: Nullable(Uuid),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
};

export const Ref = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

export function listReply<T>(request: FastifyRequest, path: string, query: Record<string, unknown>, items: T[], total: number, warnings?: string[]) {
  const page = pageRequest(query as { page?: number; page_size?: number });
  const meta = paginationMeta(page, total);
  return ok(request, items, { pagination: meta, links: paginationLinks(path, query, meta), warnings });
}

export function selfLink(href: string) {
  return { self: { href, method: 'GET' } };
}

export const Security = [{ bearer: [] }];
