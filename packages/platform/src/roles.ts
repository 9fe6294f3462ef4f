/** Roles of 00-conventions §4, stored and emitted in lower case; English aliases accepted on input. */
export const ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;
export type Role = (typeof ROLES)[number];
export const PERSON_ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

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
