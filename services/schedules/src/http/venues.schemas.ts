/** TypeBox schemas of the venue routes (V1–V6). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, DayOfWeek, OneOf, Ref, SortQuery, VENUE_TYPES, WholeHour } from './common.schemas.ts';

const VenueType = OneOf(VENUE_TYPES);
export const VENUE_SORT = ['code', 'name', 'capacity'] as const;

export const VenueSchema = Type.Object({
  id: Uuid,
  campus_id: Uuid,
  campus: Ref,
  code: Type.String(),
  name: Type.String(),
  type: VenueType,
  capacity: Type.Integer({ minimum: 1, maximum: 500 }),
  floor: Nullable(Type.String()),
  building: Nullable(Type.String()),
  equipment: Nullable(Type.String()),
  is_active: Type.Boolean(),
  ...AuditFields,
});

const Fields = {
  campus_id: Uuid,
  code: Type.String({ minLength: 1, maxLength: 20, pattern: '^\\s*[A-Za-z0-9_-]+\\s*$' }),
  name: Type.String({ minLength: 2, maxLength: 100 }),
  type: VenueType,
  capacity: Type.Integer({ minimum: 1, maximum: 500 }),
  floor: Type.Optional(Nullable(Type.String({ maxLength: 10 }))),
  building: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  equipment: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
};

export const VenueCreateBody = Type.Object(Fields, { additionalProperties: false });

export const VenueUpdateBody = Type.Object(
  {
    campus_id: Type.Optional(Fields.campus_id),
    code: Type.Optional(Fields.code),
    name: Type.Optional(Fields.name),
    type: Type.Optional(Fields.type),
    capacity: Type.Optional(Fields.capacity),
    floor: Fields.floor,
    building: Fields.building,
    equipment: Fields.equipment,
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const VenueListQuery = Type.Object(
  {
    ...PageQuery,
    campus_id: Type.Optional(Uuid),
    type: Type.Optional(VenueType),
    min_capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    is_active: Type.Optional(Type.Boolean()),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sort: SortQuery(VENUE_SORT),
  },
  { additionalProperties: false },
);

export const AvailabilityQuery = Type.Object(
  {
    day_of_week: Type.Optional(DayOfWeek),
    start_time: Type.Optional(WholeHour),
    end_time: Type.Optional(WholeHour),
    blocks: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: '"MLUN1" o "MLUN1-MLUN3" (R7); otro valor → 422 INVALID_BLOCK' })),
    date_from: LocalDate,
    date_to: LocalDate,
    campus_id: Type.Optional(Uuid),
    type: Type.Optional(VenueType),
    min_capacity: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
