/** TypeBox schemas of C1 and RL1–RL6 (§4.1, §4.6). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { CountsSchema, Instant, Link, OneOf, RecordSchema, RECORD_STATUSES, SortQuery } from './common.schemas.ts';

export const RollSchema = Type.Object({
  id: Uuid,
  schedule_id: Uuid,
  session_date: LocalDate,
  group_id: Uuid,
  group_number: Type.String(),
  program_id: Uuid,
  campus_id: Uuid,
  venue_id: Uuid,
  subject: Type.String(),
  start_time: Type.String(),
  end_time: Type.String(),
  start_at: Instant,
  end_at: Instant,
  instructor_id: Uuid,
  status: OneOf(['OPEN', 'CLOSED']),
  opened_by: Uuid,
  opened_at: Instant,
  first_mark_at: Nullable(Instant),
  closed_by: Nullable(Uuid),
  closed_at: Nullable(Instant),
  close_method: Nullable(OneOf(['MANUAL', 'AUTO'])),
  was_closed: Type.Boolean(),
  created_at: Instant,
  updated_at: Instant,
  instructor_name: Nullable(Type.String()),
  counts: CountsSchema,
  can_mark: Type.Boolean(),
  links: Type.Record(Type.String(), Link),
});

export const RosterRowSchema = Type.Object({
  student_id: Uuid,
  full_name: Nullable(Type.String()),
  document_number: Nullable(Type.String()),
  avatar_url: Nullable(Type.String()),
  record: Nullable(RecordSchema),
  status: OneOf([...RECORD_STATUSES, 'UNMARKED']),
  flags: Type.Array(Type.String()),
  advance_notice: Nullable(Type.Object({ justification_id: Uuid, status: Type.String() })),
});

export const RollDetailSchema = Type.Object({ ...RollSchema.properties, roster: Type.Array(RosterRowSchema) });

const Result = Type.Object({ created: Type.Integer({ minimum: 0 }), updated: Type.Integer({ minimum: 0 }), unchanged: Type.Integer({ minimum: 0 }) });
export const RollMarkedSchema = Type.Object({ ...RollDetailSchema.properties, result: Result });
export const RollClosedSchema = Type.Object({ ...RollDetailSchema.properties, result: Type.Object({ absent_marked: Type.Integer({ minimum: 0 }), excused_marked: Type.Integer({ minimum: 0 }) }) });

export const ROLL_SORT = ['session_date', 'start_time'] as const;

export const RollListQuery = Type.Object(
  {
    ...PageQuery,
    date: Type.Optional(LocalDate),
    start_date: Type.Optional(LocalDate),
    end_date: Type.Optional(LocalDate),
    group_id: Type.Optional(Uuid),
    instructor_id: Type.Optional(Uuid),
    status: Type.Optional(OneOf(['OPEN', 'CLOSED'])),
    sort: SortQuery(ROLL_SORT, 'Por defecto -session_date,start_time'),
  },
  { additionalProperties: false, description: '`date`, o `start_date`+`end_date` (≤ 31 días); sin ninguno, los últimos 31 días' },
);

export const RollOpenBody = Type.Object({ schedule_id: Uuid, session_date: LocalDate }, { additionalProperties: false });

export const MarkSchema = Type.Object(
  {
    student_id: Uuid,
    status: OneOf(RECORD_STATUSES, { description: 'JUSTIFIED no se puede marcar (R5)' }),
    late_minutes: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 600 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    expected_version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);

export const MarksBody = Type.Object(
  {
    marks: Type.Optional(Type.Array(MarkSchema, { maxItems: 200 })),
    mark_rest: Type.Optional(OneOf(['PRESENT', 'ABSENT'])),
    reason: Type.Optional(Type.String({ maxLength: 300, description: '5–300 caracteres; obligatorio en una toma cerrada (R10)' })),
  },
  { additionalProperties: false },
);

export const CloseBody = Type.Object({ confirm_all_absent: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export const ClassesQuery = Type.Object({ date: Type.Optional(LocalDate) }, { additionalProperties: false });

export const ClassItemSchema = Type.Object({
  schedule_id: Uuid,
  session_date: LocalDate,
  subject: Type.String(),
  group_id: Uuid,
  group_number: Type.String(),
  start_time: Type.String(),
  end_time: Type.String(),
  start_at: Instant,
  end_at: Instant,
  venue_code: Type.String(),
  venue_name: Type.String(),
  instructor_id: Uuid,
  instructor_name: Nullable(Type.String()),
  state: OneOf(['UPCOMING', 'IN_PROGRESS', 'ENDED']),
  roll: Type.Optional(Nullable(Type.Object({ id: Uuid, status: OneOf(['OPEN', 'CLOSED']), counts: CountsSchema }))),
  can_mark: Type.Optional(Type.Boolean()),
  missing: Type.Optional(Type.Boolean()),
  my_status: Type.Optional(OneOf([...RECORD_STATUSES, 'NOT_TAKEN'])),
  record_id: Type.Optional(Nullable(Uuid)),
  can_request_code: Type.Optional(Type.Boolean()),
  justification: Type.Optional(Nullable(Type.Object({ id: Uuid, status: Type.String() }))),
  justify_deadline: Type.Optional(Nullable(Instant)),
});
