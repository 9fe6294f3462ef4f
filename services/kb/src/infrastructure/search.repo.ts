/**
 * Full-text search (R10, R11), passages, suggestions, synonyms, settings and the search log (R21). Queries
 * arrive as tsquery text over already-stemmed lexemes (built by application/search.query.ts), so they are
 * parsed with the `simple` configuration; V1 is applied before ranking (V3).
 */
import { asc, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import type { Kind } from '../domain/items.ts';
import { categoryTree, publishedFor, visibleTo, type Viewer } from './visibility.ts';
import { pgArray, rowsOf, textArray, toDate } from './rows.ts';
import { searchLogs, searchSettings, synonymGroups } from './db/schema.ts';

export const FULLTEXT_CAP = 500;

export interface SearchFilter {
  kinds?: string[];
  categoryId?: string;
  tags?: string[];
  statuses?: string[];
}

export interface TextQuery {
  /** The match query: AND of the term groups (or OR when relaxed). */
  match: string;
  /** OR of every lexeme, for the rank r (R11). */
  any: string;
  /** One tsquery per term group, for the coverage c (R11). */
  groups: string[];
  /** R10: only stop words: folded title contains the folded query. */
  titleContains?: string;
}

const tsq = (text: string) => sql`to_tsquery('simple', ${text})`;

function coverage(groups: string[], vector: SQL): SQL {
  if (groups.length === 0) return sql`0::float8`;
  return sql`((${sql.join(groups.map((g) => sql`(${vector} @@ ${tsq(g)})::int`), sql` + `)})::float8 / ${groups.length})`;
}

export function filters(f: SearchFilter): SQL[] {
  const where: SQL[] = [];
  if (f.kinds?.length) where.push(sql`i.kind = ANY(${pgArray(f.kinds)}::text[])`);
  if (f.categoryId) where.push(sql`i.category_id IN ${categoryTree(f.categoryId)}`);
  if (f.tags?.length) where.push(sql`i.tags @> ${pgArray(f.tags)}::text[]`);
  return where;
}

export interface ScoredId {
  id: string;
  score: number;
  text: number;
}

const rankCd = (vector: SQL, query: string) => sql`ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', ${vector}, ${tsq(query)})`;

/**
 * The full-text candidates of a search with their T (R11), as the CTE `s` (id, popularity, updated_at,
 * score), in two stages so that the cost follows the candidates, not the matches (issue 15):
 * 1. `c`: at most FULLTEXT_CAP visible matches (`@@` on the stripped vector): `c1`, those whose title,
 *    summary or tags hold a query term, the best by that part of r (ts_rank_cd over `head_vector`, weights
 *    A and B, through its own small GIN index); then, only for what c1 left of the cap, those matched in
 *    the text alone, by popularity, updated_at, id. With ≤ FULLTEXT_CAP matches
 *    these are all the matches, as R16 has them; beyond it, the cap keeps those whose title, summary or
 *    tags carry the query instead of computing r over the whole text of every match.
 * 2. `s`: T = 0.5·c + 0.5·r/(r + 1) over the full vector, read (out of line) for the candidates only.
 * A query of stop words only (R10) matches the folded title and scores 0.10.
 */
function ranked(where: SQL[], q: TextQuery): SQL {
  if (q.titleContains !== undefined) {
    return sql`c AS (SELECT i.id, i.popularity, i.updated_at FROM kb.items i WHERE ${sql.join([...where, sql`strpos(i.title_folded, ${q.titleContains}) > 0`], sql` AND `)}
        ORDER BY i.popularity DESC, i.updated_at DESC, i.id LIMIT ${FULLTEXT_CAP}),
      s AS (SELECT id, popularity, updated_at, 0.10::float8 AS score FROM c)`;
  }
  const any = q.any || q.match;
  const matched = [...where, sql`i.match_vector @@ ${tsq(q.match)}`];
  // c2's LIMIT is what c1 left of the cap: 0 (nothing read) when the title/summary/tags matches fill it.
  return sql`c1 AS (SELECT i.id FROM kb.items i WHERE ${sql.join([...matched, sql`i.head_vector @@ ${tsq(any)}`], sql` AND `)}
        ORDER BY ${rankCd(sql`i.head_vector`, any)} DESC, i.popularity DESC, i.updated_at DESC, i.id LIMIT ${FULLTEXT_CAP}),
      c AS (SELECT id FROM c1 UNION ALL (SELECT i.id FROM kb.items i WHERE ${sql.join([...matched, sql`NOT (i.head_vector @@ ${tsq(any)})`], sql` AND `)}
        ORDER BY i.popularity DESC, i.updated_at DESC, i.id LIMIT (SELECT ${FULLTEXT_CAP} - count(*) FROM c1))),
      s AS (SELECT i.id, i.popularity, i.updated_at, (0.5 * ${coverage(q.groups, sql`i.match_vector`)} + 0.5 * x.r / (x.r + 1))::float8 AS score
        FROM c JOIN kb.items i ON i.id = c.id CROSS JOIN LATERAL (SELECT ${rankCd(sql`i.search_vector`, any)} AS r OFFSET 0) x)`;
}

export function createSearchRepo(db: Db) {
  return {
    /** Each word's Spanish lexemes (stop words give none). */
    async lexemes(words: string[]): Promise<Map<string, string[]>> {
      if (words.length === 0) return new Map();
      const rows = rowsOf<{ w: string; lex: unknown }>(
        await db.execute(sql`SELECT w, coalesce((SELECT array_agg(lexeme ORDER BY lexeme) FROM unnest(to_tsvector('spanish', w))), '{}') AS lex FROM unnest(${pgArray(words)}::text[]) AS w`),
      );
      return new Map(rows.map((r) => [r.w, textArray(r.lex)]));
    },

    /** Folded words of published content, with document frequency, for typo correction. */
    async vocabulary(): Promise<Map<string, number>> {
      const rows = rowsOf<{ word: string; ndoc: number }>(
        await db.execute(sql`SELECT word, ndoc FROM ts_stat('SELECT to_tsvector(''simple'', title_folded || '' '' || coalesce(summary, '''') || '' '' || content) FROM kb.items WHERE deleted_at IS NULL AND status = ''published''')`),
      );
      return new Map(rows.map((r) => [r.word, Number(r.ndoc)]));
    },

    /** Ids scored T (R11), best first, among at most FULLTEXT_CAP candidates (`ranked` above). */
    async fulltext(viewer: Viewer, q: TextQuery, f: SearchFilter, o: { editorStatuses?: string[]; sort: 'score' | 'updated_at' | 'popularity'; limit: number; offset: number }): Promise<{ rows: ScoredId[]; total: number }> {
      const vis = o.editorStatuses ? sql`(i.deleted_at IS NULL AND i.status = ANY(${pgArray(o.editorStatuses)}::text[]))` : publishedFor(viewer);
      const order = o.sort === 'score' ? sql`score DESC, popularity DESC, updated_at DESC, id` : o.sort === 'updated_at' ? sql`updated_at DESC, id` : sql`popularity DESC, score DESC, id`;
      const rows = rowsOf<{ id: string; score: number; total: number }>(
        await db.execute(sql`WITH ${ranked([vis, ...filters(f)], q)}
          SELECT id, score, count(*) over ()::int AS total FROM s ORDER BY ${order} LIMIT ${o.limit} OFFSET ${o.offset}`),
      );
      const total = rows[0] ? Number(rows[0].total) : o.offset > 0 ? (await this.fulltext(viewer, q, f, { ...o, limit: 1, offset: 0 })).total : 0;
      return { rows: rows.map((r) => ({ id: r.id, score: Number(r.score), text: Number(r.score) })), total };
    },

    /** Hybrid candidates (R16): the full-text candidates (`ranked` above) with their T. */
    async textCandidates(viewer: Viewer, q: TextQuery, f: SearchFilter, editorStatuses?: string[]): Promise<Array<{ id: string; t: number }>> {
      const vis = editorStatuses ? sql`(i.deleted_at IS NULL AND i.status = ANY(${pgArray(editorStatuses)}::text[]))` : publishedFor(viewer);
      const rows = rowsOf<{ id: string; t: number }>(await db.execute(sql`WITH ${ranked([vis, ...filters(f)], q)} SELECT id, score AS t FROM s`));
      return rows.map((r) => ({ id: r.id, t: Number(r.t) }));
    },

    /** T for items found by meaning only (no full-text match required). */
    async textScores(ids: string[], q: TextQuery): Promise<Map<string, number>> {
      if (ids.length === 0 || !(q.any || q.match)) return new Map();
      const rows = rowsOf<{ id: string; t: number }>(
        await db.execute(sql`SELECT i.id, (0.5 * ${coverage(q.groups, sql`i.match_vector`)} + 0.5 * x.r / (x.r + 1))::float8 AS t
          FROM kb.items i CROSS JOIN LATERAL (SELECT ${rankCd(sql`i.search_vector`, q.any || q.match)} AS r OFFSET 0) x WHERE i.id = ANY(${pgArray(ids)}::uuid[])`),
      );
      return new Map(rows.map((r) => [r.id, Number(r.t)]));
    },

    /** B2: `<mark>` snippets over the original content of the page's items. */
    async highlights(ids: string[], query: string): Promise<Map<string, string>> {
      if (ids.length === 0 || !query) return new Map();
      const rows = rowsOf<{ id: string; h: string }>(
        await db.execute(sql`SELECT i.id, ts_headline('spanish', i.content, ${tsq(query)}, 'StartSel=<mark>, StopSel=</mark>, MinWords=15, MaxWords=35, MaxFragments=2') AS h FROM kb.items i WHERE i.id = ANY(${pgArray(ids)}::uuid[])`),
      );
      return new Map(rows.map((r) => [r.id, r.h]));
    },

    /** /search/passages: OR semantics, published items the role may read, ≤ max_per_item each. */
    async passages(viewer: Viewer, q: TextQuery, f: SearchFilter, o: { limit: number; maxPerItem: number }) {
      const where = [publishedFor(viewer), ...filters(f), sql`p.search_vector @@ ${tsq(q.any || q.match)}`];
      return rowsOf<{ passage_id: string; item_id: string; heading: string | null; text: string; score: number; excerpt: string }>(
        await db.execute(sql`WITH m AS (
            SELECT p.id AS passage_id, p.item_id, p.heading, p.text, p.ordinal, i.popularity,
              0.5 * ${coverage(q.groups, sql`p.search_vector`)} + 0.5 * ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search_vector, ${tsq(q.any || q.match)}) / (1 + ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search_vector, ${tsq(q.any || q.match)})) AS score
            FROM kb.item_passages p JOIN kb.items i ON i.id = p.item_id WHERE ${sql.join(where, sql` AND `)}),
          ranked AS (SELECT m.*, row_number() OVER (PARTITION BY item_id ORDER BY score DESC, ordinal) AS n FROM m),
          top AS (SELECT * FROM ranked WHERE n <= ${o.maxPerItem} ORDER BY score DESC, popularity DESC, passage_id LIMIT ${o.limit})
          SELECT passage_id, item_id, heading, text, score::float8 AS score,
            ts_headline('spanish', text, ${tsq(q.any || q.match)}, 'StartSel="", StopSel="", MinWords=25, MaxWords=60, MaxFragments=2, FragmentDelimiter=" … "') AS excerpt
          FROM top ORDER BY score DESC, popularity DESC, passage_id`),
      );
    },

    /** Passages found by meaning only: their T (OR query) and excerpt. */
    async passagesByIds(ids: string[], q: TextQuery) {
      if (ids.length === 0) return [];
      const any = q.any || q.match || "''";
      return rowsOf<{ passage_id: string; item_id: string; heading: string | null; text: string; score: number; excerpt: string }>(
        await db.execute(sql`SELECT p.id AS passage_id, p.item_id, p.heading, p.text,
            (0.5 * ${coverage(q.groups, sql`p.search_vector`)} + 0.5 * ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search_vector, ${tsq(any)}) / (1 + ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', p.search_vector, ${tsq(any)})))::float8 AS score,
            ts_headline('spanish', p.text, ${tsq(any)}, 'StartSel="", StopSel="", MinWords=25, MaxWords=60, MaxFragments=2, FragmentDelimiter=" … "') AS excerpt
          FROM kb.item_passages p WHERE p.id = ANY(${pgArray(ids)}::uuid[])`),
      );
    },

    /** R18 suggestions: title starts with (first) or contains the folded q, by popularity. */
    async suggestItems(viewer: Viewer, folded: string, limit: number) {
      return rowsOf<{ id: string; slug: string; title: string; kind: Kind }>(
        await db.execute(sql`SELECT i.id, i.slug, i.title, i.kind FROM kb.items i WHERE ${publishedFor(viewer)} AND strpos(i.title_folded, ${folded}) > 0
          ORDER BY starts_with(i.title_folded, ${folded}) DESC, i.popularity DESC, i.title_folded LIMIT ${limit}`),
      );
    },

    async suggestQueries(role: string, folded: string, since: Date, limit: number): Promise<string[]> {
      const rows = rowsOf<{ q: string }>(
        await db.execute(sql`SELECT normalized_query AS q FROM kb.search_logs WHERE role = ${role} AND created_at >= ${since.toISOString()}::timestamptz AND results_count > 0 AND strpos(normalized_query, ${folded}) > 0
          GROUP BY normalized_query HAVING count(*) >= 3 ORDER BY count(*) DESC, normalized_query LIMIT ${limit}`),
      );
      return rows.map((r) => r.q);
    },

    /**
     * R21's row, committed without waiting for the WAL flush (issue 15: the flush was the log's whole cost):
     * a crash may lose the last fraction of a second of search logs, never anything else, and nothing
     * becomes inconsistent.
     */
    async log(row: typeof searchLogs.$inferInsert): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL synchronous_commit = off`);
        await tx.insert(searchLogs).values(row);
      });
    },

    async synonyms(): Promise<Array<{ id: string; terms: string[] }>> {
      const rows = await db.select({ id: synonymGroups.id, terms: synonymGroups.terms }).from(synonymGroups).orderBy(asc(synonymGroups.updatedAt), asc(synonymGroups.id));
      return rows;
    },

    async replaceSynonyms(groups: string[][], by: string | null, at: Date): Promise<void> {
      await db.delete(synonymGroups);
      if (groups.length) await db.insert(synonymGroups).values(groups.map((terms) => ({ terms, updatedBy: by, updatedAt: at })));
    },

    async settings() {
      const [row] = await db.select().from(searchSettings);
      return row;
    },

    /** §3.3: the single settings row with its defaults, written once. */
    async ensureSettings(at: Date) {
      await db.insert(searchSettings).values({ id: 1, updatedAt: at }).onConflictDoNothing();
    },

    async saveSettings(values: Omit<typeof searchSettings.$inferInsert, 'id'>) {
      const [row] = await db.insert(searchSettings).values({ id: 1, ...values }).onConflictDoUpdate({ target: searchSettings.id, set: values }).returning();
      return row!;
    },

    /** R17 third tier: same category (0.6) + tag Jaccard (0.4), visible published items only. */
    async relatedByCategoryTags(viewer: Viewer, item: { id: string; categoryId: string; tags: string[] }, exclude: string[], limit: number) {
      const tags = item.tags;
      return rowsOf<{ id: string; score: number }>(
        await db.execute(sql`SELECT i.id, s.score::float8 AS score FROM kb.items i,
            LATERAL (SELECT (0.6 * (i.category_id = ${item.categoryId}::uuid)::int
              + 0.4 * CASE WHEN cardinality(${pgArray(tags)}::text[]) + cardinality(i.tags) = 0 THEN 0
                ELSE (SELECT count(*) FROM unnest(i.tags) t WHERE t = ANY(${pgArray(tags)}::text[]))::float8
                     / (SELECT count(*) FROM (SELECT unnest(i.tags) UNION SELECT unnest(${pgArray(tags)}::text[])) u) END) AS score) s
          WHERE ${publishedFor(viewer)} AND i.id <> ALL(${pgArray([item.id, ...exclude])}::uuid[]) AND s.score > 0
          ORDER BY s.score DESC, i.popularity DESC, i.id LIMIT ${limit}`),
      ).map((r) => ({ id: r.id, score: Number(r.score) }));
    },

    stamp: () => contentStamp(db),
    visibleTo,
  };
}

export const logTime = toDate;
export type SearchRepo = ReturnType<typeof createSearchRepo>;

/** Changes when any item is written: the vocabulary cache's key. */
export async function contentStamp(db: Db): Promise<string> {
  const [row] = rowsOf<{ s: string }>(await db.execute(sql`SELECT (SELECT count(*) FROM kb.items)::text || ':' || coalesce((SELECT max(updated_at) FROM kb.items)::text, '') AS s`));
  return row?.s ?? '';
}
