/**
 * What every use case receives (app.ts builds it): repositories, the unit of work, the ports, the clock
 * and the zone; plus the actor (who is asking) derived from the token by the routes.
 */
import type { Role } from '@sicora/platform/roles';
import { localDateOf } from '../domain/dates.ts';
import type { AttendancePort, EvalinPort, KbPort, LlmPort, ProjectevalPort, Repositories, SchedulesPort, UsersPort, WithTransaction } from './ports.ts';

export interface AiOptions {
  ratePerMinute: number;
  ratePerDay: number;
  llmMaxConcurrency: number;
  minPassageScore: number;
  /** R16's LLM timeouts (tests shorten them through buildApp overrides). */
  llmTimeouts: { connectMs: number; firstTokenMs: number; totalMs: number; slotWaitMs: number; retryDelayMs: number };
}

export interface Deps {
  repos: Repositories;
  withTransaction: WithTransaction;
  kb: KbPort;
  llm: LlmPort;
  schedules: SchedulesPort;
  users: UsersPort;
  attendance: AttendancePort;
  projecteval: ProjectevalPort;
  evalin: EvalinPort;
  now: () => Date;
  timeZone: string;
  options: AiOptions;
}

export interface Actor {
  sub: string;
  role: Role;
  token: string;
  requestId?: string;
  groupId?: string;
}

export function today(deps: Pick<Deps, 'now' | 'timeZone'>): string {
  return localDateOf(deps.now(), deps.timeZone);
}

export const isCoordination = (actor: Pick<Actor, 'role'>) => actor.role === 'admin' || actor.role === 'coordinador';
