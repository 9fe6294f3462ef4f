/**
 * users §2's permission matrix and object rules O1/O2 as the Personas screen applies them: which actions a
 * role sees, on which people, and which fields and roles it may set. The API still decides; this only keeps
 * the screen from offering what would answer 403.
 */
export type Role = 'admin' | 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz';
export type StaffRole = 'admin' | 'coordinador' | 'administrativo';

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrador',
  coordinador: 'Coordinador',
  administrativo: 'Administrativo',
  instructor: 'Instructor',
  aprendiz: 'Aprendiz',
};

export const ALL_ROLES: Role[] = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'];

/** O1: the roles of the people each caller may manage, which are also the roles it may assign. */
const MANAGEABLE: Record<StaffRole, Role[]> = {
  admin: ALL_ROLES,
  coordinador: ['administrativo', 'instructor', 'aprendiz'],
  administrativo: ['instructor', 'aprendiz'],
};

export function isStaff(role: string | undefined): role is StaffRole {
  return role === 'admin' || role === 'coordinador' || role === 'administrativo';
}

/** What the caller may do on the screen as a whole (users §2 rows). */
export interface Capabilities {
  create: boolean;
  import: boolean;
  export: boolean;
  /** B3. */
  bulkUpdate: boolean;
  /** B4 (admin only). */
  bulkDelete: boolean;
  /** U1 `include_deleted` (admin only). */
  seeDeleted: boolean;
}

export function capabilitiesOf(role: StaffRole): Capabilities {
  return {
    create: true,
    import: true,
    export: true,
    bulkUpdate: role !== 'administrativo',
    bulkDelete: role === 'admin',
    seeDeleted: role === 'admin',
  };
}

export function assignableRoles(caller: StaffRole): Role[] {
  return MANAGEABLE[caller];
}

export interface Target {
  id: string;
  role: Role;
  is_active: boolean;
  locked_until: string | null;
  deleted_at?: string | null;
}

export type UserAction = 'edit' | 'activate' | 'deactivate' | 'unlock' | 'reset_password';

/**
 * The actions on one person: O1 (manageable roles), O2 (never one's own account), O3 (nothing on a deleted
 * one), the matrix (administrativo edits only), and the state (activate only an inactive one, unlock only a
 * locked one, a password reset only for an active one: U9's USER_INACTIVE).
 */
export function actionsFor(caller: { sub: string; role: StaffRole }, target: Target, now: Date = new Date()): UserAction[] {
  if (target.id === caller.sub || target.deleted_at) return [];
  if (!MANAGEABLE[caller.role].includes(target.role)) return [];
  if (caller.role === 'administrativo') return ['edit'];
  const out: UserAction[] = ['edit', target.is_active ? 'deactivate' : 'activate'];
  if (target.locked_until && new Date(target.locked_until).getTime() > now.getTime()) out.push('unlock');
  if (target.is_active) out.push('reset_password');
  return out;
}

/** Whether the caller may pick this person for a bulk operation (B3 "T", B4). */
export function selectable(caller: { sub: string; role: StaffRole }, target: Target): boolean {
  if (caller.role === 'administrativo') return false;
  return target.id !== caller.sub && !target.deleted_at && MANAGEABLE[caller.role].includes(target.role);
}

/** U4 for an administrativo: names, contact, document and the ficha only (no role, no state). */
export function canChangeRole(caller: StaffRole): boolean {
  return caller !== 'administrativo';
}
