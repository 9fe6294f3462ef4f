/**
 * What every use case receives (app.ts builds it): the repositories, the unit of work, the schedules and
 * users ports, the clock and the zone; plus the actor (who is asking) derived from the token by the routes.
 */
import type { Role } from '@sicora/platform/roles';
import type { Repositories, SchedulesPort, UsersPort, WithTransaction } from './ports.ts';

export interface Deps {
  repos: Repositories;
  withTransaction: WithTransaction;
  schedules: SchedulesPort;
  users: UsersPort;
  now: () => Date;
  timeZone: string;
}

export interface Actor {
  sub: string;
  role: Role;
  /** The aprendiz's ficha (token `group_id`). */
  groupId?: string;
}

export const isCoordination = (actor: Actor) => actor.role === 'admin' || actor.role === 'coordinador';
export const isStaff = (actor: Actor) => isCoordination(actor) || actor.role === 'administrativo' || actor.role === 'service';
