/**
 * Object-level rules O1–O3: which fichas an actor may see. Staff and services see everything.
 */
import { errors } from '@sicora/platform/errors';
import type { Actor } from './context.ts';
import type { Repositories } from './ports.ts';

export const outOfScope = () => errors.forbidden('No tiene acceso a esta ficha');

export function createAccess(deps: { repos: Pick<Repositories, 'groups'> }) {
  const groups = deps.repos.groups;
  return {
    /** null = unrestricted; otherwise the ficha ids the actor may read (O1, O2). */
    async scope(actor: Actor): Promise<string[] | null> {
      if (actor.role === 'instructor') return groups.linkedGroupIds(actor.sub);
      if (actor.role === 'aprendiz') {
        if (!actor.groupId) throw outOfScope();
        return [actor.groupId];
      }
      return null;
    },
    async assertGroup(actor: Actor, groupId: string) {
      const scope = await this.scope(actor);
      if (scope !== null && !scope.includes(groupId)) throw outOfScope();
    },
    /** O3: an instructor may only filter by their own id (staff and services by any; an aprendiz's results stay inside their ficha, O2). */
    assertInstructorFilter(actor: Actor, instructorId: string | undefined) {
      if (instructorId === undefined) return;
      if (actor.role === 'instructor' && instructorId !== actor.sub) throw errors.forbidden('Solo puede consultar su propio horario');
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
