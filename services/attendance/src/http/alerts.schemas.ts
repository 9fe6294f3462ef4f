/** TypeBox schemas of AL1–AL9 (§4.4, §4.6 AlertView). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { Nullable, Uuid } from '@sicora/platform/schemas';
import { Instant, OneOf, SortQuery } from './common.schemas.ts';

export const ALERT_SORT = ['level', 'created_at', 'updated_at'] as const;
const STATES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;
const TYPES = ['CONSECUTIVE_ABSENCES', 'LOW_ATTENDANCE', 'FREQUENT_LATENESS', 'CUSTOM'] as const;
const LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
const RESOLUTIONS = ['AUTO_CLEARED', 'HANDLED', 'DISMISSED', 'STUDENT_INACTIVE'] as const;

const commaList = (values: readonly string[], max: number, description: string) =>
  Type.Optional(Type.String({ pattern: `^(${values.join('|')})(,(${values.join('|')})){0,${max - 1}}$`, description }));

const filters = {
  state: commaList(STATES, 3, 'Lista separada por comas; por defecto OPEN,ACKNOWLEDGED'),
  type: commaList(TYPES, 4, 'Lista separada por comas'),
  level: commaList(LEVELS, 4, 'Lista separada por comas'),
  student_id: Type.Optional(Uuid),
  group_id: Type.Optional(Uuid),
  overdue: Type.Optional(Type.Boolean()),
};

export const AlertListQuery = Type.Object(
  { ...PageQuery, ...filters, sort: SortQuery(ALERT_SORT, 'Por defecto -level,-created_at; level ordena por severidad') },
  { additionalProperties: false },
);
export const AlertStatsQuery = Type.Object(filters, { additionalProperties: false });

export const AlertParams = Type.Object({ alert_id: Uuid });

const Title = Type.String({ minLength: 5, maxLength: 200 });
const Message = Type.String({ minLength: 10, maxLength: 1000 });

export const AlertCreateBody = Type.Object(
  { student_id: Uuid, level: OneOf(LEVELS), title: Title, message: Message },
  { additionalProperties: false, description: 'Alerta personalizada (CUSTOM); no notifica a nadie (R35)' },
);
export const AcknowledgeBody = Type.Object({ note: Type.Optional(Type.String({ minLength: 3, maxLength: 1000 })) }, { additionalProperties: false });
export const ResolveBody = Type.Object(
  { resolution: OneOf(['HANDLED', 'DISMISSED'] as const), note: Type.String({ minLength: 5, maxLength: 500 }) },
  { additionalProperties: false },
);
export const NoteBody = Type.Object({ body: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false });
export const EvaluateBody = Type.Object(
  { student_id: Type.Optional(Uuid), group_id: Type.Optional(Uuid) },
  { additionalProperties: false, description: 'Sin filtros: todos los aprendices (R34), una evaluación completa a la vez' },
);

export const NoteSchema = Type.Object({
  id: Uuid,
  alert_id: Uuid,
  author_id: Uuid,
  author_name: Nullable(Type.String()),
  author_role: Type.String(),
  body: Type.String(),
  created_at: Instant,
});

export const AlertSchema = Type.Object(
  {
    id: Uuid,
    student_id: Uuid,
    group_id: Uuid,
    group_number: Type.String(),
    type: OneOf(TYPES),
    level: OneOf(LEVELS),
    state: OneOf(STATES),
    source: OneOf(['AUTO', 'MANUAL'] as const),
    title: Type.String(),
    message: Type.String(),
    level_history: Type.Array(Type.Object({ level: OneOf(LEVELS), at: Instant })),
    escalated_at: Nullable(Instant),
    acknowledged_at: Nullable(Instant),
    resolved_at: Nullable(Instant),
    resolution: Nullable(OneOf(RESOLUTIONS)),
    student_seen_at: Nullable(Instant),
    created_at: Instant,
    updated_at: Instant,
    student_name: Nullable(Type.String()),
    days_open: Type.Integer({ minimum: 0 }),
    overdue: Type.Boolean(),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Solo personal (O6)' })),
    created_by: Type.Optional(Nullable(Uuid)),
    acknowledged_by: Type.Optional(Nullable(Uuid)),
    resolved_by: Type.Optional(Nullable(Uuid)),
    resolution_note: Type.Optional(Nullable(Type.String())),
    overdue_notified_at: Type.Optional(Nullable(Instant)),
    recommended_actions: Type.Optional(Type.Array(Type.String(), { description: 'Solo personal (R37, O6)' })),
    acknowledged_by_name: Type.Optional(Nullable(Type.String())),
    resolved_by_name: Type.Optional(Nullable(Type.String())),
    notes: Type.Optional(Type.Array(NoteSchema, { description: 'Solo personal, en AL3 y en las respuestas de AL4–AL6' })),
  },
  { description: 'AlertView; la vista del aprendiz omite notes, recommended_actions, data y los datos del personal (O6)' },
);

const Count = Type.Integer({ minimum: 0 });
const counts = (keys: readonly string[]) => Type.Object(Object.fromEntries(keys.map((k) => [k, Count])));

export const AlertStatsSchema = Type.Object({
  total: Count,
  by_state: counts(STATES),
  by_level: counts(LEVELS),
  by_type: counts(TYPES),
  overdue: Count,
  unseen_by_student: Count,
});

export const EvaluationSchema = Type.Object({ evaluated: Count, created: Count, escalated: Count, lowered: Count, resolved: Count });
