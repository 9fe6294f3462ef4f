/** R45: evalin's settings, their defaults and ranges. */
import { errors } from '@sicora/platform/errors';

export interface EvalinSettings {
  min_responses_for_results: number;
  min_participation_percent_for_average: number;
  enable_qualitative_comments: boolean;
  comments_require_review: boolean;
  blocked_terms: string[];
  auto_reminder_days_before_end: number[];
  manual_reminder_min_interval_hours: number;
  allow_overlapping_periods: boolean;
  notifications_enabled: boolean;
}

/** The shipped list of common Spanish insults (≥ 20) flagged for review (R38). */
export const DEFAULT_BLOCKED_TERMS = [
  'idiota', 'estupido', 'imbecil', 'tonto', 'bruto', 'inutil', 'pendejo', 'marica', 'gonorrea', 'hijueputa',
  'malparido', 'careverga', 'guevon', 'huevon', 'mierda', 'basura', 'perra', 'zorra', 'cabron', 'bobo',
  'tarado', 'mediocre', 'ignorante', 'payaso', 'lambon',
];

export const DEFAULT_SETTINGS: EvalinSettings = {
  min_responses_for_results: 3,
  min_participation_percent_for_average: 20,
  enable_qualitative_comments: true,
  comments_require_review: true,
  blocked_terms: DEFAULT_BLOCKED_TERMS,
  auto_reminder_days_before_end: [3, 0],
  manual_reminder_min_interval_hours: 24,
  allow_overlapping_periods: false,
  notifications_enabled: true,
};

export const LIMITS = {
  question_text: [10, 500],
  options: [2, 10],
  questionnaire_questions: [1, 50],
  period_days: [1, 365],
  period_groups: [1, 50],
  text_answer_max: 1000,
  general_comment_max: 1000,
  bulk_upload_max_rows: 1000,
  bulk_upload_max_bytes: 1048576,
};

export function withDefaults(stored: unknown): EvalinSettings {
  return { ...DEFAULT_SETTINGS, ...((stored ?? {}) as Partial<EvalinSettings>) };
}

/** R45 ranges that a schema cannot say alone (distinct values). */
export function validateSettings(s: EvalinSettings): EvalinSettings {
  const days = s.auto_reminder_days_before_end;
  if (new Set(days).size !== days.length) {
    throw errors.validation([{ field: 'auto_reminder_days_before_end', reason: 'duplicate', message: 'Los días deben ser distintos' }]);
  }
  const terms = s.blocked_terms.map((t) => t.trim());
  if (terms.some((t) => t.length < 2 || t.length > 50)) {
    throw errors.validation([{ field: 'blocked_terms', reason: 'length', message: 'Cada término tiene 2 a 50 caracteres' }]);
  }
  return { ...s, blocked_terms: terms };
}
