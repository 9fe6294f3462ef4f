/**
 * The dropout-risk formula (ai.md R22–R29) as pure functions: windows, factors with their bands and points,
 * the score, level and confidence, the recommended actions, and the settings document's rules.
 */
import { addDays } from './dates.ts';

export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];
export const levelRank = (l: string) => LEVELS.indexOf(l as Level);
export const LEVEL_ES: Record<string, string> = { low: 'bajo', medium: 'medio', high: 'alto', critical: 'crítico' };

export interface BandedSetting {
  bands: number[];
  points: number[];
}

export interface RiskValues {
  low_attendance: BandedSetting;
  consecutive_absences: BandedSetting;
  unjustified_absences: BandedSetting;
  declining_trend: BandedSetting & { min_sessions_per_half: number };
  frequent_lateness: BandedSetting & { min_attended: number };
  low_project_grade: BandedSetting & { max_age_days: number };
  evalin_not_submitted: { points: number[] };
}

export interface LevelCutoffs {
  medium: number;
  high: number;
  critical: number;
}

export interface RiskSettings {
  version: number;
  values: RiskValues;
  level_cutoffs: LevelCutoffs;
  alert_min_level: 'medium' | 'high' | 'critical';
}

/** R29's version 1, the shipped default (§11). */
export const DEFAULT_SETTINGS: Omit<RiskSettings, 'version'> = {
  values: {
    low_attendance: { bands: [70, 80, 90], points: [35, 20, 8] },
    consecutive_absences: { bands: [5, 3, 2], points: [25, 15, 5] },
    unjustified_absences: { bands: [6, 3], points: [10, 5] },
    declining_trend: { bands: [20, 10], points: [10, 5], min_sessions_per_half: 3 },
    frequent_lateness: { bands: [30], points: [5], min_attended: 5 },
    low_project_grade: { bands: [60, 70], points: [15, 5], max_age_days: 180 },
    evalin_not_submitted: { points: [5] },
  },
  level_cutoffs: { medium: 30, high: 50, critical: 70 },
  alert_min_level: 'high',
};

/** R22: D = today (Bogotá); W = [D−28, D−1], Wr = [D−14, D−1]. */
export function riskWindows(today: string) {
  return { start: addDays(today, -28), end: addDays(today, -1), recentStart: addDays(today, -14), previousEnd: addDays(today, -15) };
}

/** The attendance counts of one window (attendance S1 / RP2 figures). */
export interface Counts {
  scheduled: number;
  present: number;
  late: number;
  absent: number;
  justified: number;
  consecutive_absent: number;
}

export interface ProjectInput {
  score: number;
  published_at: string;
}

export interface EvalinInput {
  assigned: number | null;
  submitted: number;
  period_id: string;
}

export type SourceState = 'ok' | 'no_data' | 'unavailable';

export interface RiskInputs {
  /** W and Wr; Wp = W − Wr (R23). */
  window: Counts;
  recent: Counts;
  project: { state: SourceState; value: ProjectInput | null };
  evalin: { state: SourceState; value: EvalinInput | null };
}

export interface Factor {
  code: string;
  label: string;
  value: number | null;
  band: number | null;
  points: number;
  status: 'applied' | 'not_met' | 'unavailable';
}

export type Assessment =
  | { status: 'insufficient_data'; scheduled: number; score: null; level: null; confidence: null; factors: Factor[] }
  | { status: 'assessed'; scheduled: number; score: number; level: Level; confidence: 'low' | 'medium' | 'high'; factors: Factor[] };

export const MIN_SESSIONS = 5;

