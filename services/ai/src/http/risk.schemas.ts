/** TypeBox schemas of the risk, alert and analytics routes (§4.2–§4.4). */
import { Type } from 'typebox';
import { PageQuery } from '@sicora/platform/pagination';
import { LocalDate, Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import { CsvOf, OneOf } from './common.ts';

const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
const Level = Nullable(OneOf(LEVELS));
const Int = Type.Integer();
const Count = Type.Integer({ minimum: 0 });

export const FactorSchema = Type.Object({
  code: Type.String(),
  label: Type.String(),
  value: Nullable(Type.Number()),
  band: Nullable(Type.Number()),
  points: Int,
  status: OneOf(['applied', 'not_met', 'unavailable'] as const),
});

export const AssessmentSchema = Type.Object({
  id: Uuid,
  run_id: Nullable(Uuid),
  apprentice_id: Uuid,
  apprentice_name: Nullable(Type.String()),
  group_id: Uuid,
  group_number: Nullable(Type.String()),
  window_start: LocalDate,
  window_end: LocalDate,
  status: OneOf(['assessed', 'insufficient_data'] as const),
  score: Nullable(Int),
  level: Level,
  confidence: Nullable(OneOf(['low', 'medium', 'high'] as const)),
  factors: Type.Array(FactorSchema),
  inputs: Type.Record(Type.String(), Type.Unknown()),
  sources: Type.Record(Type.String(), Type.String()),
  settings_version: Int,
  computed_at: Timestamp,
  stale: Type.Boolean(),
  recommended_actions: Type.Array(Type.String()),
});

export const RunSchema = Type.Object({
  id: Uuid,
  scope: OneOf(['all', 'group'] as const),
  group_id: Nullable(Uuid),
  group_number: Nullable(Type.String()),
  trigger: Type.String(),
  requested_by: Nullable(Uuid),
  status: OneOf(['queued', 'running', 'completed', 'failed'] as const),
  window_start: LocalDate,
  window_end: LocalDate,
  counts: Type.Record(Type.String(), Count),
  errors: Type.Array(Type.Object({ group_id: Nullable(Type.String()), apprentice_id: Nullable(Type.String()), code: Type.String() })),
  created_at: Timestamp,
  started_at: Nullable(Timestamp),
  finished_at: Nullable(Timestamp),
});

export const ReportQuery = Type.Object(
  { level: Type.Optional(CsvOf([...LEVELS, 'insufficient_data'], 'Niveles separados por comas')), format: Type.Optional(OneOf(['json', 'csv'] as const)) },
  { additionalProperties: false },
);

export const ReportSchema = Type.Object({
  group: Type.Object({ id: Uuid, number: Type.String() }),
  settings_version: Int,
  latest_run: Nullable(Type.Object({ id: Uuid, finished_at: Nullable(Timestamp) })),
  counts: Type.Object({ low: Count, medium: Count, high: Count, critical: Count, insufficient_data: Count }),
  apprentices: Type.Array(
    Type.Object({
      apprentice_id: Uuid,
      full_name: Nullable(Type.String()),
      document_number: Nullable(Type.String()),
      assessment: Nullable(Type.Object({ id: Uuid, score: Nullable(Int), level: Level, confidence: Nullable(Type.String()), factors: Type.Array(FactorSchema), computed_at: Timestamp, stale: Type.Boolean() })),
      previous_score: Nullable(Int),
      delta: Nullable(Int),
      open_alert: Nullable(Type.Object({ id: Uuid, status: Type.String(), level: Type.String() })),
      recommended_actions: Type.Array(Type.String()),
    }),
  ),
});

export const GroupParams = Type.Object({ group_id: Uuid }, { additionalProperties: false });
export const ApprenticeParams = Type.Object({ apprentice_id: Uuid }, { additionalProperties: false });
export const HistoryQuery = Type.Object({ history: Type.Optional(Type.Integer({ minimum: 1, maximum: 52, default: 12 })) }, { additionalProperties: false });

export const AlertSchema = Type.Object({
  id: Uuid,
  apprentice_id: Uuid,
  apprentice_name: Nullable(Type.String()),
  group_id: Uuid,
  group_number: Nullable(Type.String()),
  level: OneOf(LEVELS),
  score: Int,
  status: OneOf(['active', 'acknowledged', 'resolved', 'dismissed'] as const),
  opened_at: Timestamp,
  acknowledged_at: Nullable(Timestamp),
  acknowledged_by: Nullable(Uuid),
  resolved_at: Nullable(Timestamp),
  resolved_by: Nullable(Uuid),
  resolution_note: Nullable(Type.String()),
  dismissed_at: Nullable(Timestamp),
  dismissed_by: Nullable(Uuid),
  dismiss_reason: Nullable(Type.String()),
  snooze_until: Nullable(Timestamp),
  overdue: Type.Boolean(),
  top_factors: Type.Array(Type.String()),
});

export const AlertEventSchema = Type.Object({ id: Uuid, type: Type.String(), actor_id: Nullable(Uuid), note: Nullable(Type.String()), data: Nullable(Type.Record(Type.String(), Type.Unknown())), created_at: Timestamp });

export const ApprenticeRiskSchema = Type.Object({
  apprentice: Type.Object({ id: Uuid, full_name: Nullable(Type.String()), group_id: Uuid, group_number: Nullable(Type.String()) }),
  latest: Nullable(AssessmentSchema),
  history: Type.Array(Type.Object({ computed_at: Timestamp, score: Nullable(Int), level: Level, status: Type.String() })),
  open_alert: Nullable(AlertSchema),
});

export const AlertDetailSchema = Type.Object({ ...AlertSchema.properties, assessment: Nullable(AssessmentSchema), events: Type.Array(AlertEventSchema), recommended_actions: Type.Array(Type.String()) });

export const AlertListQuery = Type.Object(
  {
    status: Type.Optional(CsvOf(['active', 'acknowledged', 'resolved', 'dismissed'], 'Por defecto active,acknowledged')),
    level: Type.Optional(CsvOf(LEVELS, 'Niveles separados por comas')),
    group_id: Type.Optional(Uuid),
    apprentice_id: Type.Optional(Uuid),
    overdue: Type.Optional(Type.Boolean()),
    sort: Type.Optional(OneOf(['-level', '-opened_at', '-score'] as const)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const RunListQuery = Type.Object(
  { status: Type.Optional(OneOf(['queued', 'running', 'completed', 'failed'] as const)), scope: Type.Optional(OneOf(['all', 'group'] as const)), group_id: Type.Optional(Uuid), sort: Type.Optional(OneOf(['-created_at'] as const)), ...PageQuery },
  { additionalProperties: false },
);

export const OptionalNoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const NoteBody = Type.Object({ note: Type.String({ minLength: 5, maxLength: 1000 }) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 5, maxLength: 1000 }) }, { additionalProperties: false });

const Banded = (extra = {}) => Type.Object({ bands: Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { minItems: 1, maxItems: 5 }), points: Type.Array(Type.Integer({ minimum: 0, maximum: 50 }), { minItems: 1, maxItems: 5 }), ...extra }, { additionalProperties: false });

export const SettingsBody = Type.Object(
  {
    values: Type.Object(
      {
        low_attendance: Banded(),
        consecutive_absences: Banded(),
        unjustified_absences: Banded(),
        declining_trend: Banded({ min_sessions_per_half: Type.Integer({ minimum: 1, maximum: 50 }) }),
        frequent_lateness: Banded({ min_attended: Type.Integer({ minimum: 1, maximum: 100 }) }),
        low_project_grade: Banded({ max_age_days: Type.Integer({ minimum: 1, maximum: 3650 }) }),
        evalin_not_submitted: Type.Object({ points: Type.Array(Type.Integer({ minimum: 0, maximum: 50 }), { minItems: 1, maxItems: 1 }) }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
    level_cutoffs: Type.Object({ medium: Type.Integer({ minimum: 1, maximum: 100 }), high: Type.Integer({ minimum: 1, maximum: 100 }), critical: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false }),
    alert_min_level: OneOf(['medium', 'high', 'critical'] as const),
  },
  { additionalProperties: false },
);

export const SettingsSchema = Type.Object({ version: Int, values: SettingsBody.properties.values, level_cutoffs: SettingsBody.properties.level_cutoffs, alert_min_level: Type.String(), created_by: Nullable(Uuid), created_at: Timestamp });

export const PeriodQuery = { from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) };
export const UsageQuery = Type.Object({ ...PeriodQuery, granularity: Type.Optional(OneOf(['day', 'week'] as const)) }, { additionalProperties: false });
export const UnansweredQuery = Type.Object({ ...PeriodQuery, role: Type.Optional(OneOf(['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'] as const)), min_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), ...PageQuery }, { additionalProperties: false });
export const FeedbackListQuery = Type.Object({ ...PeriodQuery, helpful: Type.Optional(Type.Boolean()), reason: Type.Optional(OneOf(['incorrect', 'incomplete', 'not_relevant', 'outdated', 'unclear', 'other'] as const)), ...PageQuery }, { additionalProperties: false });
export const RiskAnalyticsQuery = Type.Object({ ...PeriodQuery }, { additionalProperties: false });

const CountMap = Type.Record(Type.String(), Count);
export const UsageSchema = Type.Object({
  from: LocalDate,
  to: LocalDate,
  granularity: Type.String(),
  totals: Type.Object({
    questions: Count,
    conversations_started: Count,
    active_users: Count,
    by_role: CountMap,
    by_answer_mode: CountMap,
    fallbacks_by_reason: CountMap,
    no_answer_rate: Type.Number(),
    avg_latency_ms: Count,
    p95_latency_ms: Count,
    prompt_tokens: Count,
    completion_tokens: Count,
    feedback: Type.Object({ count: Count, helpful_ratio: Nullable(Type.Number()), by_reason: CountMap }),
    top_cited_items: Type.Array(Type.Object({ item_id: Type.String(), item_title: Type.String(), citations: Count })),
  }),
  series: Type.Array(Type.Object({ period_start: LocalDate, questions: Count, active_users: Count, no_answer: Count, helpful: Count, not_helpful: Count })),
});
export const UnansweredSchema = Type.Object({ question: Type.String(), count: Count, roles: Type.Array(Type.String()), last_asked_at: Timestamp });
export const FeedbackRowSchema = Type.Object({
  created_at: Timestamp,
  helpful: Type.Boolean(),
  reason: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  question_excerpt: Nullable(Type.String()),
  answer_excerpt: Type.String(),
  answer_mode: Nullable(Type.String()),
  cited_items: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
});
export const RiskAnalyticsSchema = Type.Object({
  from: LocalDate,
  to: LocalDate,
  assessed_apprentices: Count,
  by_level: Type.Object({ low: Count, medium: Count, high: Count, critical: Count }),
  insufficient_data: Count,
  alerts: Type.Object({ created: Count, acknowledged: Count, resolved: Count, auto_resolved: Count, dismissed: Count, open_now: Count, median_hours_to_acknowledge: Nullable(Type.Number()) }),
  top_groups: Type.Array(Type.Object({ group_id: Uuid, group_number: Nullable(Type.String()), assessed: Count, high_or_critical_share: Type.Number() })),
});
