/** TypeBox schemas of the schedule entry routes (S1–S7), their one-off changes (S11, S12) and the copy (S10). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, LocalTime, Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, Ref } from './common.schemas.ts';

export const ScheduleViewSchema = Type.Object({
  id: Uuid,
  group_id: Uuid,
  instructor_id: Uuid,
  venue_id: Uuid,
  subject: Type.String(),
  day_of_week: Type.Integer(),
  start_time: Type.String(),
  end_time: Type.String(),
  start_date: LocalDate,
  end_date: LocalDate,
  status: Type.String(),
  cancelled_from: Nullable(LocalDate),
  cancel_reason: Nullable(Type.String()),
  replaced_by_id: Nullable(Uuid),
  notes: Nullable(Type.String()),
  ...AuditFields,
  shift: Type.String(),
  blocks: Type.Array(Type.String()),
  block_identifier: Nullable(Type.String()),
  duration_hours: Type.Integer(),
  day_name: Type.String(),
  effective_end_date: LocalDate,
  has_history: Type.Boolean(),
  phase: Type.String(),
  group: Type.Object({ id: Uuid, number: Type.String(), shift: Type.String(), program: Ref, campus: Ref }),
  instructor: Type.Object({ id: Uuid, full_name: Nullable(Type.String()) }),
  venue: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), type: Type.String(), capacity: Type.Integer(), campus: Ref }),
});

export const ExceptionSchema = Type.Object({
  id: Uuid,
  schedule_id: Uuid,
  date: LocalDate,
  kind: Type.String(),
  instructor_id: Nullable(Uuid),
  venue_id: Nullable(Uuid),
  reason: Type.String(),
  created_by: Nullable(Uuid),
  created_at: Type.String({ format: 'date-time' }),
});

export const ScheduleDetailSchema = Type.Object({ ...ScheduleViewSchema.properties, exceptions: Type.Array(ExceptionSchema) });

const SlotFields = {
  day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  start_time: Type.Optional(LocalTime),
  end_time: Type.Optional(LocalTime),
  blocks: Type.Optional(Type.String({ minLength: 2, maxLength: 20, description: '"MLUN1" o "MLUN1-MLUN3"' })),
};
export const CreateBody = Type.Object(
  {
    group_id: Uuid,
    instructor_id: Uuid,
    venue_id: Uuid,
    subject: Type.String({ minLength: 3, maxLength: 200 }),
    start_date: LocalDate,
    end_date: LocalDate,
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    ...SlotFields,
  },
  { additionalProperties: false },
);
export const CheckBody = Type.Object({ ...CreateBody.properties, exclude_schedule_id: Type.Optional(Uuid) }, { additionalProperties: false });
export const UpdateBody = Type.Object(
  {
    group_id: Type.Optional(Uuid),
    instructor_id: Type.Optional(Uuid),
    venue_id: Type.Optional(Uuid),
    subject: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    start_date: Type.Optional(LocalDate),
    end_date: Type.Optional(LocalDate),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    effective_from: Type.Optional(LocalDate),
    ...SlotFields,
  },
  { additionalProperties: false, minProperties: 1 },
);
export const CancelBody = Type.Object({ from_date: Type.Optional(LocalDate), reason: Type.String({ minLength: 3, maxLength: 300 }) }, { additionalProperties: false });

export const ConflictSchema = Type.Object({
  kind: Type.String(),
  schedule_id: Uuid,
  exception_date: Type.Optional(LocalDate),
  line: Type.Optional(Type.Integer()),
  group_number: Type.String(),
  instructor_id: Uuid,
  instructor_name: Nullable(Type.String()),
  venue_code: Type.String(),
  day_of_week: Type.Integer(),
  start_time: Type.String(),
  end_time: Type.String(),
  first_common_date: LocalDate,
  last_common_date: LocalDate,
});

export const ListQuery = Type.Object(
  {
    ...PageQuery,
    group_id: Type.Optional(Uuid),
    group_number: Type.Optional(Type.String({ pattern: '^\\d{4,10}$' })),
    instructor_id: Type.Optional(Uuid),
    venue_id: Type.Optional(Uuid),
    campus_id: Type.Optional(Uuid),
    program_id: Type.Optional(Uuid),
    day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    shift: Type.Optional(Type.Union([Type.Literal('MANANA'), Type.Literal('TARDE'), Type.Literal('NOCHE')])),
    status: Type.Optional(Type.Union([Type.Literal('ACTIVE'), Type.Literal('CANCELLED')])),
    phase: Type.Optional(Type.Union(['CANCELLED', 'UPCOMING', 'CURRENT', 'FINISHED'].map((p) => Type.Literal(p)))),
    date_from: Type.Optional(LocalDate),
    date_to: Type.Optional(LocalDate),
    active_on: Type.Optional(LocalDate),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    sort: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ExceptionBody = Type.Object(
  {
    date: LocalDate,
    kind: Type.Union([Type.Literal('CANCELLED'), Type.Literal('CHANGED')]),
    instructor_id: Type.Optional(Uuid),
    venue_id: Type.Optional(Uuid),
    reason: Type.String({ minLength: 3, maxLength: 300 }),
  },
  { additionalProperties: false },
);

export const CheckResultSchema = Type.Object({ has_conflicts: Type.Boolean(), conflicts: Type.Array(ConflictSchema) });

export const UpdateResultSchema = Type.Object({ updated: ScheduleViewSchema, created: Type.Optional(ScheduleViewSchema) });

export const ExceptionParams = Type.Object({ id: Uuid, date: LocalDate });

const CopyItem = Type.Object({
  source_id: Type.String(),
  new_id: Type.Optional(Type.String()),
  status: Type.String(),
  reason: Type.Optional(Type.Union([Type.String(), Type.Object({ code: Type.String(), message: Type.Optional(Type.String()), conflicts: Type.Optional(Type.Array(Type.Unknown())) })])),
});

export const CopyResultSchema = Type.Object({ dry_run: Type.Boolean(), created: Type.Integer(), skipped: Type.Integer(), items: Type.Array(CopyItem) });

export const CopyBody = Type.Object(
  { source_from: LocalDate, source_to: LocalDate, target_start_date: LocalDate, target_end_date: LocalDate, group_ids: Type.Optional(Type.Array(Uuid, { maxItems: 500 })), dry_run: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
