/**
 * Grade computation (R16, R17, R31, R32, R34, R45, R46) as pure functions. Scores carry one decimal, so
 * every sum is done in integer tenths and rounded half-up exactly: no float drift decides a band.
 */
import { pe } from './errors.ts';

export interface Band {
  code: string;
  label: string;
  min_score: number;
  is_passing: boolean;
}

export interface Criterion {
  id: string;
  weight: number;
}

/** R17's default bands, used when a rubric is saved without bands. */
export const DEFAULT_BANDS: Band[] = [
  { code: 'A', label: 'Excelente', min_score: 90, is_passing: true },
  { code: 'B', label: 'Bueno', min_score: 80, is_passing: true },
  { code: 'C', label: 'Aceptable', min_score: 70, is_passing: true },
  { code: 'D', label: 'Suficiente', min_score: 60, is_passing: true },
  { code: 'F', label: 'Insuficiente', min_score: 0, is_passing: false },
];

const tenths = (x: number) => Math.round(x * 10);
/** Half-up of a non-negative fraction num/den, in whole units of the result. */
const halfUp = (num: number, den: number) => Math.floor((2 * num + den) / (2 * den));

/** R31: 0–100 with at most one decimal. */
export function isValidScore(score: number): boolean {
  return Number.isFinite(score) && score >= 0 && score <= 100 && Math.abs(score * 10 - tenths(score)) < 1e-7;
}

/** R17: the bands are valid, or GRADE_BANDS_INVALID with the first reason found. */
export function checkBands(bands: Band[]): void {
  if (bands.length < 2 || bands.length > 10) throw pe.bandsInvalid('count');
  if (new Set(bands.map((b) => b.code)).size !== bands.length) throw pe.bandsInvalid('duplicate_code');
  if (bands.some((b) => !isValidScore(b.min_score))) throw pe.bandsInvalid('min_score');
  if (new Set(bands.map((b) => tenths(b.min_score))).size !== bands.length) throw pe.bandsInvalid('duplicate_min_score');
  if (bands.filter((b) => b.min_score === 0).length !== 1) throw pe.bandsInvalid('no_zero_band');
  const passing = bands.filter((b) => b.is_passing);
  const failing = bands.filter((b) => !b.is_passing);
  if (passing.length === 0 || failing.length === 0) throw pe.bandsInvalid('passing_mix');
  if (Math.min(...passing.map((b) => b.min_score)) <= Math.max(...failing.map((b) => b.min_score))) throw pe.bandsInvalid('passing_order');
}

/** R17: the band with the highest min_score ≤ score. */
export function bandFor(bands: Band[], score: number): Band {
  const sorted = [...bands].sort((a, b) => b.min_score - a.min_score);
  return sorted.find((b) => tenths(b.min_score) <= tenths(score)) ?? sorted[sorted.length - 1];
}

/** R16 activation: 2–20 criteria whose weights total exactly 100. */
export function checkActivation(criteria: Criterion[]): void {
  if (criteria.length < 2 || criteria.length > 20) throw pe.criteriaInvalid({ count: criteria.length });
  const total = criteria.reduce((s, c) => s + c.weight, 0);
  if (total !== 100) throw pe.weightsInvalid(total);
}

/** R16: levels within 0–100, min ≤ max, not overlapping. */
export function levelsValid(levels: Array<{ min_score: number; max_score: number }>): boolean {
  if (levels.length > 5) return false;
  const sorted = [...levels].sort((a, b) => a.min_score - b.min_score);
  for (let i = 0; i < sorted.length; i++) {
    const l = sorted[i];
    if (!(l.min_score >= 0 && l.min_score <= l.max_score && l.max_score <= 100)) return false;
    if (i > 0 && l.min_score <= sorted[i - 1].max_score) return false;
  }
  return true;
}

/** Σ(score × weight) in tenths × weight: the exact numerator of a juror's total. */
function weightedSum(criteria: Criterion[], scores: Map<string, number>): number {
  return criteria.reduce((s, c) => s + tenths(scores.get(c.id) ?? 0) * c.weight, 0);
}

/** The criteria without a score (R32). */
export function missingCriteria(criteria: Criterion[], scores: Map<string, number>): string[] {
  return criteria.filter((c) => !scores.has(c.id)).map((c) => c.id);
}

/** R32: Σ(score_c × weight_c) / 100, half-up to one decimal; INCOMPLETE_SCORES when a criterion is missing. */
export function evaluationTotal(criteria: Criterion[], scores: Map<string, number>): number {
  const missing = missingCriteria(criteria, scores);
  if (missing.length > 0) throw pe.incompleteScores(missing);
  return halfUp(weightedSum(criteria, scores), 100) / 10;
}

export interface SubmissionResult {
  final_score: number;
  band: Band;
  score_spread: number;
  needs_calibration: boolean;
  criterion_averages: Array<{ criterion_id: string; average: number }>;
}

/**
 * R34: the mean of the jurors' unrounded totals, half-up to one decimal; spread between the (rounded)
 * totals; calibration above 20 points; per-criterion means.
 */
export function submissionResult(criteria: Criterion[], bands: Band[], jurors: Array<Map<string, number>>): SubmissionResult {
  if (jurors.length === 0) throw new Error('no evaluations');
  const sums = jurors.map((s) => weightedSum(criteria, s));
  const final = halfUp(sums.reduce((a, b) => a + b, 0), 100 * jurors.length) / 10;
  const totals = sums.map((s) => halfUp(s, 100));
  const spread = (Math.max(...totals) - Math.min(...totals)) / 10;
  return {
    final_score: final,
    band: bandFor(bands, final),
    score_spread: spread,
    needs_calibration: spread > 20,
    criterion_averages: criteria.map((c) => ({ criterion_id: c.id, average: halfUp(jurors.reduce((s, j) => s + tenths(j.get(c.id) ?? 0), 0), jurors.length) / 10 })),
  };
}

/** R45: Σ(final × weight) / Σ weight over published deliverables, half-up one decimal; null when none. */
export function projectGrade(results: Array<{ final_score: number; weight: number }>): number | null {
  if (results.length === 0) return null;
  const w = results.reduce((s, r) => s + r.weight, 0);
  return halfUp(results.reduce((s, r) => s + tenths(r.final_score) * r.weight, 0), w) / 10;
}

/** R46: a percentage or mean with one decimal (null over nothing). */
export function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : halfUp(part * 1000, whole) / 10;
}

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : halfUp(values.reduce((s, v) => s + tenths(v), 0), values.length) / 10;
}
