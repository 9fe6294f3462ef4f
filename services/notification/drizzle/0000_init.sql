CREATE SCHEMA IF NOT EXISTS "notification";
--> statement-breakpoint
CREATE TABLE "notification"."deliveries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"notification_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"priority" text NOT NULL,
	"destination" text,
	"recipient" jsonb NOT NULL,
	"template_version_id" uuid,
	"provider" text,
	"provider_message_id" text,
	"attempt_count" smallint DEFAULT 0 NOT NULL,
	"max_attempts" smallint NOT NULL,
	"redrive_count" smallint DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"lease_until" timestamp with time zone,
	"digest_id" uuid,
	"inbox_item_id" uuid,
	"last_error_code" text,
	"last_error_message" text,
	"queued_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"dead_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification"."delivery_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt_no" smallint NOT NULL,
	"provider" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"outcome" text NOT NULL,
	"error_code" text,
	"error_message" text,
	"http_status" integer,
	"provider_message_id" text,
	"failover_from" text,
	"device_results" jsonb,
	"warnings" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification"."device_tokens" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"token" text NOT NULL,
	"platform" text NOT NULL,
	"app_version" text,
	"device_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"disabled_reason" text
);
--> statement-breakpoint
CREATE TABLE "notification"."digests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"frequency" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"item_count" integer DEFAULT 0 NOT NULL,
	"delivery_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification"."inbox_items" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"notification_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"type" text NOT NULL,
	"category" text NOT NULL,
	"priority" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"action_url" text,
	"entity_type" text,
	"entity_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification"."notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"category" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"title" text,
	"message" text,
	"action_url" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sensitive_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_erased_at" timestamp with time zone,
	"channels" text[],
	"locale" text DEFAULT 'es-CO' NOT NULL,
	"targets" jsonb NOT NULL,
	"recipient_count" integer,
	"recipient_outcomes" jsonb DEFAULT '{"not_found":[],"not_found_count":0,"groups_not_found":[]}'::jsonb NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_by_role" text NOT NULL,
	"source" text NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"idempotency_key" text,
	"request_hash" text NOT NULL,
	"scheduled_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"fanout_attempts" smallint DEFAULT 0 NOT NULL,
	"fanout_cursor" text,
	"lease_until" timestamp with time zone,
	"request_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification"."outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"target" text NOT NULL,
	"method" text DEFAULT 'POST' NOT NULL,
	"path" text NOT NULL,
	"body" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"last_status" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "outbox_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "notification"."seed_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification"."template_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"subject" text,
	"body_text" text NOT NULL,
	"body_html" text,
	"change_note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification"."templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"channel" text NOT NULL,
	"locale" text DEFAULT 'es-CO' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_system" boolean DEFAULT false NOT NULL,
	"description" text,
	"current_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "notification"."user_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"locale" text DEFAULT 'es-CO' NOT NULL,
	"email_enabled" boolean DEFAULT true NOT NULL,
	"sms_enabled" boolean DEFAULT true NOT NULL,
	"push_enabled" boolean DEFAULT true NOT NULL,
	"category_overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"quiet_hours_enabled" boolean DEFAULT true NOT NULL,
	"quiet_start" text DEFAULT '21:00' NOT NULL,
	"quiet_end" text DEFAULT '06:00' NOT NULL,
	"digest" text DEFAULT 'daily' NOT NULL,
	"digest_hour" smallint DEFAULT 7 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification"."workers" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"breakers" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification"."deliveries" ADD CONSTRAINT "deliveries_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "notification"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification"."delivery_attempts" ADD CONSTRAINT "delivery_attempts_delivery_id_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "notification"."deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification"."template_versions" ADD CONSTRAINT "template_versions_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "notification"."templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_recipient_uq" ON "notification"."deliveries" USING btree ("notification_id","user_id","channel");--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "notification"."deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "deliveries_lease_idx" ON "notification"."deliveries" USING btree ("status","lease_until");--> statement-breakpoint
CREATE INDEX "deliveries_throttle_idx" ON "notification"."deliveries" USING btree ("user_id","channel","sent_at");--> statement-breakpoint
CREATE INDEX "deliveries_dead_idx" ON "notification"."deliveries" USING btree ("status","dead_at");--> statement-breakpoint
CREATE INDEX "deliveries_created_idx" ON "notification"."deliveries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "deliveries_provider_msg_idx" ON "notification"."deliveries" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "delivery_attempts_delivery_idx" ON "notification"."delivery_attempts" USING btree ("delivery_id","attempt_no");--> statement-breakpoint
CREATE UNIQUE INDEX "device_tokens_token_uq" ON "notification"."device_tokens" USING btree ("token");--> statement-breakpoint
CREATE INDEX "device_tokens_user_idx" ON "notification"."device_tokens" USING btree ("user_id","disabled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "digests_open_uq" ON "notification"."digests" USING btree ("user_id") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "digests_due_idx" ON "notification"."digests" USING btree ("status","scheduled_for");--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_items_delivery_uq" ON "notification"."inbox_items" USING btree ("delivery_id");--> statement-breakpoint
CREATE INDEX "inbox_items_user_idx" ON "notification"."inbox_items" USING btree ("user_id","archived_at","read_at","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_idempotency_uq" ON "notification"."notifications" USING btree ("requested_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "notifications_status_idx" ON "notification"."notifications" USING btree ("status","lease_until");--> statement-breakpoint
CREATE INDEX "notifications_requested_by_idx" ON "notification"."notifications" USING btree ("requested_by","created_at");--> statement-breakpoint
CREATE INDEX "notifications_created_idx" ON "notification"."notifications" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "notification"."outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "template_versions_uq" ON "notification"."template_versions" USING btree ("template_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "templates_key_uq" ON "notification"."templates" USING btree ("type","channel","locale");