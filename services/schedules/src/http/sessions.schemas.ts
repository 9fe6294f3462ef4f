/** TypeBox schemas of the session views (W1–W5). */
import { Type } from 'typebox';
import { LocalDate, Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { BlockId, ClockTime, DayName, DayOfWeek, OneOf, Ref, ShiftSchema } from './common.schemas.ts';

export const SessionSchema = Type.Object({
  schedule_id: Uuid,
  date: LocalDate,
  day_of_week: DayOfWeek,
  day_name: DayName,
  start_time: ClockTime,
  end_time: ClockTime,
  start_at: Type.String({ format: 'date-time' }),
  end_at: Type.String({ format: 'date-time' }),
  blocks: Type.Array(BlockId),
  shift: ShiftSchema,
  subject: Type.String(),
  status: OneOf(['SCHEDULED', 'CANCELLED']),
  cancel_reason: Nullable(Type.String()),
  group: Type.Object({ id: Uuid, number: Type.String(), program: Ref }),
  instructor: Type.Object({ id: Uuid, full_name: Nullable(Type.String()) }),
  scheduled_instructor_id: Uuid,
  venue: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), campus: Ref }),
  is_changed: Type.Boolean(),
  in_progress: Type.Boolean(),
});

export const SessionFilters = {
  group_id: Type.Optional(Uuid),
  instructor_id: Type.Optional(Uuid),
  venue_id: Type.Optional(Uuid),
  campus_id: Type.Optional(Uuid),
  program_id: Type.Optional(Uuid),
  include_cancelled: Type.Optional(Type.Boolean()),
};

export const MyScheduleQuery = Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate), include_cancelled: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export const SessionsQuery = Type.Object(
  {
    date: Type.Optional(LocalDate),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    at: Type.Optional(Timestamp),
    margin_before_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    margin_after_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    ...SessionFilters,
  },
  { additionalProperties: false },
);

export const SessionParams = Type.Object({ id: Uuid, date: LocalDate });

export const TimetableQuery = Type.Object({ group_id: Type.Optional(Uuid), instructor_id: Type.Optional(Uuid), venue_id: Type.Optional(Uuid), week_of: Type.Optional(LocalDate) }, { additionalProperties: false });

export const TimetableSchema = Type.Object({
  week_start: LocalDate,
  week_end: LocalDate,
  days: Type.Array(
    Type.Object({
      date: LocalDate,
      day_of_week: DayOfWeek,
      day_name: DayName,
      non_teaching_day: Nullable(Type.Object({ name: Type.String(), campus_id: Nullable(Uuid) })),
      sessions: Type.Array(SessionSchema),
    }),
  ),
});

export const ExportQuery = Type.Object(
  { format: OneOf(['ics', 'csv'], { description: 'ics: text/calendar; csv: text/csv' }), from: LocalDate, to: LocalDate, ...SessionFilters },
  { additionalProperties: false },
);
