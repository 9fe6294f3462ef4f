/** TypeBox schemas of the ficha routes (G1–G12). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { AuditFields, OneOf, PROGRAM_LEVELS, Ref, ShiftSchema, SortQuery } from './common.schemas.ts';

export const GROUP_SORT = ['number', 'start_date', 'created_at'] as const;
export const ProgramRef = Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), level: OneOf(PROGRAM_LEVELS) });
const AssignmentRole = OneOf(['director', 'instructor']);
/** R21's sources of an instructor's link to a ficha. */
const Via = OneOf(['assignment', 'schedule', 'exception']);

export const GroupSchema = Type.Object({
  id: Uuid,
  number: Type.String(),
  program_id: Uuid,
  program: ProgramRef,
  campus_id: Uuid,
  campus: Ref,
  shift: ShiftSchema,
  start_date: LocalDate,
  end_date: LocalDate,
  current_quarter: Type.Integer({ minimum: 1, maximum: 12 }),
  max_apprentices: Nullable(Type.Integer({ minimum: 1, maximum: 100 })),
  notes: Nullable(Type.String()),
  is_active: Type.Boolean(),
  ...AuditFields,
});

export const GroupDetailSchema = Type.Object({
  ...GroupSchema.properties,
  director_id: Nullable(Uuid),
  director: Nullable(Type.Object({ instructor_id: Uuid, full_name: Nullable(Type.String()) })),
  apprentice_count: Nullable(Type.Integer({ minimum: 0 })),
});

const Number_ = Type.String({ pattern: '^\\d{4,10}$', description: 'Número de ficha, 4–10 dígitos' });
const Fields = {
  program_id: Uuid,
  campus_id: Uuid,
  shift: ShiftSchema,
  start_date: LocalDate,
  end_date: LocalDate,
  current_quarter: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
  max_apprentices: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};
export const GroupCreateBody = Type.Object({ number: Number_, ...Fields }, { additionalProperties: false });
export const GroupUpdateBody = Type.Object(
  {
    number: Type.Optional(Type.String({ ...Number_, description: 'Inmutable (R1): solo se acepta el número actual; otro → 422 IMMUTABLE_FIELD' })),
    program_id: Type.Optional(Fields.program_id),
    campus_id: Type.Optional(Fields.campus_id),
    shift: Type.Optional(Fields.shift),
    start_date: Type.Optional(LocalDate),
    end_date: Type.Optional(LocalDate),
    current_quarter: Fields.current_quarter,
    max_apprentices: Fields.max_apprentices,
    notes: Fields.notes,
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const GroupListQuery = Type.Object(
  {
    ...PageQuery,
    program_id: Type.Optional(Uuid),
    campus_id: Type.Optional(Uuid),
    shift: Type.Optional(ShiftSchema),
    is_active: Type.Optional(Type.Boolean()),
    number: Type.Optional(Number_),
    numbers: Type.Optional(Type.String({ pattern: '^\\d{4,10}(,\\d{4,10}){0,99}$', description: 'Lista separada por comas (≤ 100)' })),
    instructor_id: Type.Optional(Uuid),
    assigned_on: Type.Optional(LocalDate),
    active_on: Type.Optional(LocalDate),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sort: SortQuery(GROUP_SORT),
  },
  { additionalProperties: false },
);

export const ApprenticeSchema = Type.Object({
  id: Uuid,
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  full_name: Nullable(Type.String()),
  document_type: Nullable(Type.String()),
  document_number: Nullable(Type.String()),
  email: Nullable(Type.String()),
  is_active: Type.Boolean(),
});
export const ApprenticeQuery = Type.Object(
  {
    ...PageQuery,
    is_active: Type.Optional(Type.Boolean()),
    search: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
    sort: Type.Optional(Type.Union(['last_name', 'first_name', 'document_number', '-last_name', '-first_name', '-document_number'].map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

export const GroupInstructorSchema = Type.Object({
  instructor_id: Uuid,
  full_name: Nullable(Type.String()),
  roles: Type.Array(AssignmentRole),
  subjects: Type.Array(Type.String()),
  via: Type.Array(Via),
  first_date: LocalDate,
  last_date: LocalDate,
  weekly_hours: Type.Integer({ minimum: 0 }),
  assignment_ids: Type.Array(Uuid),
});

export const AssignedSchema = Type.Object({
  group_id: Uuid,
  instructor_id: Uuid,
  date: LocalDate,
  assigned: Type.Boolean(),
  roles: Type.Array(AssignmentRole),
  via: Type.Array(Via),
});

export const AssignmentSchema = Type.Object({
  id: Uuid,
  group_id: Uuid,
  instructor_id: Uuid,
  role: AssignmentRole,
  subject: Nullable(Type.String()),
  start_date: LocalDate,
  end_date: Nullable(LocalDate),
  notes: Nullable(Type.String()),
  ...AuditFields,
});
export const AssignmentCreateBody = Type.Object(
  {
    instructor_id: Uuid,
    role: AssignmentRole,
    subject: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    start_date: Type.Optional(LocalDate),
    end_date: Type.Optional(Nullable(LocalDate)),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  },
  { additionalProperties: false },
);
export const AssignmentUpdateBody = Type.Object(
  {
    subject: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    start_date: Type.Optional(LocalDate),
    end_date: Type.Optional(Nullable(LocalDate)),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AssignmentParams = Type.Object({ id: Uuid, assignment_id: Uuid });
export const GroupInstructorParams = Type.Object({ id: Uuid, instructor_id: Uuid });
export const InstructorsQuery = Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) }, { additionalProperties: false });
export const AssignedQuery = Type.Object({ date: Type.Optional(LocalDate) }, { additionalProperties: false });
