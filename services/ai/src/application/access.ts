/**
 * O2: an instructor reaches risk data of ficha G only when G is assigned to them today (schedules G1 with
 * `assigned_on`), cached 5 min per instructor; coordinador and admin reach every ficha. Schedules failing
 * to confirm → 503 SERVICE_UNAVAILABLE (R34).
 */
import { aiErrors } from '../domain/errors.ts';
import { isCoordination, today, type Actor, type Deps } from './context.ts';

const TTL_MS = 5 * 60_000;

export function createAccess(deps: Deps) {
  const cache = new Map<string, { at: number; day: string; ids: string[] }>();

  async function assigned(actor: Actor): Promise<string[]> {
    const day = today(deps);
    const hit = cache.get(actor.sub);
    const t = deps.now().getTime();
    if (hit && hit.day === day && t - hit.at < TTL_MS) return hit.ids;
    const ids = await deps.schedules.assignedGroups(actor.sub, day, { token: actor.token, requestId: actor.requestId });
    cache.set(actor.sub, { at: t, day, ids });
    return ids;
  }

  return {
    /** undefined = every ficha (coordination); else the instructor's fichas of today. */
    async scope(actor: Actor): Promise<string[] | undefined> {
      return isCoordination(actor) ? undefined : assigned(actor);
    },
    /** The ficha exists (schedules G3 with the caller's token) and the caller reaches it. */
    async group(actor: Actor, groupId: string) {
      const group = await deps.schedules.group(groupId, { token: actor.token, requestId: actor.requestId });
      if (!group) throw aiErrors.groupNotFound();
      await this.assertGroup(actor, groupId);
      return group;
    },
    async assertGroup(actor: Actor, groupId: string) {
      if (isCoordination(actor)) return;
      if (!(await assigned(actor)).includes(groupId)) throw aiErrors.groupNotAssigned();
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
