/** Request helpers shared by the route plugins: the actor, list replies, enum schemas. */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { currentUser } from '@sicora/platform/auth';
import { Envelope } from '@sicora/platform/envelope';
import { pageRequest, paginationLinks, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { TSchema } from 'typebox';
import type { Actor } from '../application/context.ts';

export const Security = [{ bearer: [] }];

export function actorOf(request: FastifyRequest): Actor {
  const u = currentUser(request);
  const actor: Actor = { sub: u.sub, role: u.role, token: u.token, requestId: request.id };
  if (u.group_id) actor.groupId = u.group_id;
  return actor;
}

export function listReply<T>(request: FastifyRequest, path: string, query: Record<string, unknown>, items: T[], total: number, warnings?: string[]) {
  const page = pageRequest(query as { page?: number; page_size?: number });
  const meta = paginationMeta(page, total);
  return ok(request, items, { pagination: meta, links: paginationLinks(path, query, meta), warnings: warnings?.length ? warnings : undefined });
}

export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

/** A comma list whose items come from `values` (422 naming the field otherwise). */
export function CsvOf(values: readonly string[], description: string) {
  const one = `(${values.join('|')})`;
  return Type.String({ pattern: `^${one}(,${one})*$`, maxLength: 200, description });
}

export const csv = (v: string | undefined) => (v ? [...new Set(v.split(','))] : undefined);
