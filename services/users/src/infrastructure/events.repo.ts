/**
 * Security events (§4.7), written in the transaction of the change they describe (R34), and read by U13.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lte, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import { securityEvents, type SecurityEventRow } from './db/schema.ts';

export type { SecurityEventRow };

export interface EventContext {
  ipMasked: string | null;
  userAgent: string | null;
  actorId: string | null;
  at: Date;
}

export interface EventFilter {
  userId?: string;
  types?: string[];
  from?: Date;
  to?: Date;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function createEventsRepo(db: Db) {
  return {
    /** Returns the event's id (notification keys are made from it). */
    async record(ctx: EventContext, type: string, userId: string | null, details: Record<string, unknown> = {}): Promise<string> {
      const id = randomUUID();
      await db.insert(securityEvents).values({
        id, type, userId, actorId: ctx.actorId, ipMasked: ctx.ipMasked, userAgent: ctx.userAgent, details, occurredAt: ctx.at,
      });
      return id;
    },

    async list(f: EventFilter): Promise<{ rows: SecurityEventRow[]; total: number }> {
      const conds: SQL[] = [];
      if (f.userId) conds.push(eq(securityEvents.userId, f.userId));
      if (f.types?.length) conds.push(inArray(securityEvents.type, f.types));
      if (f.from) conds.push(gte(securityEvents.occurredAt, f.from));
      if (f.to) conds.push(lte(securityEvents.occurredAt, f.to));
      const where = conds.length ? and(...conds) : undefined;
      const order = f.direction === 'desc'
        ? [desc(securityEvents.occurredAt), desc(securityEvents.id)]
        : [asc(securityEvents.occurredAt), asc(securityEvents.id)];
      // A year of events (R34): the count as a subquery keeps the page's early stop on occurred_at's index.
      const counted = db.select({ total: count() }).from(securityEvents).where(where);
      const page = db.select(withTotal(getTableColumns(securityEvents), countTotal(counted))).from(securityEvents).where(where).orderBy(...order).offset(f.offset).limit(f.limit);
      return listPage(page, f.offset, async () => Number((await counted)[0].total));
    },
  };
}

export type EventsRepo = ReturnType<typeof createEventsRepo>;
