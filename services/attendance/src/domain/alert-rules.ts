/**
 * Follow-up alert rules of attendance.md R29–R33 (plus R36 overdue and R37 recommended actions) as pure
 * functions: the metrics of a student's records in the alert window, which AUTO alerts should exist at
 * which level, and what to do with the stored alert of each type. The service reads the records and the
 * alerts, calls these, and writes the outcome in the student's own short transaction (R34).
 */
import { isoWeekday } from './business-days.ts';
import type { AttendanceSettings } from './settings.ts';
import { absenceRuns, chronological, percentOneDecimal, type FigureRecord } from './summary.ts';
import { addDays, localDateOf } from './time.ts';

export type AlertType = 'CONSECUTIVE_ABSENCES' | 'LOW_ATTENDANCE' | 'FREQUENT_LATENESS' | 'CUSTOM';
/** CUSTOM alerts are never evaluated (R33): staff create and resolve them. */
export type AutoAlertType = Exclude<AlertType, 'CUSTOM'>;
export const AUTO_ALERT_TYPES: readonly AutoAlertType[] = ['CONSECUTIVE_ABSENCES', 'LOW_ATTENDANCE', 'FREQUENT_LATENESS'];

/** Severity order LOW < MEDIUM < HIGH < CRITICAL (the Postgres enum is declared in this order too). */
export const ALERT_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export type AlertState = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';
export type AlertResolution = 'AUTO_CLEARED' | 'HANDLED' | 'DISMISSED' | 'STUDENT_INACTIVE';

export function levelRank(level: AlertLevel): number {
  return ALERT_LEVELS.indexOf(level);
}

export function isHigherLevel(a: AlertLevel, b: AlertLevel): boolean {
  return levelRank(a) > levelRank(b);
}

/** The R47 keys the rules read: the settings document can be passed as is. */
export type AlertSettings = Pick<
  AttendanceSettings,
  'alert_window_days' | 'consecutive_absences' | 'low_attendance' | 'frequent_lateness' | 'dismissal_suppression_days'
>;

// ── Window and metrics (R29) ──────────────────────────────────────────────────────────────────────

/** W = [today − (alert_window_days − 1), today] in local dates: 30 days ending today, both included. */
export function alertWindow(now: Date, windowDays: number, timeZone: string): { startDate: string; endDate: string } {
  const endDate = localDateOf(now, timeZone);
  return { startDate: addDays(endDate, -(windowDays - 1)), endDate };
}

export interface AlertRecord extends FigureRecord {
  /** Shown in the consecutive-absence data (`sessions: [{session_date, subject}]`). */
  subject?: string | null;
}

export interface AlertMetrics {
  /** Longest run of consecutive ABSENT records; any other status ends a run. */
  max_run: number;
  /** The sessions of that run (the latest of equally long runs). */
  max_run_sessions: Array<{ session_date: string; start_time: string; subject: string | null }>;
  /** Records not EXCUSED. */
  scheduled: number;
  /** PRESENT + LATE + JUSTIFIED. */
  attended: number;
  absent: number;
  /** attended / scheduled × 100, one decimal half-up (null without records). */
  pct: number | null;
  late_count: number;
  /** LATE records per weekday name (R32 data), only the days that have some. */
  late_by_weekday: Record<string, number>;
}

export const WEEKDAY_NAMES = ['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'] as const;

/** R29 metrics of ONE student's non-deleted records inside W (the caller selects them). */
export function computeAlertMetrics(records: readonly AlertRecord[]): AlertMetrics {
  const ordered = chronological(records);
  const runs = absenceRuns(ordered);
  const run = runs.longestRange ? ordered.slice(runs.longestRange[0], runs.longestRange[1]) : [];
  let scheduled = 0;
  let attended = 0;
  let absent = 0;
  let late = 0;
  const byWeekday: Record<string, number> = {};
  for (const r of ordered) {
    if (r.status !== 'EXCUSED') scheduled++;
    if (r.status === 'PRESENT' || r.status === 'LATE' || r.status === 'JUSTIFIED') attended++;
    if (r.status === 'ABSENT') absent++;
    if (r.status === 'LATE') {
      late++;
      const day = WEEKDAY_NAMES[isoWeekday(r.sessionDate) - 1];
      byWeekday[day] = (byWeekday[day] ?? 0) + 1;
    }
  }
  return {
    max_run: runs.longest,
    max_run_sessions: run.map((r) => ({ session_date: r.sessionDate, start_time: r.startTime, subject: r.subject ?? null })),
    scheduled,
    attended,
    absent,
    pct: percentOneDecimal(attended, scheduled),
    late_count: late,
    late_by_weekday: byWeekday,
  };
}

