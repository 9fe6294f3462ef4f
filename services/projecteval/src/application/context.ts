/**
 * What every use case receives (app.ts builds it), the actor derived from the token, and the role tests
 * every rule of §2 repeats.
 */
import type { Role } from '@sicora/platform/roles';
import { localDate } from '../domain/time.ts';
import type { FileStore, Repositories, SchedulesPort, UsersPort, WithTransaction } from './ports.ts';

export interface Deps {
  repos: Repositories;
  withTransaction: WithTransaction;
  schedules: SchedulesPort;
  users: UsersPort;
  files: FileStore;
  now: () => Date;
  timeZone: string;
}

export interface Actor {
  sub: string;
  role: Role;
}

export const isCoordination = (a: Actor) => a.role === 'admin' || a.role === 'coordinador';
/** O5: service tokens read as administrativo. */
export const isStaffReader = (a: Actor) => a.role === 'admin' || a.role === 'coordinador' || a.role === 'administrativo' || a.role === 'service';
export const isApprentice = (a: Actor) => a.role === 'aprendiz';
export const isInstructor = (a: Actor) => a.role === 'instructor';

export function today(deps: Pick<Deps, 'now' | 'timeZone'>): string {
  return localDate(deps.now(), deps.timeZone);
}
