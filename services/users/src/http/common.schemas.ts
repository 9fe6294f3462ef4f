/**
 * Shared TypeBox schemas: UserView, UserCard, TokenPair (§4.6).
 */
import { Type } from 'typebox';
import { Nullable, Timestamp as Instant, Uuid } from '@sicora/platform/schemas';
import { DOCUMENT_TYPES, USER_ROLES } from '../domain/identity.rules.ts';

/** One of `values`: a string `enum` in the document (one 422 entry per field), typed as their union. */
export const oneOfValues = <T extends string>(values: readonly T[], options?: { description?: string }) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

const Role = oneOfValues(USER_ROLES);
const DocumentType = oneOfValues(DOCUMENT_TYPES);

export const UserViewSchema = Type.Object(
  {
    id: Uuid,
    first_name: Type.String(),
    last_name: Type.String(),
    full_name: Type.String(),
    email: Type.String(),
    document_type: DocumentType,
    document_number: Type.String(),
    phone: Nullable(Type.String()),
    role: Role,
    group_id: Nullable(Type.String()),
    group_number: Nullable(Type.String()),
    area: Nullable(Type.String()),
    avatar_url: Nullable(Type.String()),
    is_active: Type.Boolean(),
    must_change_password: Type.Boolean(),
    locked_until: Nullable(Instant),
    last_login_at: Nullable(Instant),
    password_changed_at: Nullable(Instant),
    created_at: Instant,
    updated_at: Instant,
    deleted_at: Type.Optional(Nullable(Instant)),
    links: Type.Optional(Type.Record(Type.String(), Type.Object({ href: Type.String(), method: Type.String() }))),
  },
  { description: 'UserView (§4.6); never the password hash' },
);

export const UserCardSchema = Type.Object({
  id: Type.String(),
  full_name: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  role: Role,
  group_id: Nullable(Type.String()),
  group_number: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  is_active: Type.Boolean(),
  is_deleted: Type.Boolean(),
});

export const TokenPairSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.String(),
  refresh_expires_at: Instant,
  session_id: Type.String(),
  must_change_password: Type.Boolean(),
  user: UserViewSchema,
});

export const EmptyObject = Type.Object({});
