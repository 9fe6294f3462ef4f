/** R35's formulas, pure: computed at full precision, rounded only when shown. */

/** Half-up rounding to `digits` decimals (2 for means, medians, deviations; 1 for percentages). */
export function roundHalfUp(value: number, digits: number): number {
  const f = 10 ** digits;
  // The epsilon keeps 2.675-like binary representations rounding up as written.
  return Math.round((value + Math.sign(value) * Number.EPSILON * Math.max(1, Math.abs(value))) * f) / f;
}

export const round2 = (v: number | null) => (v === null ? null : roundHalfUp(v, 2));
export const round1 = (v: number | null) => (v === null ? null : roundHalfUp(v, 1));

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Population standard deviation. */
export function stdDev(values: readonly number[]): number | null {
  const m = mean(values);
  if (m === null) return null;
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / values.length);
}

export const percent = (part: number, whole: number) => (whole === 0 ? null : (part / whole) * 100);

export function likertStats(values: readonly number[]) {
  const distribution: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const v of values) distribution[String(v)] += 1;
  const percentages: Record<string, number> = {};
  for (const k of Object.keys(distribution)) percentages[k] = round1(percent(distribution[k], values.length)) ?? 0;
  return {
    average: round2(mean(values)),
    median: round2(median(values)),
    std_dev: round2(stdDev(values)),
    // A loop, not Math.min(...values): a period holds hundreds of thousands of values.
    min: values.length ? values.reduce((a, v) => (v < a ? v : a), values[0]) : null,
    max: values.length ? values.reduce((a, v) => (v > a ? v : a), values[0]) : null,
    distribution,
    percentages,
  };
}

/** R35: up to 3 categories with average ≥ 4.00 (desc) / up to 3 with average < 3.50 (asc); ties by name. */
export function strengthsAndAreas(categories: ReadonlyArray<{ category: string; average: number | null }>) {
  const withAvg = categories.filter((c): c is { category: string; average: number } => c.average !== null);
  const strengths = withAvg.filter((c) => c.average >= 4).sort((a, b) => b.average - a.average || a.category.localeCompare(b.category)).slice(0, 3).map((c) => c.category);
  const improvement = withAvg.filter((c) => c.average < 3.5).sort((a, b) => a.average - b.average || a.category.localeCompare(b.category)).slice(0, 3).map((c) => c.category);
  return { strengths, improvement_areas: improvement };
}

/** A Likert histogram: counts[k] answers equal to k (k = 1..5; index 0 unused). */
export type Histogram = [number, number, number, number, number, number];
export const emptyHistogram = (): Histogram => [0, 0, 0, 0, 0, 0];

export function addTo(h: Histogram, value: number, n: number) {
  h[value] += n;
}

/** The k-th smallest value (0-based) of a histogram. */
function kth(h: Histogram, k: number): number {
  let seen = 0;
  for (let v = 1; v <= 5; v += 1) {
    seen += h[v];
    if (k < seen) return v;
  }
  return 5;
}

/** R35's figures from counts: exactly what the same values listed one by one give. */
export function histogramStats(h: Histogram) {
  const count = h[1] + h[2] + h[3] + h[4] + h[5];
  const distribution: Record<string, number> = { 1: h[1], 2: h[2], 3: h[3], 4: h[4], 5: h[5] };
  const percentages: Record<string, number> = {};
  for (const k of Object.keys(distribution)) percentages[k] = round1(percent(distribution[k], count)) ?? 0;
  if (count === 0) return { count, average: null, median: null, std_dev: null, min: null, max: null, distribution, percentages };
  let sum = 0;
  for (let v = 1; v <= 5; v += 1) sum += v * h[v];
  const m = sum / count;
  let sq = 0;
  for (let v = 1; v <= 5; v += 1) sq += h[v] * (v - m) ** 2;
  const med = count % 2 === 1 ? kth(h, (count - 1) / 2) : (kth(h, count / 2 - 1) + kth(h, count / 2)) / 2;
  let min = 5;
  let max = 1;
  for (let v = 1; v <= 5; v += 1) if (h[v] > 0) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { count, average: round2(m), median: round2(med), std_dev: round2(Math.sqrt(sq / count)), min, max, distribution, percentages };
}

export type WithheldReason = 'insufficient_responses' | 'low_participation' | null;

/** R33–R34: whether a block shows anything, and whether its averages are shown. */
export function thresholds(n: number, expected: number, minResponses: number, minParticipation: number) {
  const rate = expected > 0 ? (n / expected) * 100 : null;
  if (n < minResponses) return { shown: false, averages: false, reason: 'insufficient_responses' as WithheldReason, rate };
  if (rate !== null && rate < minParticipation) return { shown: true, averages: false, reason: 'low_participation' as WithheldReason, rate };
  return { shown: true, averages: true, reason: null as WithheldReason, rate };
}
