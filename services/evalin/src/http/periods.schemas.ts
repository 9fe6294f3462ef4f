/** TypeBox schemas of the period routes (E18–E29). */
import { Type } from 'typebox';
import { Instant, Nullable, OneOf, PageQuery, PERIOD_STATUSES, SearchText, SortQuery, Uuid } from './common.schemas.ts';

export const PERIOD_SORTS = ['start_date', 'end_date', 'name', 'created_at'] as const;

/** R13: an RFC 3339 instant or a bare local date (YYYY-MM-DD). */
export const PeriodInstant = Type.Union(
  [
    Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    Type.String({ format: 'date-time', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:[0-5]\\d(\\.\\d+)?(Z|[+-](0\\d|1[0-5]):[0-5]\\d)$' }),
  ],
  { description: 'Instante ISO-8601 o fecha local YYYY-MM-DD (inicio 00:00, fin 23:59:59.999 locales)' },
);

export const PeriodSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Nullable(Type.String()),
  start_date: Instant,
  end_date: Instant,
  questionnaire_id: Uuid,
  questionnaire: Nullable(Type.Object({ id: Uuid, name: Type.String(), question_count: Type.Integer() })),
  status: OneOf(PERIOD_STATUSES),
  closed_reason: Nullable(OneOf(['manual', 'end_date'] as const)),
  suspend_reason: Nullable(Type.String()),
  activated_at: Nullable(Instant),
  closed_at: Nullable(Instant),
  results_published_at: Nullable(Instant),
  results_published_by: Nullable(Uuid),
  created_by: Nullable(Uuid),
  created_at: Instant,
  updated_at: Instant,
  groups: Type.Array(Type.Object({ group_id: Uuid, group_number: Type.String() })),
  is_open: Type.Boolean(),
  has_started: Type.Boolean(),
  has_ended: Type.Boolean(),
  days_remaining: Type.Integer({ minimum: 0 }),
  duration_days: Type.Integer({ minimum: 0 }),
  participation: Nullable(Type.Object({ expected: Type.Integer(), submitted: Type.Integer(), rate: Nullable(Type.Number()), as_of: Instant })),
});

const Name = Type.String({ minLength: 1, maxLength: 300, description: '3–200 caracteres tras recortar' });
const Description = Type.Optional(Nullable(Type.String({ maxLength: 1000 })));
const GroupIds = Type.Array(Uuid, { minItems: 1, maxItems: 50, description: '1–50 fichas distintas, existentes y activas' });

export const PeriodCreateBody = Type.Object({ name: Name, description: Description, start_date: PeriodInstant, end_date: PeriodInstant, questionnaire_id: Uuid, group_ids: GroupIds }, { additionalProperties: false });
export const PeriodPatchBody = Type.Object(
  { name: Type.Optional(Name), description: Description, start_date: Type.Optional(PeriodInstant), end_date: Type.Optional(PeriodInstant), questionnaire_id: Type.Optional(Uuid), group_ids: Type.Optional(GroupIds) },
  { additionalProperties: false, minProperties: 1 },
);
export const Reason = Type.String({ minLength: 5, maxLength: 500, pattern: '\\S', description: '5–500 caracteres' });
export const SuspendBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export const ExtendBody = Type.Object({ end_date: PeriodInstant, reason: Reason }, { additionalProperties: false });

export const PeriodListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(Type.String({ pattern: `^(${PERIOD_STATUSES.join('|')})(,(${PERIOD_STATUSES.join('|')})){0,5}$`, maxLength: 80, description: 'Lista separada por comas de estados' })),
    timing: Type.Optional(OneOf(['future', 'current', 'past'] as const)),
    group_id: Type.Optional(Uuid),
    questionnaire_id: Type.Optional(Uuid),
    search: SearchText,
    sort: SortQuery(PERIOD_SORTS, 'start_date, end_date, name, created_at; `-start_date` por defecto'),
  },
  { additionalProperties: false },
);

export const PeriodParams = Type.Object({ period_id: Uuid });
