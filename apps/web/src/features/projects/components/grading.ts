/** The arithmetic of projecteval R31/R32/R17 as the screens preview it (the server's result is the one kept). */
import type { GradeBand } from '../api/types.ts';

/** R31: 0–100 with at most one decimal. */
export function validScore(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 100 && Math.abs(Math.round(value * 10) - value * 10) < 1e-9;
}

/**
 * R32: Σ(score × weight) / 100 rounded half-up to one decimal; null until every criterion has a valid
 * score. Computed in tenths so that binary fractions never move a half.
 */
export function weightedTotal(criteria: Array<{ id: string; weight: number }>, scores: Record<string, number | null | undefined>): number | null {
  let sum = 0;
  for (const c of criteria) {
    const s = scores[c.id];
    if (s === null || s === undefined || !validScore(s)) return null;
    sum += Math.round(s * 10) * c.weight;
  }
  return Math.floor((sum + 50) / 100) / 10;
}

/** R17: the band with the highest `min_score` ≤ score. */
export function bandFor(bands: GradeBand[], total: number | null): GradeBand | null {
  if (total === null) return null;
  return [...bands].sort((a, b) => b.min_score - a.min_score).find((b) => b.min_score <= total) ?? null;
}

/** R16: the sum of the weights and what activation still needs. */
export function weightCheck(weights: number[]): { total: number; ok: boolean; message: string } {
  const total = weights.reduce((s, w) => s + (Number.isFinite(w) ? w : 0), 0);
  if (weights.length < 2) return { total, ok: false, message: 'Para activarla necesita entre 2 y 20 criterios.' };
  if (weights.length > 20) return { total, ok: false, message: 'Una rúbrica tiene como máximo 20 criterios.' };
  if (total < 100) return { total, ok: false, message: `Los pesos suman ${total}: faltan ${100 - total} para llegar a 100.` };
  if (total > 100) return { total, ok: false, message: `Los pesos suman ${total}: sobran ${total - 100} para llegar a 100.` };
  return { total, ok: true, message: 'Los pesos suman 100: la rúbrica puede activarse.' };
}
