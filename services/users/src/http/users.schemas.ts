/**
 * Request schemas of user management (U1–U13).
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable } from './common.schemas.ts';

const Str = (max: number) => Type.String({ maxLength: max });

export const UserFieldsSchema = {
  first_name: Str(200),
  last_name: Str(200),
  email: Str(300),
  document_type: Str(10),
  document_number: Str(40),
  role: Str(30),
  phone: Type.Optional(Nullable(Str(30))),
  area: Type.Optional(Nullable(Str(200))),
  avatar_url: Type.Optional(Nullable(Str(600))),
  group_id: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
  group_number: Type.Optional(Nullable(Str(20))),
};

export const CreateUserBody = Type.Object(
  { ...UserFieldsSchema, password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
  { additionalProperties: false },
);

export const UpdateFields = {
  first_name: Type.Optional(UserFieldsSchema.first_name),
  last_name: Type.Optional(UserFieldsSchema.last_name),
  email: Type.Optional(UserFieldsSchema.email),
  document_type: Type.Optional(UserFieldsSchema.document_type),
  document_number: Type.Optional(UserFieldsSchema.document_number),
  role: Type.Optional(UserFieldsSchema.role),
  phone: UserFieldsSchema.phone,
  area: UserFieldsSchema.area,
  avatar_url: UserFieldsSchema.avatar_url,
  group_id: UserFieldsSchema.group_id,
  group_number: UserFieldsSchema.group_number,
  is_active: Type.Optional(Type.Boolean()),
  must_change_password: Type.Optional(Type.Boolean()),
};

export const UpdateUserBody = Type.Object(UpdateFields, { additionalProperties: false, minProperties: 1 });

export const ListFilters = {
  role: Type.Optional(Str(200)),
  is_active: Type.Optional(Type.Boolean()),
  group_id: Type.Optional(Type.String({ format: 'uuid' })),
  group_number: Type.Optional(Str(20)),
  search: Type.Optional(Str(100)),
  must_change_password: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
  include_deleted: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Str(40)),
};

export const ListQuerySchema = Type.Object({ ...ListFilters, ...PageQuery }, { additionalProperties: false });
export const ExportQuerySchema = Type.Object(ListFilters, { additionalProperties: false });
