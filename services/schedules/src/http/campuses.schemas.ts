/** TypeBox schemas of the campus routes (C1–C5). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, SortQuery } from './common.schemas.ts';

export const CAMPUS_SORT = ['code', 'name', 'created_at'] as const;

const Code = Type.String({ minLength: 2, maxLength: 20, pattern: '^\\s*[A-Za-z0-9_-]+\\s*$' });

export const CampusSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  address: Nullable(Type.String()),
  city: Type.String(),
  is_active: Type.Boolean(),
  ...AuditFields,
});

export const CampusDetailSchema = Type.Object({ ...CampusSchema.properties, venue_count: Type.Integer({ minimum: 0 }), group_count: Type.Integer({ minimum: 0 }) });

export const CampusCreateBody = Type.Object(
  {
    code: Code,
    name: Type.String({ minLength: 2, maxLength: 100 }),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  },
  { additionalProperties: false },
);

export const CampusUpdateBody = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CampusListQuery = Type.Object(
  {
    ...PageQuery,
    is_active: Type.Optional(Type.Boolean()),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    city: Type.Optional(Type.String({ maxLength: 60 })),
    sort: SortQuery(CAMPUS_SORT),
  },
  { additionalProperties: false },
);
