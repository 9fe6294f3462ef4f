/** TypeBox schemas of the calendar routes (K1–K5). */
import { Type } from 'typebox';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields } from './common.schemas.ts';
import { ShiftSchema } from './groups.schemas.ts';

export const ShiftCatalogueSchema = Type.Array(
  Type.Object({ code: Type.String(), label: Type.String(), letter: Type.String(), windows: Type.Array(Type.Object({ day_of_week: Type.Integer(), start_time: Type.String(), end_time: Type.String() })) }),
);

export const BlocksQuery = Type.Object({ shift: Type.Optional(ShiftSchema), day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })) }, { additionalProperties: false });

export const BlocksSchema = Type.Array(Type.Object({ id: Type.String(), shift: Type.String(), day_of_week: Type.Integer(), ordinal: Type.Integer(), start_time: Type.String(), end_time: Type.String() }));

export const NonTeachingDaySchema = Type.Object({ id: Uuid, date: LocalDate, name: Type.String(), campus_id: Nullable(Uuid), source: Type.String(), ...AuditFields });

export const NonTeachingDaysQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })), campus_id: Type.Optional(Uuid) }, { additionalProperties: false });

export const NonTeachingDayBody = Type.Object({ date: LocalDate, name: Type.String({ minLength: 3, maxLength: 100 }), campus_id: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false });
