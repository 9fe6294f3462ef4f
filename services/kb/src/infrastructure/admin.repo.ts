/** Reads for the administration endpoints (§4.6): metrics (R23), search logs and reports (R22). */
import { and, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { itemViews } from './db/schema.ts';
import { rowsOf, textArray } from './rows.ts';

export interface Period {
  from: Date;
  to: Date;
}

export interface LogFilter extends Period {
  role?: string;
  source?: string;
  zeroResults?: boolean;
  q?: string;
}

export interface LogRow {
  id: string;
  created_at: unknown;
  source: string;
  query_text: string;
  role: string;
  user_id: string | null;
  mode_requested: string;
  mode_used: string;
  results_count: number;
  latency_ms: number;
}

const range = (p: Period) => sql`l.created_at >= ${p.from.toISOString()}::timestamptz AND l.created_at < ${p.to.toISOString()}::timestamptz`;

function logWhere(f: LogFilter): SQL {
  const w: SQL[] = [range(f)];
  if (f.role) w.push(sql`l.role = ${f.role}`);
  if (f.source) w.push(sql`l.source = ${f.source}`);
  if (f.zeroResults === true) w.push(sql`l.results_count = 0`);
  if (f.zeroResults === false) w.push(sql`l.results_count > 0`);
  if (f.q) w.push(sql`strpos(lower(l.query_text), lower(${f.q})) > 0`);
  return sql.join(w, sql` AND `);
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function createAdminRepo(db: Db) {
  const all = async <T>(q: SQL) => rowsOf<T>(await db.execute(q));
  return {
    async logs(f: LogFilter, page: { limit: number; offset: number } | { after?: { at: string; id: string }; limit: number }): Promise<{ rows: LogRow[]; total: number }> {
      const cols = sql`l.id, l.created_at, l.source, l.query_text, l.role, l.user_id, l.mode_requested, l.mode_used, l.results_count, l.latency_ms`;
      if ('offset' in page) {
        const rows = await all<LogRow & { total: number }>(sql`SELECT ${cols}, count(*) over ()::int AS total FROM kb.search_logs l WHERE ${logWhere(f)} ORDER BY l.created_at DESC, l.id DESC LIMIT ${page.limit} OFFSET ${page.offset}`);
        const total = rows[0] ? Number(rows[0].total) : Number((await all<{ n: number }>(sql`SELECT count(*)::int AS n FROM kb.search_logs l WHERE ${logWhere(f)}`))[0]?.n ?? 0);
        return { rows, total };
      }
      const after = page.after ? sql` AND (l.created_at, l.id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : sql``;
      return { rows: await all<LogRow>(sql`SELECT ${cols} FROM kb.search_logs l WHERE ${logWhere(f)}${after} ORDER BY l.created_at DESC, l.id DESC LIMIT ${page.limit}`), total: -1 };
    },
    async countLogs(f: LogFilter): Promise<number> {
      return Number((await all<{ n: number }>(sql`SELECT count(*)::int AS n FROM kb.search_logs l WHERE ${logWhere(f)}`))[0]?.n ?? 0);
    },
    /** R22: zero-result rows grouped by normalised query; the raw text of the latest one shown. */
    async noResults(f: LogFilter & { minCount: number }, page?: { limit: number; offset: number }) {
      const lim = page ? sql` LIMIT ${page.limit} OFFSET ${page.offset}` : sql``;
      const rows = await all<{ query: string; count: number; distinct_users: number; roles: unknown; first_seen: unknown; last_seen: unknown; total: number }>(sql`
        SELECT (array_agg(l.query_text ORDER BY l.created_at DESC))[1] AS query, count(*)::int AS count, count(DISTINCT l.user_id)::int AS distinct_users,
          array_agg(DISTINCT l.role) AS roles, min(l.created_at) AS first_seen, max(l.created_at) AS last_seen, count(*) over ()::int AS total
        FROM kb.search_logs l WHERE ${logWhere({ ...f, zeroResults: true })} GROUP BY l.normalized_query HAVING count(*) >= ${f.minCount}
        ORDER BY count(*) DESC, max(l.created_at) DESC${lim}`);
      return { rows: rows.map((r) => ({ ...r, count: Number(r.count), distinct_users: Number(r.distinct_users), roles: textArray(r.roles) })), total: rows[0] ? Number(rows[0].total) : 0 };
    },
    async topQueries(f: LogFilter, limit: number) {
      const rows = await all<{ query: string; count: number; distinct_users: number; zero: number; avg_results: number }>(sql`
        SELECT (array_agg(l.query_text ORDER BY l.created_at DESC))[1] AS query, count(*)::int AS count, count(DISTINCT l.user_id)::int AS distinct_users,
          avg((l.results_count = 0)::int)::float8 AS zero, avg(l.results_count)::float8 AS avg_results
        FROM kb.search_logs l WHERE ${logWhere(f)} GROUP BY l.normalized_query ORDER BY count(*) DESC, 1 LIMIT ${limit}`);
      return rows.map((r) => ({ query: r.query, count: Number(r.count), distinct_users: Number(r.distinct_users), zero_result_share: Math.round(Number(r.zero) * 1000) / 1000, avg_results: Math.round(Number(r.avg_results) * 100) / 100 }));
    },
    /** R23's figures over the period. */
    async metrics(p: Period) {
      const from = p.from.toISOString();
      const to = p.to.toISOString();
      const [items] = await all<{ total: number; published_in_period: number }>(sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE published_at >= ${from}::timestamptz AND published_at < ${to}::timestamptz)::int AS published_in_period FROM kb.items WHERE deleted_at IS NULL`);
      const byStatus = await all<{ k: string; n: number }>(sql`SELECT status AS k, count(*)::int AS n FROM kb.items WHERE deleted_at IS NULL GROUP BY status`);
      const byKind = await all<{ k: string; n: number }>(sql`SELECT kind AS k, count(*)::int AS n FROM kb.items WHERE deleted_at IS NULL GROUP BY kind`);
      const [views] = await all<{ total: number; users: number }>(sql`SELECT count(*)::int AS total, count(DISTINCT user_id)::int AS users FROM kb.item_views WHERE viewed_at >= ${from}::timestamptz AND viewed_at < ${to}::timestamptz`);
      const topViews = await all<{ id: string; title: string; views: number }>(sql`SELECT i.id, i.title, count(*)::int AS views FROM kb.item_views v JOIN kb.items i ON i.id = v.item_id WHERE v.viewed_at >= ${from}::timestamptz AND v.viewed_at < ${to}::timestamptz GROUP BY i.id, i.title ORDER BY views DESC, i.title LIMIT 10`);
      const [fb] = await all<{ votes: number; helpful: number; avg_rating: number | null }>(sql`SELECT count(*)::int AS votes, count(*) FILTER (WHERE helpful)::int AS helpful, avg(rating)::float8 AS avg_rating FROM kb.feedback WHERE updated_at >= ${from}::timestamptz AND updated_at < ${to}::timestamptz`);
      const lowest = await all<{ id: string; title: string; votes: number; satisfaction: number }>(sql`SELECT i.id, i.title, count(*)::int AS votes, avg(f.helpful::int)::float8 AS satisfaction FROM kb.feedback f JOIN kb.items i ON i.id = f.item_id WHERE f.updated_at >= ${from}::timestamptz AND f.updated_at < ${to}::timestamptz GROUP BY i.id, i.title HAVING count(*) >= 5 ORDER BY satisfaction, votes DESC LIMIT 5`);
      const l = sql`created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz`;
      const [search] = await all<{ total: number; users: number; zero: number; avg: number | null; p95: number | null }>(sql`SELECT count(*)::int AS total, count(DISTINCT user_id)::int AS users, count(*) FILTER (WHERE results_count = 0)::int AS zero, avg(latency_ms)::float8 AS avg, percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms)::float8 AS p95 FROM kb.search_logs WHERE ${l}`);
      const byRole = await all<{ k: string; n: number }>(sql`SELECT role AS k, count(*)::int AS n FROM kb.search_logs WHERE ${l} GROUP BY role`);
      const byMode = await all<{ k: string; n: number }>(sql`SELECT mode_used AS k, count(*)::int AS n FROM kb.search_logs WHERE ${l} GROUP BY mode_used`);
      const [published] = await all<{ n: number }>(sql`SELECT count(*)::int AS n FROM kb.items WHERE deleted_at IS NULL AND status = 'published'`);
      const obj = (rows: Array<{ k: string; n: number }>) => Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
      const votes = Number(fb?.votes ?? 0);
      const total = Number(search?.total ?? 0);
      return {
        items: { total: Number(items?.total ?? 0), by_status: obj(byStatus), by_kind: obj(byKind), published_in_period: Number(items?.published_in_period ?? 0) },
        views: { total: Number(views?.total ?? 0), unique_users: Number(views?.users ?? 0), top_items: topViews.map((r) => ({ id: r.id, title: r.title, views: Number(r.views) })) },
        feedback: {
          votes,
          helpful: Number(fb?.helpful ?? 0),
          not_helpful: votes - Number(fb?.helpful ?? 0),
          satisfaction: votes === 0 ? null : Math.round((Number(fb!.helpful) / votes) * 1000) / 1000,
          avg_rating: fb?.avg_rating === null || fb?.avg_rating === undefined ? null : Math.round(Number(fb.avg_rating) * 100) / 100,
          lowest_items: lowest.map((r) => ({ id: r.id, title: r.title, votes: Number(r.votes), satisfaction: Math.round(Number(r.satisfaction) * 1000) / 1000 })),
        },
        search: {
          total,
          unique_users: Number(search?.users ?? 0),
          by_role: obj(byRole),
          by_mode_used: obj(byMode),
          zero_result_rate: total === 0 ? 0 : Math.round((Number(search!.zero) / total) * 1000) / 1000,
          avg_latency_ms: num(search?.avg) === null ? null : Math.round(Number(search!.avg)),
          p95_latency_ms: num(search?.p95) === null ? null : Math.round(Number(search!.p95)),
        },
        publishedItems: Number(published?.n ?? 0),
      };
    },
    async viewsSince(itemId: string, since: Date): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(itemViews).where(and(eq(itemViews.itemId, itemId), gte(itemViews.viewedAt, since)));
      return Number(row?.n ?? 0);
    },
    async embeddedPublished(): Promise<number> {
      return Number((await all<{ n: number }>(sql`SELECT count(*)::int AS n FROM kb.item_embeddings e JOIN kb.items i ON i.id = e.item_id WHERE i.deleted_at IS NULL AND i.status = 'published'`))[0]?.n ?? 0);
    },
    async embeddingCounts(vector: boolean) {
      const [c] = await all<{ items: number; passages: number }>(sql`SELECT (SELECT count(*) FROM kb.items WHERE deleted_at IS NULL)::int AS items, (SELECT count(*) FROM kb.item_passages p JOIN kb.items i ON i.id = p.item_id WHERE i.deleted_at IS NULL)::int AS passages`);
      let ie = 0;
      let pe = 0;
      if (vector) {
        const [e] = await all<{ ie: number; pe: number }>(sql`SELECT (SELECT count(*) FROM kb.item_embeddings)::int AS ie, (SELECT count(*) FROM kb.passage_embeddings)::int AS pe`);
        ie = Number(e?.ie ?? 0);
        pe = Number(e?.pe ?? 0);
      }
      return { items_total: Number(c?.items ?? 0), items_embedded: ie, passages_total: Number(c?.passages ?? 0), passages_embedded: pe };
    },
    async purgeLogs(before: Date): Promise<number> {
      const rows = rowsOf(await db.execute(sql`DELETE FROM kb.search_logs WHERE created_at < ${before.toISOString()}::timestamptz RETURNING id`));
      return rows.length;
    },
    /** R19 for every live item at once (the nightly job). */
    async recomputePopularity(now: Date): Promise<void> {
      const since = new Date(now.getTime() - 30 * 86_400_000).toISOString();
      await db.execute(sql`UPDATE kb.items i SET popularity = round((0.4 * least(1, coalesce(v.n, 0) / 200.0)
          + 0.4 * (i.helpful_count + 1)::float8 / (i.helpful_count + i.not_helpful_count + 2)
          + 0.2 / (1 + greatest(0, extract(epoch FROM (${now.toISOString()}::timestamptz - i.updated_at)) / 86400.0) / 30))::numeric, 4)::real
        FROM kb.items x LEFT JOIN (SELECT item_id, count(*) AS n FROM kb.item_views WHERE viewed_at >= ${since}::timestamptz GROUP BY item_id) v ON v.item_id = x.id
        WHERE x.id = i.id AND i.deleted_at IS NULL`);
    },
  };
}

export type AdminRepo = ReturnType<typeof createAdminRepo>;
