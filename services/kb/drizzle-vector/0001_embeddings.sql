-- R12: the embedding tables, applied by kb only after `CREATE EXTENSION IF NOT EXISTS vector` succeeded,
-- recorded in kb.vector_migrations (outside the drizzle-kit journal, which applies every entry or fails).
CREATE TABLE IF NOT EXISTS "kb"."item_embeddings" (
  "item_id" uuid PRIMARY KEY REFERENCES "kb"."items"("id") ON DELETE CASCADE,
  "model" text NOT NULL,
  "dimensions" integer NOT NULL,
  "embedding" vector(1536) NOT NULL,
  "content_hash" text NOT NULL,
  "embedded_at" timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS "kb"."passage_embeddings" (
  "passage_id" uuid PRIMARY KEY REFERENCES "kb"."item_passages"("id") ON DELETE CASCADE,
  "item_id" uuid NOT NULL,
  "model" text NOT NULL,
  "embedding" vector(1536) NOT NULL,
  "content_hash" text NOT NULL,
  "embedded_at" timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS "item_embeddings_hnsw" ON "kb"."item_embeddings" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX IF NOT EXISTS "passage_embeddings_hnsw" ON "kb"."passage_embeddings" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX IF NOT EXISTS "passage_embeddings_item_idx" ON "kb"."passage_embeddings" ("item_id");
