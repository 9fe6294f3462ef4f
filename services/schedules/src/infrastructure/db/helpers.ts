/** Small query helpers shared by the repositories. */
import { asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { SortSpec } from '@sicora/platform/pagination';

export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: string }).code === '23505') return true;
  }
  return false;
}

export function order<F extends string>(sort: SortSpec<F>, columns: Record<F, AnyColumn>, ...ties: SQL[]): SQL[] {
  const col = columns[sort.field];
  return [sort.direction === 'desc' ? desc(col) : asc(col), ...ties];
}

export const countStar = sql<number>`count(*)::int`;

export function audit(row: { createdBy: string | null; updatedBy: string | null; createdAt: Date; updatedAt: Date }) {
  return {
    created_by: row.createdBy,
    updated_by: row.updatedBy,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
