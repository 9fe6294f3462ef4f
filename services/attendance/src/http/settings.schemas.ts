/** TypeBox schemas of ST1/ST2 (R47). Ranges are enforced on the merged document, so each names its key. */
import { Type } from 'typebox';
import { Instant } from './common.schemas.ts';

const Int = (description: string) => Type.Integer({ minimum: 0, maximum: 1000, description });

const Values = {
  open_before_minutes: Int('0–60; la toma abre estos minutos antes del inicio'),
  late_after_minutes: Int('0–60; tolerancia antes de LATE'),
  auto_close_after_minutes: Int('10–240; cierre automático tras el fin'),
  instructor_edit_days: Int('0–7; días extra de edición del instructor'),
  roll_reminder_after_minutes: Int('5–120'),
  qr_ttl_seconds: Int('10–60'),
  qr_scan_grace_seconds: Int('0–10'),
  justification_deadline_business_days: Int('1–15'),
  advance_notice_max_days: Int('1–90'),
  justification_overdue_days: Int('1–30'),
  alert_window_days: Int('14–90'),
  alert_overdue_days: Int('1–30'),
  dismissal_suppression_days: Int('0–60'),
};

const Consecutive = { high: Int('2–20, menor que critical'), critical: Int('2–20') };
const Low = { min_records: Int('1–100'), medium_below: Int('1–100'), high_below: Int('1–100, menor que medium_below'), critical_below: Int('1–100, menor que high_below') };
const Lateness = { low_at: Int('1–50, menor que medium_at'), medium_at: Int('1–50') };

export const SettingsSchema = Type.Object({
  ...Values,
  consecutive_absences: Type.Object(Consecutive),
  low_attendance: Type.Object(Low),
  frequent_lateness: Type.Object(Lateness),
  version: Type.Integer({ minimum: 1 }),
  updated_at: Instant,
});

const partial = <T extends Record<string, ReturnType<typeof Int>>>(props: T) =>
  Type.Object(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>> }, { additionalProperties: false });

export const SettingsPatchBody = Type.Object(
  {
    ...Object.fromEntries(Object.entries(Values).map(([k, v]) => [k, Type.Optional(v)])),
    consecutive_absences: Type.Optional(partial(Consecutive)),
    low_attendance: Type.Optional(partial(Low)),
    frequent_lateness: Type.Optional(partial(Lateness)),
  } as Record<string, ReturnType<typeof Type.Optional>>,
  { additionalProperties: false, minProperties: 1, description: 'Cualquier subconjunto de las claves de R47; los objetos anidados se combinan clave por clave' },
);
