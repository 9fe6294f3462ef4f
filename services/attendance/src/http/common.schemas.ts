/** Schema pieces every resource of this service shares (the generic ones come from the platform). */
import { Type, type TSchema } from 'typebox';
import { Envelope } from '@sicora/platform/envelope';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';

export const Security = [{ bearer: [] }];

export function OneOf<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v)), options));
}

/** `field` / `-field` from an allow-list, as a comma list of up to two keys. */
export function SortQuery(fields: readonly string[], description: string) {
  const one = `-?(${fields.join('|')})`;
  return Type.Optional(Type.String({ pattern: `^${one}(,${one})?$`, maxLength: 60, description }));
}

export const ListEnvelope = <T extends TSchema>(item: T) => Envelope(Type.Array(item));

export const Instant = Type.String({ format: 'date-time' });

export const RECORD_STATUSES = ['PRESENT', 'LATE', 'ABSENT', 'JUSTIFIED', 'EXCUSED'] as const;
export const SETTABLE_STATUSES = ['PRESENT', 'LATE', 'ABSENT', 'JUSTIFIED', 'EXCUSED'] as const;
export const RECORD_METHODS = ['MANUAL', 'QR_SCAN', 'ROLL_CLOSE', 'JUSTIFICATION'] as const;

export const Link = Type.Object({ href: Type.String(), method: Type.String() });

export const PeriodQuery = {
  start_date: Type.Optional(LocalDate),
  end_date: Type.Optional(LocalDate),
};

export const RecordSchema = Type.Object({
  id: Uuid,
  roll_id: Uuid,
  student_id: Uuid,
  schedule_id: Uuid,
  session_date: LocalDate,
  group_id: Uuid,
  instructor_id: Uuid,
  status: OneOf(RECORD_STATUSES),
  check_in_at: Nullable(Instant),
  late_minutes: Nullable(Type.Integer()),
  method: OneOf(RECORD_METHODS),
  qr_code_id: Nullable(Uuid),
  flags: Type.Array(Type.String()),
  notes: Nullable(Type.String()),
  justification_id: Nullable(Uuid),
  version: Type.Integer({ minimum: 1 }),
  created_by: Nullable(Uuid),
  updated_by: Nullable(Uuid),
  created_at: Instant,
  updated_at: Instant,
  student_name: Nullable(Type.String()),
  instructor_name: Nullable(Type.String()),
  group_number: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  start_time: Nullable(Type.String()),
  end_time: Nullable(Type.String()),
  justification: Nullable(Type.Object({ id: Uuid, status: Type.String() })),
  justify_deadline: Nullable(Instant),
  links: Type.Optional(Type.Record(Type.String(), Link)),
});

export const CountsSchema = Type.Object({
  roster: Nullable(Type.Integer({ minimum: 0 }), { description: 'Aprendices activos de la ficha (solo con roster[])' }),
  present: Type.Integer({ minimum: 0 }),
  late: Type.Integer({ minimum: 0 }),
  absent: Type.Integer({ minimum: 0 }),
  justified: Type.Integer({ minimum: 0 }),
  excused: Type.Integer({ minimum: 0 }),
  unmarked: Nullable(Type.Integer({ minimum: 0 })),
});
