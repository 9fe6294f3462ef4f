/**
 * What every use case receives (app.ts builds it): the repositories, the unit of work, the clock and the
 * zone; plus the actor (who is asking) taken from the token by the routes.
 */
import type { Repositories } from '../infrastructure/repositories.ts';

export type { Repositories };

export interface Deps {
  repos: Repositories;
  withTransaction: <T>(fn: (repos: Repositories) => Promise<T>) => Promise<T>;
  now: () => Date;
  timeZone: string;
  /** After a committed write of versioned fields: the `kb.embed-item` job (R15). */
  onContentChanged?: (itemId: string) => void;
}

export interface Actor {
  sub: string;
  role: string;
  name?: string;
}

export const isEditorActor = (actor: Actor) => actor.role === 'admin' || actor.role === 'coordinador';
