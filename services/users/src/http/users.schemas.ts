/**
 * Schemas of user management (U1–U13).
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { UserCardSchema, UserViewSchema } from './common.schemas.ts';

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
  group_id: Type.Optional(Nullable(Uuid)),
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
  group_id: Type.Optional(Uuid),
  group_number: Type.Optional(Str(20)),
  search: Type.Optional(Str(100)),
  must_change_password: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
  include_deleted: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Str(40)),
};

export const ListQuerySchema = Type.Object({ ...ListFilters, ...PageQuery }, { additionalProperties: false });
export const ExportQuerySchema = Type.Object(ListFilters, { additionalProperties: false });

export const AvailabilityQuery = Type.Object(
  { email: Type.Optional(Type.String({ maxLength: 300 })), document_number: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);
const Availability = Type.Object({ value: Type.String(), available: Type.Boolean() });
export const AvailabilitySchema = Type.Object({ email: Type.Optional(Availability), document_number: Type.Optional(Availability) });

export const LookupBody = Type.Object({
  ids: Type.Optional(Type.Array(Uuid, { maxItems: 501 })),
  document_numbers: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 501 })),
  emails: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 501 })),
}, { additionalProperties: false });
export const LookupSchema = Type.Object({
  found: Type.Array(Type.Union([Type.Intersect([UserViewSchema, Type.Object({ is_deleted: Type.Boolean() })]), UserCardSchema])),
  missing: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});

export const SecurityEventsQuery = Type.Object({
  user_id: Type.Optional(Uuid), type: Type.Optional(Type.String({ maxLength: 500 })),
  from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
  sort: Type.Optional(Type.Union([Type.Literal('occurred_at'), Type.Literal('-occurred_at')])), ...PageQuery,
}, { additionalProperties: false });
export const SecurityEventList = Type.Array(Type.Object({
  id: Type.String(), type: Type.String(), user_id: Nullable(Type.String()), actor_id: Nullable(Type.String()),
  ip_masked: Nullable(Type.String()), user_agent: Nullable(Type.String()), details: Type.Record(Type.String(), Type.Unknown()),
  occurred_at: Type.String(),
}));

export const ActivationBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false });
export const StaffResetBody = Type.Object(
  { delivery: Type.Optional(Type.Union([Type.Literal('email_link'), Type.Literal('temporary_password')])) },
  { additionalProperties: false },
);
export const StaffResetSchema = Type.Object({ delivery: Type.String(), temporary_password: Type.Optional(Type.String()), link_expires_at: Type.Optional(Type.String()) });
export const UnlockSchema = Type.Object({ unlocked: Type.Literal(true) });
