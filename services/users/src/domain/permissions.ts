/**
 * Object-level rules O1 and O2 (users.md §2): who may manage whom and assign which role.
 */
import type { Role } from '@sicora/platform/roles';
import type { UserRole } from './identity.rules.ts';
import { userErrors } from './users.errors.ts';

const MANAGEABLE: Partial<Record<Role, readonly UserRole[]>> = {
  admin: ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'],
  coordinador: ['aprendiz', 'instructor', 'administrativo'],
  administrativo: ['aprendiz', 'instructor'],
};

export function manageableRoles(actorRole: Role): readonly UserRole[] {
  return MANAGEABLE[actorRole] ?? [];
}

/** O1 + O2 for a target; throws the matching 403. */
export function assertCanManage(actor: { sub: string; role: Role }, target: { id: string; role: UserRole }): void {
  if (actor.sub === target.id) throw userErrors.selfAction();
  if (!manageableRoles(actor.role).includes(target.role)) throw userErrors.insufficient();
}

export function assertCanAssignRole(actorRole: Role, role: UserRole): void {
  if (!manageableRoles(actorRole).includes(role)) throw userErrors.roleNotAllowed(role);
}