// ── Conditions and levels (R30–R32) ───────────────────────────────────────────────────────────────

/** R30: HIGH from `high` (3) consecutive absences, CRITICAL from `critical` (5). */
export function consecutiveAbsencesLevel(maxRun: number, s: AlertSettings['consecutive_absences']): AlertLevel | null {
  if (maxRun >= s.critical) return 'CRITICAL';
  if (maxRun >= s.high) return 'HIGH';
  return null;
}

/**
 * R31: only with at least `min_records` scheduled records (a new apprentice's first bad day is no
 * pattern); MEDIUM below 80 %, HIGH below 70, CRITICAL below 60. Compared on the exact ratio in integers
 * (attended × 100 < threshold × scheduled), so 79.96 % still counts as below 80 though it shows "80 %".
 */
export function lowAttendanceLevel(attended: number, scheduled: number, s: AlertSettings['low_attendance']): AlertLevel | null {
  if (scheduled < s.min_records || scheduled === 0) return null;
  const below = (threshold: number) => attended * 100 < threshold * scheduled;
  if (below(s.critical_below)) return 'CRITICAL';
  if (below(s.high_below)) return 'HIGH';
  if (below(s.medium_below)) return 'MEDIUM';
  return null;
}

/** R32: LOW from `low_at` (4) late arrivals, MEDIUM from `medium_at` (8). */
export function frequentLatenessLevel(lateCount: number, s: AlertSettings['frequent_lateness']): AlertLevel | null {
  if (lateCount >= s.medium_at) return 'MEDIUM';
  if (lateCount >= s.low_at) return 'LOW';
  return null;
}

/** "55", "72,5": one decimal, decimal comma, no ",0" (R31 title). */
export function formatPercentEs(pct: number): string {
  return Number.isInteger(pct) ? String(pct) : pct.toFixed(1).replace('.', ',');
}

