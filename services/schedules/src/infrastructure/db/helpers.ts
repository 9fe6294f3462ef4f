/** Small query helpers shared by the repositories. */
import { asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { SortSpec } from '@sicora/platform/pagination';
import { scheduleEntries } from './schema.ts';

export function order<F extends string>(sort: SortSpec<F>, columns: Record<F, AnyColumn>, ...ties: SQL[]): SQL[] {
  const col = columns[sort.field];
  return [sort.direction === 'desc' ? desc(col) : asc(col), ...ties];
}

export const countStar = sql<number>`count(*)::int`;

/** Writes go in multi-row inserts of this many rows (far below the 65 535 parameters of one statement). */
export const INSERT_CHUNK = 500;

export function chunks<T>(rows: readonly T[], size = INSERT_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** An entry's last teaching date (R12): a cancellation ends it the day before `cancelled_from`. */
export const effectiveEnd = sql`(CASE WHEN ${scheduleEntries.status} = 'CANCELLED' THEN LEAST(${scheduleEntries.endDate}, ${scheduleEntries.cancelledFrom} - 1) ELSE ${scheduleEntries.endDate} END)`;
