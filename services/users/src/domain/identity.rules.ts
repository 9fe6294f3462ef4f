/**
 * Normalisation and validation of identity data (users.md §3.1, §3.2, R1, R2).
 */
import type { FieldError } from '@sicora/platform/errors';

export const DOCUMENT_TYPES = ['CC', 'TI', 'CE', 'PA', 'PPT'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export const USER_ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const;
export type UserRole = (typeof USER_ROLES)[number];
/** A role as a request may spell it: the five roles and the English aliases of 00-conventions §4. */
export const ROLE_INPUTS = [...USER_ROLES, 'apprentice', 'coordinator', 'administrative'] as const;

export const ROLE_LABELS: Record<UserRole, string> = {
  admin: 'Administrador',
  coordinador: 'Coordinador',
  administrativo: 'Administrativo',
  instructor: 'Instructor',
  aprendiz: 'Aprendiz',
};

const DOCUMENT_PATTERNS: Record<DocumentType, RegExp> = {
  CC: /^\d{7,10}$/,
  TI: /^\d{8,11}$/,
  CE: /^[A-Z0-9]{6,15}$/,
  PA: /^[A-Z0-9]{6,12}$/,
  PPT: /^[A-Z0-9]{6,15}$/,
};

const NAME_PATTERN = /^[\p{L}\p{M}][\p{L}\p{M} '.-]*$/u;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[A-Za-z]{2,}$/;

export const normalizeEmail = (value: string) => value.trim().toLowerCase();
export const normalizeDocument = (value: string) => value.trim().toUpperCase().replace(/[\s.-]/g, '');
export const normalizeName = (value: string) => value.trim().replace(/\s+/g, ' ');

/** Lower-case without accents (ñ kept as n): search text and forbidden-word comparisons. */
export function fold(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Names and e-mail, one per line so a match never spans two of them; documents match by prefix apart. */
export function searchTextOf(u: { firstName: string; lastName: string; email: string }): string {
  return fold(`${u.firstName}\n${u.lastName}\n${u.email}`);
}

export function nameError(field: string, value: string): FieldError | undefined {
  const v = normalizeName(value);
  // Characters are code points, as the request schema's minLength/maxLength count them.
  const length = [...v].length;
  if (length < 2 || length > 100) return { field, reason: 'length', message: 'Debe tener entre 2 y 100 caracteres' };
  if (!NAME_PATTERN.test(v)) return { field, reason: 'pattern', message: 'Solo se permiten letras, espacios, apóstrofos, guiones y puntos' };
  return undefined;
}

export function emailError(field: string, value: string): FieldError | undefined {
  const v = normalizeEmail(value);
  if (v.length > 254 || !EMAIL_PATTERN.test(v)) return { field, reason: 'format', message: 'El correo electrónico no es válido' };
  return undefined;
}

export function documentTypeError(field: string, value: string): FieldError | undefined {
  if (!(DOCUMENT_TYPES as readonly string[]).includes(value)) {
    return { field, reason: 'enum', message: `Tipo de documento no válido; use ${DOCUMENT_TYPES.join(', ')}` };
  }
  return undefined;
}

export function documentError(field: string, type: string, value: string): FieldError | undefined {
  const pattern = DOCUMENT_PATTERNS[type as DocumentType];
  if (!pattern) return undefined;
  if (!pattern.test(normalizeDocument(value))) {
    return { field, reason: 'pattern', message: `El número de documento no es válido para el tipo ${type}` };
  }
  return undefined;
}

/** `3XXXXXXXXX` gets +57; `+` and 8–15 digits is kept; spaces, dots, hyphens and brackets are ignored. */
export function normalizePhone(value: string): string | undefined {
  const v = value.trim().replace(/[\s.()-]/g, '');
  if (/^3\d{9}$/.test(v)) return `+57${v}`;
  if (/^\+\d{8,15}$/.test(v)) return v;
  return undefined;
}

export function phoneError(field: string, value: string): FieldError | undefined {
  return normalizePhone(value) ? undefined : { field, reason: 'format', message: 'Teléfono no válido: 3XXXXXXXXX o +<8 a 15 dígitos>' };
}

export function areaError(field: string, value: string): FieldError | undefined {
  return [...value.trim()].length > 100 ? { field, reason: 'length', message: 'Máximo 100 caracteres' } : undefined;
}

export function avatarError(field: string, value: string): FieldError | undefined {
  let ok = value.length <= 500;
  try {
    ok = ok && new URL(value).protocol === 'https:';
  } catch {
    ok = false;
  }
  return ok ? undefined : { field, reason: 'format', message: 'Debe ser una URL https de hasta 500 caracteres' };
}

export const fullName = (u: { firstName: string; lastName: string }) => `${u.firstName} ${u.lastName}`;
