/**
 * Roles of 00-conventions §4, stored and emitted in lower case; English aliases accepted on input. The
 * named groups are the sets the specs' permission matrices keep repeating, so a guard reads like its spec
 * row and one declaration can serve both the guard and the route's documented `x-roles`.
 */
export const ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;
export type Role = (typeof ROLES)[number];
export const PERSON_ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Administrators only. */
export const ADMINS = ['admin'] as const;
/** Coordination: administrators and coordinators (the "everything an admin does" rows). */
export const COORDINATION = ['admin', 'coordinador'] as const;
/** The centre's staff ("administrative staff" included): admin, coordinador, administrativo. */
export const STAFF = ['admin', 'coordinador', 'administrativo'] as const;
/** Everyone who works at the centre: the staff and the instructors (not apprentices). */
export const PERSONNEL = ['admin', 'coordinador', 'administrativo', 'instructor'] as const;
/** Every person with an account (no `service`); same list as PERSON_ROLES. */
export const PEOPLE = PERSON_ROLES;
/** Every role, internal callers (`service`) included. */
export const EVERYONE = ROLES;

/**
 * One group from groups and single roles, in the order given (the order reaches 403 `required_roles`),
 * without duplicates: `roleGroup(STAFF, 'instructor', 'service')`.
 */
export function roleGroup<const R extends Role>(...parts: Array<R | readonly R[]>): readonly R[] {
  const out: R[] = [];
  for (const part of parts) {
    for (const role of typeof part === 'string' ? [part] : part) if (!out.includes(role)) out.push(role);
  }
  return out;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `role` belongs to `group`; takes any string (a token claim) without a cast. */
export function inGroup(group: readonly Role[], role: string | null | undefined): boolean {
  return role != null && (group as readonly string[]).includes(role);
}

const ALIASES: Record<string, Role> = {
  apprentice: 'aprendiz',
  coordinator: 'coordinador',
  administrative: 'administrativo',
};

export function normalizeRole(value: string): Role | undefined {
  const v = value.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(v)) return v as Role;
  return ALIASES[v];
}
