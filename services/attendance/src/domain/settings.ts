/**
 * R47: the settings document, its defaults and allowed ranges. ST2 merges a patch key by key (nested
 * objects too) and validates the merged document as a whole, so a pair rule such as high < critical is
 * judged on the values that would be stored.
 */
import { errors, type FieldError } from '@sicora/platform/errors';

export interface AttendanceSettings {
  open_before_minutes: number;
  late_after_minutes: number;
  auto_close_after_minutes: number;
  instructor_edit_days: number;
  roll_reminder_after_minutes: number;
  qr_ttl_seconds: number;
  qr_scan_grace_seconds: number;
  justification_deadline_business_days: number;
  advance_notice_max_days: number;
  justification_overdue_days: number;
  alert_window_days: number;
  consecutive_absences: { high: number; critical: number };
  low_attendance: { min_records: number; medium_below: number; high_below: number; critical_below: number };
  frequent_lateness: { low_at: number; medium_at: number };
  alert_overdue_days: number;
  dismissal_suppression_days: number;
}

export const DEFAULT_SETTINGS: AttendanceSettings = {
  open_before_minutes: 15,
  late_after_minutes: 15,
  auto_close_after_minutes: 30,
  instructor_edit_days: 0,
  roll_reminder_after_minutes: 15,
  qr_ttl_seconds: 15,
  qr_scan_grace_seconds: 3,
  justification_deadline_business_days: 3,
  advance_notice_max_days: 30,
  justification_overdue_days: 7,
  alert_window_days: 30,
  consecutive_absences: { high: 3, critical: 5 },
  low_attendance: { min_records: 5, medium_below: 80, high_below: 70, critical_below: 60 },
  frequent_lateness: { low_at: 4, medium_at: 8 },
  alert_overdue_days: 7,
  dismissal_suppression_days: 7,
};

/** [min, max] of every numeric key, by its dotted path (the name a 422 gives). */
export const SETTING_RANGES: Record<string, readonly [number, number]> = {
  open_before_minutes: [0, 60],
  late_after_minutes: [0, 60],
  auto_close_after_minutes: [10, 240],
  instructor_edit_days: [0, 7],
  roll_reminder_after_minutes: [5, 120],
  qr_ttl_seconds: [10, 60],
  qr_scan_grace_seconds: [0, 10],
  justification_deadline_business_days: [1, 15],
  advance_notice_max_days: [1, 90],
  justification_overdue_days: [1, 30],
  alert_window_days: [14, 90],
  'consecutive_absences.high': [2, 20],
  'consecutive_absences.critical': [2, 20],
  'low_attendance.min_records': [1, 100],
  'low_attendance.medium_below': [1, 100],
  'low_attendance.high_below': [1, 100],
  'low_attendance.critical_below': [1, 100],
  'frequent_lateness.low_at': [1, 50],
  'frequent_lateness.medium_at': [1, 50],
  alert_overdue_days: [1, 30],
  dismissal_suppression_days: [0, 60],
};

/** Ordered pairs of R47: the first key must be strictly below the second. */
const ORDERED: ReadonlyArray<readonly [string, string]> = [
  ['consecutive_absences.high', 'consecutive_absences.critical'],
  ['low_attendance.high_below', 'low_attendance.medium_below'],
  ['low_attendance.critical_below', 'low_attendance.high_below'],
  ['frequent_lateness.low_at', 'frequent_lateness.medium_at'],
];

export type SettingsPatch = { [K in keyof AttendanceSettings]?: AttendanceSettings[K] extends object ? Partial<AttendanceSettings[K]> : AttendanceSettings[K] };

function valueAt(doc: AttendanceSettings, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
}

/** Merges `patch` into `current` key by key; nested objects merge too. */
export function mergeSettings(current: AttendanceSettings, patch: SettingsPatch): AttendanceSettings {
  const out: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = typeof value === 'object' && value !== null ? { ...(current[key as keyof AttendanceSettings] as object), ...value } : value;
  }
  return out as unknown as AttendanceSettings;
}

/** Every range and order violation of the merged document, each naming its key. */
export function settingsProblems(doc: AttendanceSettings): FieldError[] {
  const problems: FieldError[] = [];
  for (const [path, [min, max]] of Object.entries(SETTING_RANGES)) {
    const v = valueAt(doc, path);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      problems.push({ field: path, reason: 'out_of_range', message: `${path} debe ser un entero entre ${min} y ${max}` });
    }
  }
  for (const [lower, upper] of ORDERED) {
    const a = valueAt(doc, lower) as number;
    const b = valueAt(doc, upper) as number;
    if (!(a < b)) problems.push({ field: upper, reason: 'order', message: `${upper} debe ser mayor que ${lower}` });
  }
  return problems;
}

export function validateSettings(doc: AttendanceSettings): AttendanceSettings {
  const problems = settingsProblems(doc);
  if (problems.length > 0) throw errors.validation(problems, `Configuración no válida: ${problems.map((p) => p.field).join(', ')}`);
  return doc;
}

/** A stored document read back: defaults fill keys an older document lacks. */
export function withDefaults(stored: unknown): AttendanceSettings {
  return mergeSettings(DEFAULT_SETTINGS, (stored ?? {}) as SettingsPatch);
}
