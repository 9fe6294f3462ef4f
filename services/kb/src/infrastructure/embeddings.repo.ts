/**
 * pgvector rows (R12, R15, R16): what is missing or stale, the rows written after a provider call, and
 * the neighbour queries (in a short read transaction with `SET LOCAL hnsw.ef_search = 400`, since
 * pgvector's default 40 would cap the rows V1 filters after the index scan).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { publishedFor, type Viewer } from './visibility.ts';
import { filters, type SearchFilter } from './search.repo.ts';
import { pgArray, rowsOf } from './rows.ts';

export const DIMENSIONS = 1536;
export const vectorLiteral = (v: number[]) => `[${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;
const ITEM_INPUT = sql`left(i.title || E'\\n' || coalesce(i.summary, '') || E'\\n' || i.content, 8000)`;

export interface EmbedInput {
  id: string;
  text: string;
  hash: string;
}

export function createEmbeddingsRepo(db: Db) {
  return {
    /** Items (with their passages) whose vectors are absent, of another model, or stale. */
    async missingItems(model: string, all: boolean, limit: number): Promise<string[]> {
      const stale = all ? sql`true` : sql`(e.item_id IS NULL OR e.model <> ${model} OR e.content_hash <> encode(sha256(convert_to(${ITEM_INPUT}, 'UTF8')), 'hex'))`;
      return rowsOf<{ id: string }>(await db.execute(sql`SELECT i.id FROM kb.items i LEFT JOIN kb.item_embeddings e ON e.item_id = i.id WHERE i.deleted_at IS NULL AND ${stale} ORDER BY i.updated_at DESC LIMIT ${limit}`)).map((r) => r.id);
    },
    async inputs(itemId: string): Promise<{ item: EmbedInput; passages: EmbedInput[] } | undefined> {
      const [item] = rowsOf<{ id: string; text: string; hash: string }>(
        await db.execute(sql`SELECT i.id, ${ITEM_INPUT} AS text, encode(sha256(convert_to(${ITEM_INPUT}, 'UTF8')), 'hex') AS hash FROM kb.items i WHERE i.id = ${itemId}::uuid AND i.deleted_at IS NULL`),
      );
      if (!item) return undefined;
      const passages = rowsOf<EmbedInput>(
        await db.execute(sql`SELECT p.id, left(i.title || ' — ' || coalesce(p.heading, '') || E'\\n' || p.text, 8000) AS text, p.content_hash AS hash FROM kb.item_passages p JOIN kb.items i ON i.id = p.item_id WHERE p.item_id = ${itemId}::uuid ORDER BY p.ordinal`),
      );
      return { item, passages };
    },
    async write(itemId: string, model: string, dimensions: number, item: { vector: number[]; hash: string }, passages: Array<{ id: string; vector: number[]; hash: string }>, at: Date): Promise<void> {
      await db.execute(sql`INSERT INTO kb.item_embeddings (item_id, model, dimensions, embedding, content_hash, embedded_at) VALUES (${itemId}::uuid, ${model}, ${dimensions}, ${vectorLiteral(item.vector)}::vector, ${item.hash}, ${at.toISOString()}::timestamptz)
        ON CONFLICT (item_id) DO UPDATE SET model = EXCLUDED.model, dimensions = EXCLUDED.dimensions, embedding = EXCLUDED.embedding, content_hash = EXCLUDED.content_hash, embedded_at = EXCLUDED.embedded_at`);
      await db.execute(sql`DELETE FROM kb.passage_embeddings WHERE item_id = ${itemId}::uuid`);
      for (const p of passages) {
        await db.execute(sql`INSERT INTO kb.passage_embeddings (passage_id, item_id, model, embedding, content_hash, embedded_at) SELECT ${p.id}::uuid, ${itemId}::uuid, ${model}, ${vectorLiteral(p.vector)}::vector, ${p.hash}, ${at.toISOString()}::timestamptz WHERE EXISTS (SELECT 1 FROM kb.item_passages WHERE id = ${p.id}::uuid) ON CONFLICT (passage_id) DO NOTHING`);
      }
    },
    /** Semantic neighbours among published items the viewer may read, with S = 1 − cosine distance. */
    async neighbours(viewer: Viewer, q: number[], model: string, f: SearchFilter, limit: number, threshold: number, editorStatuses?: string[]): Promise<Array<{ id: string; s: number }>> {
      const vis = editorStatuses ? sql`(i.deleted_at IS NULL AND i.status = ANY(${pgArray(editorStatuses)}::text[]))` : publishedFor(viewer);
      const where: SQL[] = [vis, ...filters(f)];
      return db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL hnsw.ef_search = 400`);
        const rows = rowsOf<{ id: string; s: number }>(
          await tx.execute(sql`SELECT i.id, greatest(0, 1 - (e.embedding <=> ${vectorLiteral(q)}::vector))::float8 AS s FROM kb.item_embeddings e JOIN kb.items i ON i.id = e.item_id
            WHERE e.model = ${model} AND ${sql.join(where, sql` AND `)} ORDER BY e.embedding <=> ${vectorLiteral(q)}::vector LIMIT ${limit}`),
        );
        return rows.map((r) => ({ id: r.id, s: Number(r.s) })).filter((r) => r.s >= threshold);
      });
    },
    /** S for given items (candidates from full-text); absent = no current embedding. */
    async similarities(ids: string[], q: number[], model: string): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows = rowsOf<{ id: string; s: number }>(
        await db.execute(sql`SELECT e.item_id AS id, greatest(0, 1 - (e.embedding <=> ${vectorLiteral(q)}::vector))::float8 AS s FROM kb.item_embeddings e WHERE e.model = ${model} AND e.item_id = ANY(${pgArray(ids)}::uuid[])`),
      );
      return new Map(rows.map((r) => [r.id, Number(r.s)]));
    },
    /** Passage neighbours among published items the viewer may read (the assistant's passages). */
    async passageNeighbours(viewer: Viewer, q: number[], model: string, f: SearchFilter, limit: number, threshold: number): Promise<Array<{ id: string; s: number }>> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL hnsw.ef_search = 400`);
        const rows = rowsOf<{ id: string; s: number }>(
          await tx.execute(sql`SELECT e.passage_id AS id, greatest(0, 1 - (e.embedding <=> ${vectorLiteral(q)}::vector))::float8 AS s FROM kb.passage_embeddings e JOIN kb.items i ON i.id = e.item_id
            WHERE e.model = ${model} AND ${sql.join([publishedFor(viewer), ...filters(f)], sql` AND `)} ORDER BY e.embedding <=> ${vectorLiteral(q)}::vector LIMIT ${limit}`),
        );
        return rows.map((r) => ({ id: r.id, s: Number(r.s) })).filter((r) => r.s >= threshold);
      });
    },
    async passageSimilarities(ids: string[], q: number[], model: string): Promise<Map<string, number>> {
      if (ids.length === 0) return new Map();
      const rows = rowsOf<{ id: string; s: number }>(
        await db.execute(sql`SELECT e.passage_id AS id, greatest(0, 1 - (e.embedding <=> ${vectorLiteral(q)}::vector))::float8 AS s FROM kb.passage_embeddings e WHERE e.model = ${model} AND e.passage_id = ANY(${pgArray(ids)}::uuid[])`),
      );
      return new Map(rows.map((r) => [r.id, Number(r.s)]));
    },
    /** R17 second tier: published neighbours of an item's own vector. */
    async relatedTo(viewer: Viewer, itemId: string, model: string, exclude: string[], limit: number, threshold: number): Promise<Array<{ id: string; s: number }>> {
      return db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL hnsw.ef_search = 400`);
        const rows = rowsOf<{ id: string; s: number }>(
          await tx.execute(sql`WITH me AS (SELECT embedding FROM kb.item_embeddings WHERE item_id = ${itemId}::uuid AND model = ${model})
            SELECT i.id, greatest(0, 1 - (e.embedding <=> me.embedding))::float8 AS s FROM me, kb.item_embeddings e JOIN kb.items i ON i.id = e.item_id
            WHERE e.model = ${model} AND ${publishedFor(viewer)} AND i.id <> ALL(${pgArray([itemId, ...exclude])}::uuid[]) ORDER BY e.embedding <=> me.embedding LIMIT ${limit * 4}`),
        );
        return rows.map((r) => ({ id: r.id, s: Number(r.s) })).filter((r) => r.s >= threshold).slice(0, limit);
      });
    },
    async itemVector(itemId: string, model: string): Promise<number[] | undefined> {
      const [row] = rowsOf<{ v: string }>(await db.execute(sql`SELECT embedding::text AS v FROM kb.item_embeddings WHERE item_id = ${itemId}::uuid AND model = ${model}`));
      return row ? (JSON.parse(row.v) as number[]) : undefined;
    },
  };
}

export type EmbeddingsRepo = ReturnType<typeof createEmbeddingsRepo>;
