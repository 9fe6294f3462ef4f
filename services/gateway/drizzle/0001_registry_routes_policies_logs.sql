CREATE TABLE "gateway"."config_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"change_summary" text NOT NULL,
	"snapshot" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway"."openapi_cache" (
	"service" text PRIMARY KEY NOT NULL,
	"document" jsonb,
	"fetched_at" timestamp with time zone,
	"fetch_error" text
);
--> statement-breakpoint
CREATE TABLE "gateway"."rate_limit_policies" (
	"name" text PRIMARY KEY NOT NULL,
	"key_by" text NOT NULL,
	"limit" integer NOT NULL,
	"window_seconds" integer NOT NULL,
	"failure_mode" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"builtin" boolean DEFAULT false NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "gateway"."request_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"query_keys" text[] NOT NULL,
	"route_name" text,
	"service" text,
	"status" integer NOT NULL,
	"outcome" text NOT NULL,
	"error_code" text,
	"duration_ms" real NOT NULL,
	"upstream_ms" real,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"circuit_state" text,
	"user_id" uuid,
	"role" text,
	"ip_masked" text NOT NULL,
	"user_agent" text NOT NULL,
	"request_bytes" bigint,
	"response_bytes" bigint,
	"instance_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway"."routes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"methods" text[],
	"pattern" text NOT NULL,
	"match" text NOT NULL,
	"service" text NOT NULL,
	"access" text NOT NULL,
	"roles" text[],
	"rate_limit_policy" text,
	"attempt_timeout_ms" integer,
	"deadline_ms" integer,
	"max_retries" integer,
	"body_limit_bytes" integer,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "routes_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "gateway"."service_health_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"http_status" integer,
	"latency_ms" integer,
	"error_code" text,
	"circuit_state" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway"."services" (
	"name" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"base_url" text NOT NULL,
	"base_url_override" text,
	"health_path" text DEFAULT '/health/ready' NOT NULL,
	"docs_path" text DEFAULT '/docs/json' NOT NULL,
	"attempt_timeout_ms" integer NOT NULL,
	"deadline_ms" integer NOT NULL,
	"max_retries" integer NOT NULL,
	"critical" boolean NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"maintenance_message" text,
	"circuit_override" text,
	"status" text DEFAULT 'unknown' NOT NULL,
	"status_since" timestamp with time zone DEFAULT now() NOT NULL,
	"last_check_at" timestamp with time zone,
	"last_latency_ms" integer,
	"last_error_code" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "gateway"."routes" ADD CONSTRAINT "routes_service_services_name_fk" FOREIGN KEY ("service") REFERENCES "gateway"."services"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway"."routes" ADD CONSTRAINT "routes_rate_limit_policy_rate_limit_policies_name_fk" FOREIGN KEY ("rate_limit_policy") REFERENCES "gateway"."rate_limit_policies"("name") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_logs_occurred_idx" ON "gateway"."request_logs" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "request_logs_service_occurred_idx" ON "gateway"."request_logs" USING btree ("service","occurred_at");--> statement-breakpoint
CREATE INDEX "request_logs_user_occurred_idx" ON "gateway"."request_logs" USING btree ("user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "request_logs_status_occurred_idx" ON "gateway"."request_logs" USING btree ("status","occurred_at");--> statement-breakpoint
CREATE INDEX "request_logs_request_id_idx" ON "gateway"."request_logs" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "service_health_history_service_checked_idx" ON "gateway"."service_health_history" USING btree ("service","checked_at");