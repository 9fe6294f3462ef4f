/**
 * A page of a list and the list's total in one query: the page's SELECT carries the total beside its
 * columns, so the page and its total come from one statement and one snapshot (two queries could see a
 * row inserted between them) at the cost of one round trip.
 *
 * Two ways to compute that total:
 * - `windowTotal`, `count(*) over ()`: counts the rows the WHERE matched before LIMIT/OFFSET. The window
 *   needs every matching row before it emits the first, so the page can no longer stop early on an index
 *   that gives its order: every match is read in full (and sorted). Right for small lists (a few hundred
 *   rows at most: campuses, programs).
 * - `countTotal(countQuery)`: the list's own count query as an uncorrelated scalar subquery, run once per
 *   statement. The page keeps its early-stopping plan and the count its index-only scan. Right for lists
 *   that grow (users, fichas, logs). Measured in docs/platform.md ("Lists and their total").
 *
 * Either way a page past the end returns no rows, hence no total: only then does the caller's count query
 * run on its own. The first page with no rows needs none (nothing matched: the total is 0).
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** The number of rows the query's WHERE matches, computed before LIMIT and OFFSET. */
export const windowTotal: SQL<number> = sql<number>`(count(*) over ())::int`;

/** `countQuery` (a SELECT of one `count(*)` over the list's FROM and WHERE) as the page's total. */
export function countTotal(countQuery: SQLWrapper): SQL<number> {
  // Drizzle puts a query builder inside a template in parentheses: a scalar subquery.
  return sql<number>`${countQuery}::int`;
}

/**
 * `selection` (plain columns such as `getTableColumns(table)`, or nested objects) plus `total`. A
 * selection with its own `total` key is refused at compile time: it would be overwritten.
 */
export function withTotal<S extends Record<string, unknown>>(
  selection: S & { total?: never },
  total: SQL<number> = windowTotal,
): S & { total: SQL<number> } {
  return { ...selection, total };
}

export interface ListPage<R> {
  rows: R[];
  total: number;
}

/**
 * Runs `page` (a SELECT of `withTotal(...)`, with its ORDER BY, LIMIT ≥ 1 or none, and OFFSET `offset`)
 * and returns its rows without their `total` key, and the total. `countAll` (the same FROM and WHERE
 * with `count(*)`) runs only when a page past the end left the total unknown.
 */
export async function listPage<R extends { total: number }>(
  page: PromiseLike<R[]>,
  offset: number,
  countAll: () => PromiseLike<number>,
): Promise<ListPage<Omit<R, 'total'>>> {
  const found = await page;
  if (found.length > 0) return { rows: found.map(({ total: _total, ...row }) => row), total: Number(found[0].total) };
  return { rows: [], total: offset > 0 ? Number(await countAll()) : 0 };
}
