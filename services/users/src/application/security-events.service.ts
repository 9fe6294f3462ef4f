/**
 * U13: the security log of §4.7, filtered and paged.
 */
import { errors } from '@sicora/platform/errors';
import type { UsersDeps } from './ports.ts';

export interface EventsQuery {
  user_id?: string;
  type?: string;
  from?: string;
  to?: string;
  sort?: 'occurred_at' | '-occurred_at';
}

export function createSecurityEventsService(deps: Pick<UsersDeps, 'repos'>) {
  return {
    async list(q: EventsQuery, page: { offset: number; limit: number }) {
      const from = q.from ? new Date(q.from) : undefined;
      const to = q.to ? new Date(q.to) : undefined;
      if (from && to && from > to) throw errors.validation([{ field: 'from', reason: 'range', message: '`from` debe ser anterior a `to`' }]);
      const { rows, total } = await deps.repos.events.list({
        userId: q.user_id, types: q.type?.split(',').map((t) => t.trim()).filter(Boolean), from, to,
        direction: q.sort === 'occurred_at' ? 'asc' : 'desc', offset: page.offset, limit: page.limit,
      });
      const items = rows.map((e) => ({
        id: e.id, type: e.type, user_id: e.userId, actor_id: e.actorId, ip_masked: e.ipMasked, user_agent: e.userAgent,
        details: e.details as Record<string, unknown>, occurred_at: e.occurredAt.toISOString(),
      }));
      return { items, total };
    },
  };
}

export type SecurityEventsService = ReturnType<typeof createSecurityEventsService>;
