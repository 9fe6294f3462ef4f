/** TypeBox schemas of the schedule entry routes (S1–S7), their one-off changes (S11, S12) and the copy (S10). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, BlockId, ClockTime, DayName, DayOfWeek, ENTRY_STATUSES, OneOf, PHASES, Ref, SHIFTS, ShiftSchema, SortQuery, VENUE_TYPES, WholeHour } from './common.schemas.ts';

export const ENTRY_SORT = ['day_of_week', 'start_time', 'start_date', 'created_at'] as const;
const ConflictKind = OneOf(['INSTRUCTOR', 'VENUE', 'GROUP']);
const ExceptionKind = OneOf(['CANCELLED', 'CHANGED']);

export const ScheduleViewSchema = Type.Object({
  id: Uuid,
  group_id: Uuid,
  instructor_id: Uuid,
  venue_id: Uuid,
  subject: Type.String(),
  day_of_week: DayOfWeek,
  start_time: ClockTime,
  end_time: ClockTime,
  start_date: LocalDate,
  end_date: LocalDate,
  status: OneOf(ENTRY_STATUSES),
  cancelled_from: Nullable(LocalDate),
  cancel_reason: Nullable(Type.String()),
  replaced_by_id: Nullable(Uuid),
  notes: Nullable(Type.String()),
  ...AuditFields,
  shift: ShiftSchema,
  blocks: Type.Array(BlockId),
  block_identifier: Nullable(BlockId),
  duration_hours: Type.Integer({ minimum: 1, maximum: 24 }),
  day_name: DayName,
  effective_end_date: LocalDate,
  has_history: Type.Boolean(),
  phase: OneOf(PHASES),
  group: Type.Object({ id: Uuid, number: Type.String(), shift: ShiftSchema, program: Ref, campus: Ref }),
  instructor: Type.Object({ id: Uuid, full_name: Nullable(Type.String()) }),
  venue: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), type: OneOf(VENUE_TYPES), capacity: Type.Integer({ minimum: 1, maximum: 500 }), campus: Ref }),
});

export const ExceptionSchema = Type.Object({
  id: Uuid,
  schedule_id: Uuid,
  date: LocalDate,
  kind: ExceptionKind,
  instructor_id: Nullable(Uuid),
  venue_id: Nullable(Uuid),
  reason: Type.String(),
  created_by: Nullable(Uuid),
  created_at: Type.String({ format: 'date-time' }),
});

export const ScheduleDetailSchema = Type.Object({ ...ScheduleViewSchema.properties, exceptions: Type.Array(ExceptionSchema) });

const SlotFields = {
  day_of_week: Type.Optional(DayOfWeek),
  start_time: Type.Optional(WholeHour),
  end_time: Type.Optional(WholeHour),
  blocks: Type.Optional(Type.String({ minLength: 2, maxLength: 20, description: '"MLUN1" o "MLUN1-MLUN3" (R7); otro valor → 422 INVALID_BLOCK; con horas, deben coincidir (BLOCK_MISMATCH)' })),
};
/** R7: the slot comes as day_of_week + start_time + end_time, or as blocks, or both. */
const SLOT_FORMS = { anyOf: [{ required: ['day_of_week', 'start_time', 'end_time'] }, { required: ['blocks'] }] };
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
  { additionalProperties: false, ...SLOT_FORMS },
);
export const CheckBody = Type.Object({ ...CreateBody.properties, exclude_schedule_id: Type.Optional(Uuid) }, { additionalProperties: false, ...SLOT_FORMS });
export const UpdateBody = Type.Object(
  {
    group_id: Type.Optional(Type.String({ ...Uuid, description: 'Inmutable: solo se acepta la ficha actual; otra → 422 IMMUTABLE_FIELD' })),
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
  kind: ConflictKind,
  schedule_id: Uuid,
  exception_date: Type.Optional(LocalDate),
  line: Type.Optional(Type.Integer({ minimum: 2 })),
  group_number: Type.String(),
  instructor_id: Uuid,
  instructor_name: Nullable(Type.String()),
  venue_code: Type.String(),
  day_of_week: DayOfWeek,
  start_time: ClockTime,
  end_time: ClockTime,
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
    day_of_week: Type.Optional(DayOfWeek),
    shift: Type.Optional(OneOf(SHIFTS)),
    status: Type.Optional(OneOf(ENTRY_STATUSES)),
    phase: Type.Optional(OneOf(PHASES)),
    date_from: Type.Optional(LocalDate),
    date_to: Type.Optional(LocalDate),
    active_on: Type.Optional(LocalDate),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    sort: SortQuery(ENTRY_SORT),
  },
  { additionalProperties: false },
);

export const ExceptionBody = Type.Object(
  {
    date: LocalDate,
    kind: ExceptionKind,
    instructor_id: Type.Optional(Type.String({ ...Uuid, description: 'CHANGED: el instructor sustituto (distinto del horario)' })),
    venue_id: Type.Optional(Type.String({ ...Uuid, description: 'CHANGED: el ambiente nuevo (distinto del horario)' })),
    reason: Type.String({ minLength: 3, maxLength: 300 }),
  },
  // R24: a CHANGED session names a new instructor and/or venue (that they differ from the entry's is checked by the server).
  { additionalProperties: false, if: { properties: { kind: { const: 'CHANGED' } } }, then: { anyOf: [{ required: ['instructor_id'] }, { required: ['venue_id'] }] } },
);

export const CheckResultSchema = Type.Object({ has_conflicts: Type.Boolean(), conflicts: Type.Array(ConflictSchema) });

export const UpdateResultSchema = Type.Object({ updated: ScheduleViewSchema, created: Type.Optional(ScheduleViewSchema) });

export const ExceptionParams = Type.Object({ id: Uuid, date: LocalDate });

/** A copy's conflict: R14's item without the name; `schedule_id` is `copy-<source_id>` for a clash with another entry of the same copy. */
const { instructor_name: _name, schedule_id: _id, ...conflictFields } = ConflictSchema.properties;
const CopyConflictSchema = Type.Object({ ...conflictFields, schedule_id: Type.String({ pattern: '^(copy-)?[0-9a-fA-F-]{36}$' }) });

const CopyItem = Type.Object({
  source_id: Uuid,
  new_id: Type.Optional(Uuid),
  status: OneOf(['ok', 'skipped', 'failed']),
  reason: Type.Optional(Type.Union([Type.String(), Type.Object({ code: Type.String(), message: Type.Optional(Type.String()), conflicts: Type.Optional(Type.Array(CopyConflictSchema)) })])),
});

export const CopyResultSchema = Type.Object({ dry_run: Type.Boolean(), created: Type.Integer({ minimum: 0 }), skipped: Type.Integer({ minimum: 0 }), items: Type.Array(CopyItem) });

export const CopyBody = Type.Object(
  { source_from: LocalDate, source_to: LocalDate, target_start_date: LocalDate, target_end_date: LocalDate, group_ids: Type.Optional(Type.Array(Uuid, { maxItems: 500 })), dry_run: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
