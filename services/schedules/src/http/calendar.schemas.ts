/** TypeBox schemas of the calendar routes (K1–K5). */
import { Type } from 'typebox';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, BlockId, ClockTime, DayOfWeek, OneOf, ShiftSchema } from './common.schemas.ts';

export const ShiftCatalogueSchema = Type.Array(
  Type.Object({ code: ShiftSchema, label: Type.String(), letter: OneOf(['M', 'T', 'N']), windows: Type.Array(Type.Object({ day_of_week: Type.Integer({ minimum: 1, maximum: 6 }), start_time: ClockTime, end_time: ClockTime })) }),
);

export const BlocksQuery = Type.Object({ shift: Type.Optional(ShiftSchema), day_of_week: Type.Optional(DayOfWeek) }, { additionalProperties: false });

export const BlocksSchema = Type.Array(Type.Object({ id: BlockId, shift: ShiftSchema, day_of_week: Type.Integer({ minimum: 1, maximum: 6 }), ordinal: Type.Integer({ minimum: 1, maximum: 12 }), start_time: ClockTime, end_time: ClockTime }));

export const NonTeachingDaySchema = Type.Object({ id: Uuid, date: LocalDate, name: Type.String(), campus_id: Nullable(Uuid), source: OneOf(['HOLIDAY', 'MANUAL']), ...AuditFields });

export const NonTeachingDaysQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })), campus_id: Type.Optional(Uuid) }, { additionalProperties: false });

export const NonTeachingDayBody = Type.Object({ date: LocalDate, name: Type.String({ minLength: 3, maxLength: 100 }), campus_id: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false });