/** An AUTO alert that should exist, with the texts and `data` the stored alert and its events carry. */
export interface AlertCandidate {
  type: AutoAlertType;
  level: AlertLevel;
  title: string;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Which AUTO alerts should exist for one student, given their records in W: one entry per AUTO type,
 * null when its condition does not hold (which resolves an unresolved alert of that type, R33).
 */
export function evaluateAlertConditions(
  records: readonly AlertRecord[],
  settings: AlertSettings,
): Record<AutoAlertType, AlertCandidate | null> {
  const m = computeAlertMetrics(records);
  const w = settings.alert_window_days;

  const runLevel = consecutiveAbsencesLevel(m.max_run, settings.consecutive_absences);
  const consecutive: AlertCandidate | null = runLevel && {
    type: 'CONSECUTIVE_ABSENCES',
    level: runLevel,
    title: `${m.max_run} inasistencias consecutivas sin justificar`,
    message: `El aprendiz registra ${m.max_run} inasistencias consecutivas sin justificar en los últimos ${w} días. Conviene conocer la causa cuanto antes.`,
    data: {
      max_run: m.max_run,
      sessions: m.max_run_sessions.map((s) => ({ session_date: s.session_date, subject: s.subject })),
      window_days: w,
    },
  };

  const pctLevel = lowAttendanceLevel(m.attended, m.scheduled, settings.low_attendance);
  const pctText = m.pct === null ? '' : formatPercentEs(m.pct);
  const low: AlertCandidate | null = pctLevel && {
    type: 'LOW_ATTENDANCE',
    level: pctLevel,
    title: `Asistencia del ${pctText} % en los últimos ${w} días`,
    message: `El aprendiz asistió a ${m.attended} de ${m.scheduled} sesiones (${pctText} %) en los últimos ${w} días, por debajo del ${settings.low_attendance.medium_below} % esperado.`,
    data: { pct: m.pct, attended: m.attended, scheduled: m.scheduled, absent: m.absent, window_days: w },
  };

  const lateLevel = frequentLatenessLevel(m.late_count, settings.frequent_lateness);
  const lateness: AlertCandidate | null = lateLevel && {
    type: 'FREQUENT_LATENESS',
    level: lateLevel,
    title: `${m.late_count} llegadas tarde en los últimos ${w} días`,
    message: `El aprendiz llegó tarde ${m.late_count} veces en los últimos ${w} días.`,
    data: { late_count: m.late_count, by_weekday: m.late_by_weekday, window_days: w },
  };

  return { CONSECUTIVE_ABSENCES: consecutive, LOW_ATTENDANCE: low, FREQUENT_LATENESS: lateness };
}

// ── Lifecycle (R33) ───────────────────────────────────────────────────────────────────────────────

/** The unresolved AUTO alert of (student, type), if any (unique per §3.6). */
export interface UnresolvedAlert {
  level: AlertLevel;
  state: 'OPEN' | 'ACKNOWLEDGED';
}

/** The most recently resolved AUTO alert of (student, type), if any. */
export interface ResolvedAlert {
  level: AlertLevel;
  resolution: AlertResolution;
  resolvedAt: Date;
  /**
   * HANDLED only: whether some evaluation after the resolution found the condition not holding. R33
   * ends the HANDLED suppression at that point, so the service keeps this mark (e.g. in the resolved
   * alert's `data`) when it receives CLEAR_HANDLED_SUPPRESSION.
   */
  conditionClearedSince?: boolean;
}

export interface AlertTransitionInput {
  /** The level the condition asks for now, or null when it does not hold. */
  wanted: AlertLevel | null;
  unresolved: UnresolvedAlert | null;
  lastResolved: ResolvedAlert | null;
  now: Date;
  /** `dismissal_suppression_days` (R47, default 7). */
  dismissalSuppressionDays: number;
}

export type AlertTransition =
  /** Nothing to write. */
  | { action: 'NONE' }
  /** New OPEN alert; notify student and staff (R35). */
  | { action: 'CREATE'; level: AlertLevel }
  /** Higher level: set level and `escalated_at`, state back to OPEN, append history, notify again. */
  | { action: 'ESCALATE'; from: AlertLevel; to: AlertLevel; reopen: boolean }
  /** Lower level: update and append history silently; the state stays. */
  | { action: 'LOWER'; from: AlertLevel; to: AlertLevel }
  /** The condition no longer holds. */
  | { action: 'RESOLVE'; resolution: 'AUTO_CLEARED' }
  /** The condition holds but a DISMISSED or HANDLED resolution keeps it quiet. */
  | { action: 'SUPPRESS'; level: AlertLevel; because: 'DISMISSED' | 'HANDLED' }
  /** The condition stopped holding after a HANDLED resolution: store it, the next occurrence is new. */
  | { action: 'CLEAR_HANDLED_SUPPRESSION' };

const DAY_MS = 86_400_000;

/** Why a new alert at `level` must not be created now, or null when it may. */
function suppression(level: AlertLevel, last: ResolvedAlert | null, now: Date, days: number): 'DISMISSED' | 'HANDLED' | null {
  if (!last || isHigherLevel(level, last.level)) return null; // a higher level always gets through
  if (last.resolution === 'DISMISSED') {
    return now.getTime() < last.resolvedAt.getTime() + days * DAY_MS ? 'DISMISSED' : null;
  }
  if (last.resolution === 'HANDLED') return last.conditionClearedSince ? null : 'HANDLED';
  return null;
}

/**
 * R33 for one (student, AUTO type) at one evaluation. Only the most recent resolved alert of the type
 * matters for suppression: once a newer alert was created and resolved, the older decision is history.
 */
export function decideAlertTransition(input: AlertTransitionInput): AlertTransition {
  const { wanted, unresolved, lastResolved, now } = input;
  if (unresolved) {
    if (wanted === null) return { action: 'RESOLVE', resolution: 'AUTO_CLEARED' };
    if (isHigherLevel(wanted, unresolved.level)) {
      return { action: 'ESCALATE', from: unresolved.level, to: wanted, reopen: unresolved.state !== 'OPEN' };
    }
    if (isHigherLevel(unresolved.level, wanted)) return { action: 'LOWER', from: unresolved.level, to: wanted };
    return { action: 'NONE' };
  }
  if (wanted === null) {
    return lastResolved?.resolution === 'HANDLED' && !lastResolved.conditionClearedSince
      ? { action: 'CLEAR_HANDLED_SUPPRESSION' }
      : { action: 'NONE' };
  }
  const because = suppression(wanted, lastResolved, now, input.dismissalSuppressionDays);
  return because ? { action: 'SUPPRESS', level: wanted, because } : { action: 'CREATE', level: wanted };
}

export interface LevelHistoryEntry {
  level: AlertLevel;
  /** ISO-8601 instant. */
  at: string;
}

/** `level_history` after a creation or level change (a new array; jsonb is rewritten whole). */
export function appendLevelHistory(history: readonly LevelHistoryEntry[], level: AlertLevel, now: Date): LevelHistoryEntry[] {
  return [...history, { level, at: now.toISOString() }];
}

/**
 * §7 idempotency discriminator of alert_for_student/alert_for_staff: level + number of history entries
 * (after appending), so an alert lowered and re-escalated to a level it had before gets a new key.
 */
export function alertEventDiscriminator(level: AlertLevel, historyLength: number): string {
  return `${level}-${historyLength}`;
}

/** R36: OPEN for at least `alert_overdue_days` since creation or the last escalation. */
export function isAlertOverdue(
  alert: { state: AlertState; createdAt: Date; escalatedAt: Date | null },
  now: Date,
  overdueDays: number,
): boolean {
  if (alert.state !== 'OPEN') return false;
  const since = (alert.escalatedAt ?? alert.createdAt).getTime();
  return now.getTime() >= since + overdueDays * DAY_MS;
}

/** Whole days an alert has been open (AlertView `days_open`). */
export function daysOpen(createdAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS));
}

