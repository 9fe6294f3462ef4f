/**
 * Reads of the request log (gateway.md L1–L3, S3, R47 retention): filters, the export's keyset batches,
 * stats with percentile_cont, and the nightly deletion in batches. Rows come out as the admin API shows
 * them (core/request-log-query.ts).
 */
import { and, desc, eq, getTableColumns, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { countTotal, listPage, withTotal } from '@sicora/platform/list-page';
import type { ExportCursor, ExportRow, LogFilter, LogRowView, LogSort, LogStatsRow } from '../core/request-log-query.ts';
import { configVersions, requestLogs, serviceHealthHistory } from './db/schema.ts';

export function toRow(r: typeof requestLogs.$inferSelect): LogRowView {
  return {
    id: r.id,
    request_id: r.requestId,
    occurred_at: r.occurredAt.toISOString(),
    method: r.method,
    path: r.path,
    query_keys: r.queryKeys,
    route_name: r.routeName,
    service: r.service,
    status: r.status,
    outcome: r.outcome,
    error_code: r.errorCode,
    duration_ms: r.durationMs,
    upstream_ms: r.upstreamMs,
    attempts: r.attempts,
    circuit_state: r.circuitState,
    user_id: r.userId,
    role: r.role,
    ip_masked: r.ipMasked,
    user_agent: r.userAgent,
  };
}

function where(f: LogFilter): SQL | undefined {
  const conds: Array<SQL | undefined> = [gte(requestLogs.occurredAt, f.from), lte(requestLogs.occurredAt, f.to)];
  if (f.status === '4xx' || f.status === '5xx') {
    const base = f.status === '4xx' ? 400 : 500;
    conds.push(and(gte(requestLogs.status, base), lt(requestLogs.status, base + 100)));
  } else if (f.status) conds.push(eq(requestLogs.status, Number(f.status)));
  if (f.outcomes?.length) conds.push(inArray(requestLogs.outcome, f.outcomes));
  if (f.service) conds.push(eq(requestLogs.service, f.service));
  if (f.routeName) conds.push(eq(requestLogs.routeName, f.routeName));
  if (f.method) conds.push(eq(requestLogs.method, f.method));
  if (f.userId) conds.push(eq(requestLogs.userId, f.userId));
  if (f.requestId) conds.push(eq(requestLogs.requestId, f.requestId));
  // Compared in double precision: a bound such as 1e-300 or 1e300 is a valid JSON number that a `real` cannot hold.
  if (f.minDurationMs !== undefined) conds.push(sql`${requestLogs.durationMs} >= ${f.minDurationMs}::double precision`);
  return and(...conds);
}

/** The sort column of L1 and L2 (the `id` breaks ties, so the order is total and a keyset can resume it). */
const sortColumn = (sort: LogSort) => (sort === 'duration_ms' ? requestLogs.durationMs : requestLogs.occurredAt);

export function createRequestLogRepo(database: Database) {
  const db = database.db;
  const countQuery = (w: SQL | undefined) => db.select({ n: sql<number>`count(*)::int` }).from(requestLogs).where(w);
  const count = async (w: SQL | undefined) => Number((await countQuery(w))[0].n);
  return {
    async list(f: LogFilter, sort: LogSort, limit: number, offset: number) {
      const w = where(f);
      // Up to 31 days of requests: a window total would read every match in full, the subquery counts on an index.
      const page = db.select(withTotal(getTableColumns(requestLogs), countTotal(countQuery(w)))).from(requestLogs).where(w)
        .orderBy(desc(sortColumn(sort)), desc(requestLogs.id)).limit(limit).offset(offset);
      const { rows, total } = await listPage(page, offset, () => count(w));
      return { rows: rows.map(toRow), total };
    },
    /** L2's refusal check: how many rows the filter selects. */
    count: (f: LogFilter) => count(where(f)),
    /**
     * One batch of L2: the next `limit` rows after `after` in L1's order (sort column, then id, both
     * descending), read by keyset, never OFFSET, so the last batch of a 100 000-row export costs what the
     * first does. The cursor carries the sort value as PostgreSQL's own text: a timestamptz holds
     * microseconds a JS Date would round away, and a row sharing the rounded value would be skipped.
     */
    async exportBatch(f: LogFilter, sort: LogSort, after: ExportCursor | undefined, limit: number): Promise<ExportRow[]> {
      const column = sortColumn(sort);
      const resume = after
        ? sql`(${column}, ${requestLogs.id}) < (${after.key}::${sql.raw(sort === 'duration_ms' ? 'real' : 'timestamptz')}, ${after.id}::uuid)`
        : undefined;
      const rows = await db
        .select({
          occurredAt: requestLogs.occurredAt,
          requestId: requestLogs.requestId,
          method: requestLogs.method,
          path: requestLogs.path,
          routeName: requestLogs.routeName,
          service: requestLogs.service,
          status: requestLogs.status,
          outcome: requestLogs.outcome,
          errorCode: requestLogs.errorCode,
          durationMs: requestLogs.durationMs,
          upstreamMs: requestLogs.upstreamMs,
          attempts: requestLogs.attempts,
          circuitState: requestLogs.circuitState,
          userId: requestLogs.userId,
          role: requestLogs.role,
          ipMasked: requestLogs.ipMasked,
          userAgent: requestLogs.userAgent,
          id: requestLogs.id,
          // float8 text round-trips a real exactly whatever extra_float_digits is.
          cursorKey: sort === 'duration_ms' ? sql<string>`${column}::float8::text` : sql<string>`${column}::text`,
        })
        .from(requestLogs)
        .where(and(where(f), resume))
        .orderBy(desc(column), desc(requestLogs.id))
        .limit(limit);
      return rows.map(({ cursorKey, ...r }) => ({ ...r, cursor: { key: cursorKey, id: r.id } }));
    },
    async byRequestId(requestId: string) {
      const rows = await db.select().from(requestLogs).where(eq(requestLogs.requestId, requestId)).orderBy(requestLogs.occurredAt);
      return rows.map(toRow);
    },
    async stats(from: Date): Promise<LogStatsRow[]> {
      const result = await db.execute(sql`
        select coalesce(service, '(ninguno)') as service, count(*)::int as requests,
          count(*) filter (where status >= 500)::int as errors_5xx,
          percentile_cont(0.5) within group (order by duration_ms) as p50,
          percentile_cont(0.95) within group (order by duration_ms) as p95,
          percentile_cont(0.99) within group (order by duration_ms) as p99,
          count(*) filter (where outcome = 'rate_limited')::int as rate_limited,
          count(*) filter (where outcome = 'unauthenticated')::int as unauthenticated,
          count(*) filter (where error_code = 'SERVICE_UNAVAILABLE' and outcome = 'unavailable' and attempts = 0 and circuit_state in ('open','half_open','forced_open'))::int as circuit_rejections,
          grouping(service) as overall
        from gateway.request_logs where occurred_at >= ${from}
        group by grouping sets ((service), ())`);
      // node-postgres hands back { rows }, PGlite's drizzle driver the rows themselves.
      const rows = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as Array<Record<string, unknown>>;
      const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      return rows.map((r) => ({
        service: String(r.service),
        overall: Number(r.overall) === 1,
        requests: Number(r.requests ?? 0),
        errors_5xx: Number(r.errors_5xx ?? 0),
        p50: num(r.p50),
        p95: num(r.p95),
        p99: num(r.p99),
        rate_limited: Number(r.rate_limited ?? 0),
        unauthenticated: Number(r.unauthenticated ?? 0),
        circuit_rejections: Number(r.circuit_rejections ?? 0),
      }));
    },
    /** R47: one batch of the retention job; resolves how many rows went. */
    async purge(now: Date, retentionDays: number): Promise<number> {
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
      let total = 0;
      for (;;) {
        const res = await database.query<{ n: number }>(
          'with gone as (delete from gateway.request_logs where id in (select id from gateway.request_logs where occurred_at < $1 limit 10000) returning 1) select count(*)::int as n from gone',
          [cutoff],
        );
        total += Number(res[0].n);
        if (Number(res[0].n) < 10_000) break;
      }
      await db.delete(serviceHealthHistory).where(lt(serviceHealthHistory.checkedAt, new Date(now.getTime() - 30 * 86_400_000)));
      await db.execute(sql`delete from ${configVersions} where version <= (select max(version) - 200 from ${configVersions})`);
      return total;
    },
  };
}

export type RequestLogRepo = ReturnType<typeof createRequestLogRepo>;