/** R23: (present + late + justified) / scheduled × 100; null without sessions. */
export function attendanceRate(c: Pick<Counts, 'scheduled' | 'present' | 'late' | 'justified'>): number | null {
  return c.scheduled > 0 ? ((c.present + c.late + c.justified) / c.scheduled) * 100 : null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const fmt = (n: number) => String(round1(n)).replace('.', ',');

/** The first band that matches gives the points at its position (R29). */
function band(value: number, s: BandedSetting, test: (v: number, b: number) => boolean): { band: number; points: number } | null {
  for (let i = 0; i < s.bands.length; i++) if (test(value, s.bands[i])) return { band: s.bands[i], points: s.points[i] };
  return null;
}

const lt = (v: number, b: number) => v < b;
const gte = (v: number, b: number) => v >= b;

function factor(code: string, label: string, value: number | null, hit: { band: number; points: number } | null, status?: Factor['status']): Factor {
  if (status === 'unavailable') return { code, label, value, band: null, points: 0, status };
  if (!hit || hit.points === 0) return { code, label, value, band: hit?.band ?? null, points: 0, status: 'not_met' };
  return { code, label, value, band: hit.band, points: hit.points, status: 'applied' };
}

export function previousHalf(w: Counts, r: Counts): Counts {
  const sub = (k: keyof Counts) => Math.max(0, w[k] - r[k]);
  return { scheduled: sub('scheduled'), present: sub('present'), late: sub('late'), absent: sub('absent'), justified: sub('justified'), consecutive_absent: 0 };
}

/** R24–R27: the factors, score, level and confidence of one apprentice. */
export function assess(inputs: RiskInputs, settings: Pick<RiskSettings, 'values' | 'level_cutoffs'>, today: string): Assessment {
  const v = settings.values;
  const w = inputs.window;
  if (w.scheduled < MIN_SESSIONS) return { status: 'insufficient_data', scheduled: w.scheduled, score: null, level: null, confidence: null, factors: [] };
  const factors: Factor[] = [];

  const rate = attendanceRate(w) as number;
  factors.push(factor('LOW_ATTENDANCE', `Asistencia de ${fmt(rate)} % en las últimas 4 semanas`, round1(rate), band(rate, v.low_attendance, lt)));

  const run = w.consecutive_absent;
  factors.push(factor('CONSECUTIVE_ABSENCES', `${run} inasistencias seguidas sin justificar`, run, band(run, v.consecutive_absences, gte)));

  factors.push(factor('UNJUSTIFIED_ABSENCES', `${w.absent} inasistencias sin justificar en 4 semanas`, w.absent, band(w.absent, v.unjustified_absences, gte)));

  const p = previousHalf(w, inputs.recent);
  const min = v.declining_trend.min_sessions_per_half;
  if (inputs.recent.scheduled >= min && p.scheduled >= min) {
    const drop = (attendanceRate(p) as number) - (attendanceRate(inputs.recent) as number);
    factors.push(factor('DECLINING_TREND', `La asistencia bajó ${fmt(Math.max(0, drop))} puntos frente a las dos semanas anteriores`, round1(drop), drop > 0 ? band(drop, v.declining_trend, gte) : null));
  } else {
    factors.push(factor('DECLINING_TREND', 'Sin sesiones suficientes en cada quincena para medir la tendencia', null, null));
  }

  const attended = w.present + w.late;
  const share = attended > 0 ? (w.late / attended) * 100 : 0;
  factors.push(factor('FREQUENT_LATENESS', `Llegó tarde al ${fmt(share)} % de las sesiones a las que asistió`, round1(share), attended >= v.frequent_lateness.min_attended ? band(share, v.frequent_lateness, gte) : null));

  const project = inputs.project;
  const fresh = project.value && project.value.published_at.slice(0, 10) >= addDays(today, -v.low_project_grade.max_age_days) ? project.value : null;
  factors.push(
    project.state === 'unavailable'
      ? factor('LOW_PROJECT_GRADE', 'Evaluación del proyecto formativo no disponible', null, null, 'unavailable')
      : fresh
        ? factor('LOW_PROJECT_GRADE', `Última evaluación del proyecto formativo: ${fmt(fresh.score)}/100`, fresh.score, band(fresh.score, v.low_project_grade, lt))
        : factor('LOW_PROJECT_GRADE', 'Sin evaluación publicada del proyecto formativo en el plazo', null, null),
  );

  const ev = inputs.evalin;
  factors.push(
    ev.state === 'unavailable'
      ? factor('EVALIN_NOT_SUBMITTED', 'Evaluación de instructores no disponible', null, null, 'unavailable')
      : ev.value
        ? factor('EVALIN_NOT_SUBMITTED', 'No diligenció la evaluación de instructores del último periodo', ev.value.submitted, ev.value.submitted === 0 ? { band: 0, points: v.evalin_not_submitted.points[0] ?? 0 } : null)
        : factor('EVALIN_NOT_SUBMITTED', 'Sin periodo de evaluación de instructores cerrado', null, null),
  );

  const score = Math.min(100, factors.reduce((s, f) => s + f.points, 0));
  return { status: 'assessed', scheduled: w.scheduled, score, level: levelOf(score, settings.level_cutoffs), confidence: confidenceOf(w.scheduled), factors };
}

/** R26 */
export function levelOf(score: number, c: LevelCutoffs): Level {
  return score >= c.critical ? 'critical' : score >= c.high ? 'high' : score >= c.medium ? 'medium' : 'low';
}

/** R24 */
export function confidenceOf(scheduled: number): 'low' | 'medium' | 'high' {
  return scheduled >= 20 ? 'high' : scheduled >= 10 ? 'medium' : 'low';
}

/** R28 */
export const RECOMMENDED_ACTIONS: Record<Level, string[]> = {
  critical: ['Contactar de inmediato al aprendiz (y a su acudiente si es menor de edad)', 'Reunión urgente con coordinación académica', 'Plan de mejoramiento y remisión a Bienestar al Aprendiz'],
  high: ['Llamar al aprendiz', 'Solicitar la justificación de las inasistencias', 'Informar a coordinación', 'Seguimiento cercano de las próximas sesiones'],
  medium: ['Enviar un mensaje al aprendiz', 'Indagar por su situación', 'Recordar la importancia de la asistencia'],
  low: [],
};

export const recommendedActions = (level: string | null) => (level ? (RECOMMENDED_ACTIONS[level as Level] ?? []) : []);

/** The applied factors, highest points first (alerts' top_factors). */
export function topFactors(factors: Factor[], n = 3): Factor[] {
  return factors.filter((f) => f.status === 'applied').sort((a, b) => b.points - a.points).slice(0, n);
}

/** R29's ordering rules (TypeBox checks shapes and ranges); one message per broken rule. */
export function settingsProblems(s: Omit<RiskSettings, 'version'>): Array<{ field: string; reason: string; message: string }> {
  const out: Array<{ field: string; reason: string; message: string }> = [];
  const ascending: Array<keyof RiskValues> = ['low_attendance', 'low_project_grade'];
  const descending: Array<keyof RiskValues> = ['consecutive_absences', 'unjustified_absences', 'declining_trend', 'frequent_lateness'];
  for (const key of [...ascending, ...descending]) {
    const b = s.values[key] as BandedSetting;
    if (b.bands.length !== b.points.length) out.push({ field: `values.${key}.points`, reason: 'length', message: 'Debe haber un puntaje por banda' });
    const asc = ascending.includes(key);
    for (let i = 1; i < b.bands.length; i++) {
      if (asc ? !(b.bands[i] > b.bands[i - 1]) : !(b.bands[i] < b.bands[i - 1])) {
        out.push({ field: `values.${key}.bands`, reason: asc ? 'not_ascending' : 'not_descending', message: asc ? 'Las bandas deben ser estrictamente ascendentes' : 'Las bandas deben ser estrictamente descendentes' });
        break;
      }
    }
  }
  const c = s.level_cutoffs;
  if (!(c.medium >= 1 && c.medium < c.high && c.high < c.critical && c.critical <= 100)) {
    out.push({ field: 'level_cutoffs', reason: 'order', message: 'Los cortes deben cumplir 1 ≤ medium < high < critical ≤ 100' });
  }
  return out;
}
