/** TypeBox schemas of the program routes (P1–P5). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, OneOf, PROGRAM_LEVELS, SortQuery } from './common.schemas.ts';

export const ProgramLevel = OneOf(PROGRAM_LEVELS);
export const PROGRAM_SORT = ['code', 'name'] as const;

export const ProgramSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  name: Type.String(),
  level: ProgramLevel,
  duration_months: Type.Integer({ minimum: 1, maximum: 60 }),
  quarters: Nullable(Type.Integer({ minimum: 1, maximum: 12 })),
  description: Nullable(Type.String()),
  is_active: Type.Boolean(),
  ...AuditFields,
});

export const ProgramDetailSchema = Type.Object({ ...ProgramSchema.properties, active_group_count: Type.Integer({ minimum: 0 }) });

const Fields = {
  code: Type.String({ minLength: 2, maxLength: 20, pattern: '^\\s*[A-Za-z0-9_-]+\\s*$' }),
  name: Type.String({ minLength: 3, maxLength: 200 }),
  level: ProgramLevel,
  duration_months: Type.Integer({ minimum: 1, maximum: 60 }),
  quarters: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 12 }))),
  description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};

export const ProgramCreateBody = Type.Object(Fields, { additionalProperties: false });

export const ProgramUpdateBody = Type.Object(
  {
    code: Type.Optional(Fields.code),
    name: Type.Optional(Fields.name),
    level: Type.Optional(Fields.level),
    duration_months: Type.Optional(Fields.duration_months),
    quarters: Fields.quarters,
    description: Fields.description,
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ProgramListQuery = Type.Object(
  { ...PageQuery, level: Type.Optional(ProgramLevel), is_active: Type.Optional(Type.Boolean()), search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), sort: SortQuery(PROGRAM_SORT) },
  { additionalProperties: false },
);
