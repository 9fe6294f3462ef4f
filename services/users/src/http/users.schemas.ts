/**
 * Schemas of user management (U1–U13).
 */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { DOCUMENT_TYPES, ROLE_INPUTS } from '../domain/identity.rules.ts';
import { SORTABLE, type SortInput } from '../domain/user.input.ts';
import { oneOfValues, UserCardSchema, UserViewSchema } from './common.schemas.ts';

const Str = (max: number) => Type.String({ maxLength: max });

/**
 * The input rules of §3.1 as the server enforces them, so the document and the validation are one. The
 * server still normalises what passes (trim, inner spaces collapsed, e-mail lower-cased, document
 * upper-cased without spaces, dots and hyphens, phone to E.164); the per-type document pattern (§3.2)
 * depends on two fields and a PATCH's stored type, so it stays a 422 of the use case.
 */
const SEP = '[\\s.()-]';
export const Name = Type.String({
  minLength: 2, maxLength: 100, pattern: "^ *[\\p{L}\\p{M}][\\p{L}\\p{M} '.-]*[\\p{L}\\p{M}'.-] *$",
  description: '2 a 100 caracteres: letras de cualquier alfabeto (tildes, ñ), espacios, apóstrofos, guiones y puntos; empieza por una letra',
});
export const EmailInput = Type.String({
  maxLength: 254, pattern: '^\\s*[^\\s@]+@[^\\s@.]+(?:\\.[^\\s@.]+)*\\.[A-Za-z]{2,}\\s*$',
  description: 'local@dominio.tld, hasta 254 caracteres; se guarda en minúsculas (R1)',
});
export const DocumentTypeInput = oneOfValues(DOCUMENT_TYPES);
export const DocumentNumberInput = Type.String({
  minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9\\s.-]+$',
  description: 'Se normaliza (espacios, puntos y guiones fuera, mayúsculas) y debe cumplir el patrón de su tipo (§3.2): CC 7–10 dígitos, TI 8–11, CE y PPT 6–15 letras o dígitos, PA 6–12',
});
export const RoleInput = oneOfValues(ROLE_INPUTS, { description: 'Rol; se aceptan los alias apprentice, coordinator y administrative' });
export const PhoneInput = Nullable(Type.String({
  maxLength: 30, pattern: `^(?:\\s*|${SEP}*(?:3(?:${SEP}*\\d){9}|\\+(?:${SEP}*\\d){8,15})${SEP}*)$`,
  description: '3XXXXXXXXX (se guarda con +57) o + y 8 a 15 dígitos; espacios, puntos, guiones y paréntesis se ignoran; vacío o null lo borra',
}));
const AreaInput = Nullable(Type.String({ maxLength: 100, description: 'Hasta 100 caracteres; vacío o null lo borra' }));
export const AvatarInput = Nullable(Type.String({ maxLength: 500, pattern: '^(?:\\s*|https://\\S+)$', description: 'URL https de hasta 500 caracteres; vacío o null lo borra' }));
const GroupNumberInput = Nullable(Type.String({ maxLength: 20, pattern: '^\\s*(?:\\d{4,10}\\s*)?$', description: 'Número de ficha (4 a 10 dígitos)' }));

export const UserFieldsSchema = {
  first_name: Name,
  last_name: Name,
  email: EmailInput,
  document_type: DocumentTypeInput,
  document_number: DocumentNumberInput,
  role: RoleInput,
  phone: Type.Optional(PhoneInput),
  area: Type.Optional(AreaInput),
  avatar_url: Type.Optional(AvatarInput),
  group_id: Type.Optional(Nullable(Uuid)),
  group_number: Type.Optional(GroupNumberInput),
};

/** U1 `sort`: a field of SORTABLE, `-` first for descending. */
export const SortParam = oneOfValues<SortInput>([...SORTABLE, ...SORTABLE.map((f) => `-${f}` as const)], { description: 'Campo de orden; `-` delante para descendente (por defecto `-created_at`)' });

