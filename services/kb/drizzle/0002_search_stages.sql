-- Search in two stages (issue 15). The full vector (positions, for ts_rank_cd) leaves the row, uncompressed
-- (EXTERNAL); the stripped vector that `@@` needs and the title/summary/tags part (weights A and B) that
-- picks the candidates stay in it (MAIN), each with its GIN index. A search reads the full vector of the
-- candidates it ranks only; `updated_at` gets an index for the vocabulary's content stamp.
ALTER TABLE "kb"."items" ALTER COLUMN "search_vector" SET STORAGE EXTERNAL;--> statement-breakpoint
DROP INDEX "kb"."items_search_idx";--> statement-breakpoint
ALTER TABLE "kb"."items" ADD COLUMN "match_vector" "tsvector" GENERATED ALWAYS AS (strip(search_vector)) STORED;--> statement-breakpoint
ALTER TABLE "kb"."items" ADD COLUMN "head_vector" "tsvector" GENERATED ALWAYS AS (ts_filter(search_vector, '{a,b}')) STORED;--> statement-breakpoint
ALTER TABLE "kb"."items" ALTER COLUMN "match_vector" SET STORAGE MAIN;--> statement-breakpoint
ALTER TABLE "kb"."items" ALTER COLUMN "head_vector" SET STORAGE MAIN;--> statement-breakpoint
CREATE INDEX "items_match_idx" ON "kb"."items" USING gin ("match_vector");--> statement-breakpoint
CREATE INDEX "items_head_idx" ON "kb"."items" USING gin ("head_vector");--> statement-breakpoint
CREATE INDEX "items_updated_idx" ON "kb"."items" USING btree ("updated_at");
