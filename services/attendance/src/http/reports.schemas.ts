/** TypeBox schemas of the reports (§4.5). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { OneOf, PeriodQuery } from './common.schemas.ts';
import { FigureFields } from './summary.schemas.ts';

export const FormatQuery = { format: Type.Optional(OneOf(['json', 'csv'] as const, { description: 'json (por defecto) o csv (§6.2, todo el resultado sin paginar)' })) };

/** 200 as the envelope (JSON) or the file (CSV), as the `format` chooses. */
export function JsonOrCsv<T extends TSchema>(data: T, csvDescription: string) {
  return {
    description: `JSON en el sobre; con format=csv: ${csvDescription} (Content-Disposition: attachment)`,
    content: { 'application/json': { schema: Envelope(data) }, 'text/csv': { schema: Type.Unsafe<unknown>({ type: 'string' }) } },
  };
}

const Pct = Nullable(Type.Number({ minimum: 0, maximum: 100 }));
const Count = Type.Integer({ minimum: 0 });

export const MissingRollsQuery = Type.Object(
  {
    ...PageQuery,
    ...FormatQuery,
    date: Type.Optional(LocalDate),
    campus_id: Type.Optional(Uuid),
    program_id: Type.Optional(Uuid),
    group_id: Type.Optional(Uuid),
    instructor_id: Type.Optional(Uuid),
    include_in_progress: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false, description: 'date: hoy por defecto; de hoy − 366 a hoy (R43)' },
);

export const MissingRollsSchema = Type.Object({
  date: LocalDate,
  sessions_total: Count,
  sessions_taken: Count,
  sessions_missing: Count,
  affected_instructors: Count,
  affected_groups: Count,
  items: Type.Array(
    Type.Object({
      instructor_id: Uuid,
      instructor_name: Nullable(Type.String()),
      group_id: Uuid,
      group_number: Type.String(),
      program_code: Type.String(),
      schedule_id: Uuid,
      subject: Type.String(),
      blocks: Type.Array(Type.String()),
      start_time: Type.String(),
      end_time: Type.String(),
      venue_code: Type.String(),
      campus_name: Type.String(),
      state: OneOf(['ENDED', 'IN_PROGRESS'] as const),
      minutes_since_end: Nullable(Type.Integer({ minimum: 0 })),
    }),
  ),
});

export const PeriodReportQuery = Type.Object({ ...FormatQuery, ...PeriodQuery }, { additionalProperties: false, description: 'Periodo por defecto: los últimos 30 días; como máximo 366 (R41)' });

export const InstructorParams = Type.Object({ instructor_id: Uuid });

const ComplianceFields = {
  sessions_scheduled: Count,
  rolls_taken: Count,
  rolls_on_time: Count,
  compliance_pct: Pct,
  on_time_pct: Pct,
  attendance_pct: Pct,
};

export const InstructorReportSchema = Type.Object({
  instructor: Type.Object({ id: Uuid, full_name: Nullable(Type.String()) }),
  start_date: LocalDate,
  end_date: LocalDate,
  ...ComplianceFields,
  by_group: Type.Array(Type.Object({ group_id: Uuid, group_number: Type.String(), program_code: Type.String(), ...ComplianceFields })),
  missing: Type.Array(
    Type.Object({ schedule_id: Uuid, session_date: LocalDate, start_time: Type.String(), end_time: Type.String(), group_id: Uuid, group_number: Type.String(), subject: Type.String(), venue_code: Type.String() }),
  ),
});

const Breakdown = {
  total_scheduled: Count,
  present: Count,
  late: Count,
  absent: Count,
  justified: Count,
  excused: Count,
  attendance_pct: Pct,
  punctuality_pct: Pct,
};

/** R40 figures of a report's scope (§4.6 Summary without its scope fields). */
const FiguresSchema = Type.Object(FigureFields);

export const StudentParams = Type.Object({ student_id: Uuid });

export const StudentReportSchema = Type.Object({
  student: Type.Object({ id: Uuid, full_name: Nullable(Type.String()), document_number: Nullable(Type.String()), group_id: Nullable(Uuid), group_number: Nullable(Type.String()) }),
  start_date: LocalDate,
  end_date: LocalDate,
  summary: FiguresSchema,
  by_subject: Type.Array(Type.Object({ subject: Type.String(), ...Breakdown })),
  by_month: Type.Array(Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }), ...Breakdown })),
  by_weekday: Type.Array(Type.Object({ weekday: Type.Integer({ minimum: 1, maximum: 7 }), day_name: Type.String(), ...Breakdown })),
  alerts: Type.Array(Type.Object({ id: Uuid, type: Type.String(), level: Type.String(), state: Type.String(), title: Type.String(), created_at: Type.String({ format: 'date-time' }) })),
  justifications: Type.Object({ pending: Count, approved: Count, rejected: Count }),
});

export const GroupParams = Type.Object({ group_id: Uuid });

export const GroupReportQuery = Type.Object(
  { ...FormatQuery, ...PeriodQuery, layout: Type.Optional(OneOf(['students', 'matrix'] as const, { description: 'matrix: la planilla, solo con format=csv (con json → 422)' })) },
  { additionalProperties: false, description: 'Periodo por defecto: los últimos 30 días; como máximo 366 (R41)' },
);

export const GroupReportSchema = Type.Object({
  group: Type.Object({ id: Uuid, number: Type.String(), program_code: Type.String(), campus_name: Type.String() }),
  start_date: LocalDate,
  end_date: LocalDate,
  summary: FiguresSchema,
  sessions: Type.Object({ scheduled: Count, taken: Count, missing: Count }),
  students: Type.Array(
    Type.Object({
      student_id: Uuid,
      full_name: Nullable(Type.String()),
      document_number: Nullable(Type.String()),
      in_roster: Type.Boolean({ description: 'Aprendiz activo de la ficha (G7); false: otro aprendiz con registros de la ficha en el periodo' }),
      ...Breakdown,
      consecutive_absent: Count,
      open_alerts: Type.Array(Type.String()),
    }),
  ),
  by_subject: Type.Array(Type.Object({ subject: Type.String(), sessions_scheduled: Count, sessions_taken: Count, ...Breakdown })),
});

export const PeriodTotalsQuery = Type.Object(
  { ...FormatQuery, ...PeriodQuery, campus_id: Type.Optional(Uuid), program_id: Type.Optional(Uuid), group_id: Type.Optional(Uuid) },
  { additionalProperties: false, description: 'Periodo por defecto: los últimos 30 días; como máximo 184 (R41)' },
);

export const PeriodReportSchema = Type.Object({
  start_date: LocalDate,
  end_date: LocalDate,
  scope: Type.Object({ campus_id: Nullable(Uuid), program_id: Nullable(Uuid), group_id: Nullable(Uuid) }),
  totals: FiguresSchema,
  by_group: Type.Array(
    Type.Object({
      group_id: Uuid,
      number: Nullable(Type.String()),
      program_code: Nullable(Type.String()),
      campus_name: Nullable(Type.String()),
      students: Count,
      ...FiguresSchema.properties,
      open_alerts: Count,
      sessions_scheduled: Count,
      sessions_taken: Count,
      compliance_pct: Pct,
    }),
  ),
  by_instructor: Type.Array(Type.Object({ instructor_id: Uuid, full_name: Nullable(Type.String()), sessions_scheduled: Count, rolls_taken: Count, compliance_pct: Pct })),
});
