/** R19: P = 0.4·min(1, views₃₀/200) + 0.4·(helpful+1)/(helpful+not_helpful+2) + 0.2·1/(1 + days since update/30). */
export function popularityOf(o: { views30d: number; helpful: number; notHelpful: number; updatedAt: Date; now: Date }): number {
  const days = Math.max(0, (o.now.getTime() - o.updatedAt.getTime()) / 86_400_000);
  const p = 0.4 * Math.min(1, o.views30d / 200) + (0.4 * (o.helpful + 1)) / (o.helpful + o.notHelpful + 2) + 0.2 / (1 + days / 30);
  return Math.round(p * 10000) / 10000;
}
