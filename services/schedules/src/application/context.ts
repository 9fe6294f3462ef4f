/**
 * What every use case receives (app.ts builds it): the repositories, the unit of work, the users port, the
 * clock and the zone; plus the actor (who is asking) derived from the token by the routes.
 */
import type { Role } from '@sicora/platform/roles';
import { toLocal, type LocalDateTime } from '../domain/calendar.ts';
import type { CallAs, Repositories, UsersPort, WithTransaction } from './ports.ts';

export interface Deps {
  repos: Repositories;
  withTransaction: WithTransaction;
  users: UsersPort;
  now: () => Date;
  timeZone: string;
}

export interface Actor {
  sub: string;
  role: Role;
  groupId?: string;
  token: string;
  requestId?: string;
}

/** R30: forward the caller's token when their role may call users itself; otherwise the service token. */
export function callAs(actor: Actor): CallAs {
  const mayCall = actor.role === 'admin' || actor.role === 'coordinador' || actor.role === 'administrativo' || actor.role === 'service';
  return mayCall ? { token: actor.token, requestId: actor.requestId } : { requestId: actor.requestId };
}

export function localNow(deps: Pick<Deps, 'now' | 'timeZone'>): LocalDateTime {
  return toLocal(deps.now(), deps.timeZone);
}

export function today(deps: Pick<Deps, 'now' | 'timeZone'>): string {
  return localNow(deps).date;
}
