/** TypeBox schemas of S1 (§4.2, §4.6 Summary). */
import { Type } from 'typebox';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import { PeriodQuery } from './common.schemas.ts';

export const SummaryQuery = Type.Object(
  {
    student_id: Type.Optional(Uuid),
    apprentice_id: Type.Optional(Uuid),
    group_id: Type.Optional(Uuid),
    instructor_id: Type.Optional(Uuid),
    schedule_id: Type.Optional(Uuid),
    ...PeriodQuery,
  },
  { additionalProperties: false, description: 'A lo sumo uno de student_id / group_id; periodo por defecto los últimos 30 días, máximo 366' },
);

const Pct = Nullable(Type.Number({ minimum: 0, maximum: 100 }));
const Count = Type.Integer({ minimum: 0 });

/** R40's figures (domain/summary.ts `RecordFigures`): S1's body and every report's `summary`/`totals`. */
export const FigureFields = {
  total_records: Count,
  total_scheduled: Count,
  total_present: Count,
  total_late: Count,
  total_absent: Count,
  total_justified: Count,
  total_excused: Count,
  attendance_pct: Pct,
  absence_pct: Pct,
  justified_pct: Pct,
  punctuality_pct: Pct,
  average_lateness_minutes: Nullable(Type.Number({ minimum: 0 })),
  consecutive_absent: Count,
  current_consecutive_absent: Type.Optional(Count),
};

export const SummarySchema = Type.Object({
  scope: Type.Object({ student_id: Nullable(Uuid), group_id: Nullable(Uuid), instructor_id: Nullable(Uuid), schedule_id: Nullable(Uuid) }),
  start_date: LocalDate,
  end_date: LocalDate,
  ...FigureFields,
  open_alerts: Type.Optional(Type.Array(Type.Object({ type: Type.String(), level: Type.String() }))),
  pending_justifications: Type.Optional(Count),
  top_absent_students: Type.Optional(Type.Array(Type.Object({ student_id: Uuid, full_name: Nullable(Type.String()), total_absent: Count, attendance_pct: Pct }))),
});
