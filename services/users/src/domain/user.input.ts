/**
 * Field-level validation and normalisation of user data (§3.1, R1, R2), shared by U2, U4, P2, B1 and B3.
 */
import type { FieldError } from '@sicora/platform/errors';
import { normalizeRole } from '@sicora/platform/roles';
import {
  areaError, avatarError, documentError, documentTypeError, emailError, nameError, normalizeDocument, normalizeEmail,
  normalizeName, normalizePhone, phoneError, USER_ROLES, type DocumentType, type UserRole,
} from './identity.rules.ts';

/** U1 `sort` fields (and B5's order), each a column of the list. */
export const SORTABLE = ['last_name', 'first_name', 'email', 'document_number', 'role', 'created_at', 'last_login_at'] as const;
export type SortField = (typeof SORTABLE)[number];
/** `sort` as a request gives it: a field, `-` first for descending. */
export type SortInput = SortField | `-${SortField}`;

export interface UserInput {
  first_name?: string;
  last_name?: string;
  email?: string;
  document_type?: string;
  document_number?: string;
  role?: string;
  phone?: string | null;
  area?: string | null;
  avatar_url?: string | null;
  group_id?: string | null;
  group_number?: string | null;
}

export interface NormalizedInput {
  firstName?: string;
  lastName?: string;
  email?: string;
  documentType?: DocumentType;
  documentNumber?: string;
  role?: UserRole;
  phone?: string | null;
  area?: string | null;
  avatarUrl?: string | null;
  groupId?: string | null;
  groupNumber?: string | null;
}

const blank = (v: string | null | undefined) => v === null || (typeof v === 'string' && v.trim() === '');

/** Normalises what is present; `current` supplies the document type/number a partial edit keeps. */
export function normalizeUserInput(
  input: UserInput,
  current?: { documentType: string; documentNumber: string },
  prefix = '',
): { values: NormalizedInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values: NormalizedInput = {};
  const add = (e: FieldError | undefined) => e && errors.push({ ...e, field: prefix + e.field });
  if (input.first_name !== undefined) {
    add(nameError('first_name', input.first_name));
    values.firstName = normalizeName(input.first_name);
  }
  if (input.last_name !== undefined) {
    add(nameError('last_name', input.last_name));
    values.lastName = normalizeName(input.last_name);
  }
  if (input.email !== undefined) {
    add(emailError('email', input.email));
    values.email = normalizeEmail(input.email);
  }
  if (input.document_type !== undefined) {
    const t = input.document_type.trim().toUpperCase();
    add(documentTypeError('document_type', t));
    values.documentType = t as DocumentType;
  }
  if (input.document_number !== undefined || input.document_type !== undefined) {
    const type = values.documentType ?? current?.documentType ?? '';
    const number = input.document_number !== undefined ? normalizeDocument(input.document_number) : current?.documentNumber ?? '';
    if (!errors.some((e) => e.field === `${prefix}document_type`)) add(documentError('document_number', type, number));
    if (input.document_number !== undefined) values.documentNumber = number;
  }
  if (input.role !== undefined) {
    const role = normalizeRole(input.role);
    if (!role || !(USER_ROLES as readonly string[]).includes(role)) {
      add({ field: 'role', reason: 'enum', message: `Rol no válido; use ${USER_ROLES.join(', ')}` });
    } else values.role = role as UserRole;
  }
  if (input.phone !== undefined) {
    if (blank(input.phone)) values.phone = null;
    else {
      add(phoneError('phone', input.phone!));
      values.phone = normalizePhone(input.phone!) ?? null;
    }
  }
  if (input.area !== undefined) {
    if (blank(input.area)) values.area = null;
    else {
      add(areaError('area', input.area!));
      values.area = input.area!.trim();
    }
  }
  if (input.avatar_url !== undefined) {
    if (blank(input.avatar_url)) values.avatarUrl = null;
    else {
      add(avatarError('avatar_url', input.avatar_url!.trim()));
      values.avatarUrl = input.avatar_url!.trim();
    }
  }
  if (input.group_id !== undefined) values.groupId = blank(input.group_id) ? null : input.group_id!.trim().toLowerCase();
  if (input.group_number !== undefined) {
    if (blank(input.group_number)) values.groupNumber = null;
    else {
      const n = input.group_number!.trim();
      if (!/^\d{4,10}$/.test(n)) add({ field: 'group_number', reason: 'pattern', message: 'El número de ficha tiene de 4 a 10 dígitos' });
      values.groupNumber = n;
    }
  }
  return { values, errors };
}