const ROLE_ALTERNATIVES = ROLE_INPUTS.join('|');
/** U1 `role`: a comma list of roles (aliases accepted). */
const RoleListInput = Type.String({
  maxLength: 200, pattern: `^\\s*(?:${ROLE_ALTERNATIVES})\\s*(?:,\\s*(?:${ROLE_ALTERNATIVES})\\s*)*$`,
  description: `Lista separada por comas de: ${ROLE_INPUTS.join(', ')}`,
});

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
  role: Type.Optional(RoleListInput),
  is_active: Type.Optional(Type.Boolean()),
  group_id: Type.Optional(Uuid),
  group_number: Type.Optional(Str(20)),
  // At least two characters once trimmed (R32).
  search: Type.Optional(Type.String({ maxLength: 100, pattern: '^\\s*\\S[\\s\\S]*\\S\\s*$', description: 'Al menos 2 caracteres sin contar los espacios de los extremos' })),
  must_change_password: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
  include_deleted: Type.Optional(Type.Boolean()),
  sort: Type.Optional(SortParam),
};

export const ListQuerySchema = Type.Object({ ...ListFilters, ...PageQuery }, { additionalProperties: false });
export const ExportQuerySchema = Type.Object(ListFilters, { additionalProperties: false });

export const AvailabilityQuery = Type.Object(
  { email: Type.Optional(Type.String({ maxLength: 300 })), document_number: Type.Optional(Type.String({ maxLength: 40 })) },
  { additionalProperties: false },
);
const Availability = Type.Object({ value: Type.String(), available: Type.Boolean() });
export const AvailabilitySchema = Type.Object({ email: Type.Optional(Availability), document_number: Type.Optional(Availability) });

/** U12: at most this many keys in the three lists together (the total is checked by the use case). */
export const LOOKUP_MAX_KEYS = 500;
export const LookupBody = Type.Object({
  ids: Type.Optional(Type.Array(Uuid, { maxItems: LOOKUP_MAX_KEYS })),
  document_numbers: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: LOOKUP_MAX_KEYS })),
  emails: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: LOOKUP_MAX_KEYS })),
}, { additionalProperties: false, description: `Hasta ${LOOKUP_MAX_KEYS} claves entre las tres listas` });
export const LookupSchema = Type.Object({
  found: Type.Array(Type.Union([Type.Intersect([UserViewSchema, Type.Object({ is_deleted: Type.Boolean() })]), UserCardSchema])),
  missing: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
});

export const SecurityEventsQuery = Type.Object({
  user_id: Type.Optional(Uuid), type: Type.Optional(Type.String({ maxLength: 500 })),
  from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
  sort: Type.Optional(oneOfValues(['occurred_at', '-occurred_at'], { description: 'Por defecto `-occurred_at`' })), ...PageQuery,
}, { additionalProperties: false });
export const SecurityEventList = Type.Array(Type.Object({
  id: Type.String(), type: Type.String(), user_id: Nullable(Type.String()), actor_id: Nullable(Type.String()),
  ip_masked: Nullable(Type.String()), user_agent: Nullable(Type.String()), details: Type.Record(Type.String(), Type.Unknown()),
  occurred_at: Type.String(),
}));

export const ActivationBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 300 })) }, { additionalProperties: false });
const DELIVERIES = ['email_link', 'temporary_password'] as const;
type Delivery = (typeof DELIVERIES)[number];
export const StaffResetBody = Type.Object(
  { delivery: Type.Optional(Type.Unsafe<Delivery>({ type: 'string', enum: DELIVERIES, default: 'email_link' })) },
  { additionalProperties: false },
);
export const StaffResetSchema = Type.Object({ delivery: oneOfValues(DELIVERIES), temporary_password: Type.Optional(Type.String()), link_expires_at: Type.Optional(Type.String()) });
export const UnlockSchema = Type.Object({ unlocked: Type.Literal(true) });
