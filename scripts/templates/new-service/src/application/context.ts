/**
 * What every use case receives (app.ts builds it): the repositories, the unit of work, the clock and the
 * zone; plus the actor (who is asking), taken from the token by the routes.
 */
import type { Role } from '@sicora/platform/roles';
import type { Repositories, WithTransaction } from './ports.ts';

export interface Deps {
  repos: Repositories;
  withTransaction: WithTransaction;
  /** Tests fix "now" through the overrides; use cases never read Date.now() themselves. */
  now: () => Date;
  /** `SICORA_TIMEZONE`: local dates and the jobs' cron run in it. */
  timeZone: string;
}

export interface Actor {
  sub: string;
  role: Role;
}
