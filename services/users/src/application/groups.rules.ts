/**
 * Ficha rules R3 (resolve and check the group) and R4 (capacity, counted here under a per-ficha lock).
 */
import { errors } from '@sicora/platform/errors';
import { userErrors } from '../domain/users.errors.ts';
import type { Group, GroupsPort, Repos } from './ports.ts';

/** The group an account of `role` gets, or null; throws the R3 errors. Called before any transaction. */
export async function resolveGroup(
  groups: GroupsPort,
  role: string,
  groupId: string | null | undefined,
  groupNumber: string | null | undefined,
  token: string,
): Promise<Group | null> {
  if (role !== 'aprendiz') {
    if (groupId || groupNumber) throw userErrors.groupNotAllowed();
    return null;
  }
  if (!groupId && !groupNumber) throw userErrors.groupRequired();
  let group: Group | undefined;
  if (groupNumber) {
    [group] = await groups.byNumbers([groupNumber], token);
    if (group && groupId && group.id !== groupId) {
      throw errors.validation([{ field: 'group_id', reason: 'mismatch', message: 'group_id y group_number no corresponden a la misma ficha' }]);
    }
  } else if (groupId) {
    group = /^[0-9a-f-]{36}$/.test(groupId) ? await groups.byId(groupId, token) : undefined;
  }
  if (!group) throw userErrors.groupNotFound();
  if (!group.is_active) throw userErrors.groupInactive();
  return group;
}

/** R4 inside the writing transaction: `adding` more active apprentices, besides `movingIds` already counted elsewhere. */
export async function assertCapacity(tx: Repos, group: Group, adding: number, movingIds: string[] = []): Promise<void> {
  if (group.max_apprentices === null || adding <= 0) return;
  await tx.users.lockGroup(group.id);
  const current = await tx.users.countActiveApprentices(group.id, movingIds);
  if (current + adding > group.max_apprentices) {
    throw userErrors.groupFull({ group_id: group.id, group_number: group.number, max_apprentices: group.max_apprentices, current });
  }
}
