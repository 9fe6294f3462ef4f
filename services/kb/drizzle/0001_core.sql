CREATE TABLE "kb"."categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"name_folded" text NOT NULL,
	"description" text,
	"parent_id" uuid,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "kb"."feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"helpful" boolean NOT NULL,
	"rating" integer,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."item_passages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"ordinal" integer NOT NULL,
	"heading" text,
	"text" text NOT NULL,
	"content_hash" text NOT NULL,
	"search_vector" "tsvector" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."item_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"actor_id" uuid,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."item_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"version_number" integer NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text,
	"content" text NOT NULL,
	"source_reference" text,
	"category_id" uuid NOT NULL,
	"tags" text[] NOT NULL,
	"audience" text[] NOT NULL,
	"changed_by" uuid,
	"change_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."item_views" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"viewed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"title_folded" text NOT NULL,
	"summary" text,
	"content" text NOT NULL,
	"source_reference" text,
	"category_id" uuid NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"audience" text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"author_id" uuid,
	"author_name" text,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"archived_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"pinned_related_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"origin" text DEFAULT 'manual' NOT NULL,
	"source_import_id" uuid,
	"view_count" integer DEFAULT 0 NOT NULL,
	"helpful_count" integer DEFAULT 0 NOT NULL,
	"not_helpful_count" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"popularity" real DEFAULT 0 NOT NULL,
	"search_vector" "tsvector" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "items_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "kb"."pdf_import_files" (
	"import_id" uuid PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."pdf_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"pages" integer,
	"status" text DEFAULT 'queued' NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_code" text,
	"error_message" text,
	"created_item_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kb"."search_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"query_text" text NOT NULL,
	"normalized_query" text NOT NULL,
	"user_id" uuid,
	"role" text NOT NULL,
	"mode_requested" text NOT NULL,
	"mode_used" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results_count" integer NOT NULL,
	"top_item_id" uuid,
	"latency_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."search_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"semantic_weight" real DEFAULT 0.7 NOT NULL,
	"semantic_threshold" real DEFAULT 0.7 NOT NULL,
	"related_threshold" real DEFAULT 0.6 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb"."synonym_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"terms" text[] NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb"."feedback" ADD CONSTRAINT "feedback_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "kb"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb"."item_passages" ADD CONSTRAINT "item_passages_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "kb"."items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb"."item_status_changes" ADD CONSTRAINT "item_status_changes_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "kb"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb"."item_versions" ADD CONSTRAINT "item_versions_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "kb"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb"."item_views" ADD CONSTRAINT "item_views_item_id_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "kb"."items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb"."items" ADD CONSTRAINT "items_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "kb"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb"."pdf_import_files" ADD CONSTRAINT "pdf_import_files_import_id_pdf_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "kb"."pdf_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "categories_parent_idx" ON "kb"."categories" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_item_user_uq" ON "kb"."feedback" USING btree ("item_id","user_id");--> statement-breakpoint
CREATE INDEX "item_passages_item_idx" ON "kb"."item_passages" USING btree ("item_id","ordinal");--> statement-breakpoint
CREATE INDEX "item_passages_search_idx" ON "kb"."item_passages" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "item_status_changes_item_idx" ON "kb"."item_status_changes" USING btree ("item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "item_versions_item_number_uq" ON "kb"."item_versions" USING btree ("item_id","version_number");--> statement-breakpoint
CREATE INDEX "item_views_item_user_idx" ON "kb"."item_views" USING btree ("item_id","user_id","viewed_at");--> statement-breakpoint
CREATE INDEX "item_views_viewed_idx" ON "kb"."item_views" USING btree ("viewed_at");--> statement-breakpoint
CREATE INDEX "items_status_kind_idx" ON "kb"."items" USING btree ("status","kind");--> statement-breakpoint
CREATE INDEX "items_category_status_idx" ON "kb"."items" USING btree ("category_id","status");--> statement-breakpoint
CREATE INDEX "items_tags_idx" ON "kb"."items" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "items_audience_idx" ON "kb"."items" USING gin ("audience");--> statement-breakpoint
CREATE INDEX "items_search_idx" ON "kb"."items" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "pdf_imports_sha_idx" ON "kb"."pdf_imports" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "pdf_imports_status_idx" ON "kb"."pdf_imports" USING btree ("status");--> statement-breakpoint
CREATE INDEX "search_logs_created_idx" ON "kb"."search_logs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "search_logs_normalized_idx" ON "kb"."search_logs" USING btree ("normalized_query");