const LOW_ATTENDANCE_BASE = [
  'Revisar el historial con el aprendiz',
  'Identificar patrones por día, horario o competencia',
  'Acordar compromisos de asistencia',
];

/** R37 recommended actions (staff only); FREQUENT_LATENESS names the current tolerance. */
export function recommendedActions(type: AlertType, level: AlertLevel, lateAfterMinutes: number): string[] {
  switch (type) {
    case 'CONSECUTIVE_ABSENCES':
      return level === 'CRITICAL'
        ? [
            'Contactar de inmediato al aprendiz (y a su acudiente si es menor de edad)',
            'Citar a reunión con coordinación académica',
            'Acordar un plan de mejoramiento',
            'Remitir a Bienestar al Aprendiz',
          ]
        : [
            'Llamar al aprendiz para conocer la causa',
            'Solicitar la justificación de las inasistencias',
            'Informar a coordinación académica',
            'Seguimiento cercano de las próximas sesiones',
          ];
    case 'LOW_ATTENDANCE':
      return level === 'HIGH' || level === 'CRITICAL'
        ? [...LOW_ATTENDANCE_BASE, 'Informar a coordinación académica', 'Plan de mejoramiento con seguimiento semanal']
        : [...LOW_ATTENDANCE_BASE];
    case 'FREQUENT_LATENESS':
      return [
        'Conversar con el aprendiz sobre la puntualidad',
        'Indagar por dificultades de transporte u horario',
        `Recordar la tolerancia de ${lateAfterMinutes} minutos`,
      ];
    case 'CUSTOM':
      return [];
  }
}
