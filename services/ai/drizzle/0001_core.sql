CREATE TABLE "ai"."answer_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"helpful" boolean NOT NULL,
	"reason" text,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answer_feedback_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "ai"."conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"owner_role" text NOT NULL,
	"title" text NOT NULL,
	"title_is_custom" boolean DEFAULT false NOT NULL,
	"title_folded" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"message_count" integer DEFAULT 0 NOT NULL,
	"last_message_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai"."idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"state" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "ai"."messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"content_folded" text NOT NULL,
	"answer_mode" text,
	"fallback_reason" text,
	"citations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"retrieval" jsonb,
	"model" text,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"latency_ms" integer,
	"status" text DEFAULT 'complete' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai"."risk_alert_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"type" text NOT NULL,
	"actor_id" uuid,
	"note" text,
	"data" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai"."risk_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"apprentice_id" uuid NOT NULL,
	"apprentice_name" text,
	"group_id" uuid NOT NULL,
	"group_number" text,
	"assessment_id" uuid NOT NULL,
	"level" text NOT NULL,
	"score" integer NOT NULL,
	"status" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution_note" text,
	"dismissed_at" timestamp with time zone,
	"dismissed_by" uuid,
	"dismiss_reason" text,
	"snooze_until" timestamp with time zone,
	"last_escalated_at" timestamp with time zone,
	"overdue_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai"."risk_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid,
	"apprentice_id" uuid NOT NULL,
	"apprentice_name" text,
	"group_id" uuid NOT NULL,
	"group_number" text,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"status" text NOT NULL,
	"score" integer,
	"level" text,
	"confidence" text,
	"factors" jsonb NOT NULL,
	"inputs" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"settings_version" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "ai"."risk_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"group_id" uuid,
	"group_number" text,
	"trigger" text NOT NULL,
	"requested_by" uuid,
	"status" text NOT NULL,
	"window_start" date NOT NULL,
	"window_end" date NOT NULL,
	"counts" jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ai"."risk_settings" (
	"version" integer PRIMARY KEY NOT NULL,
	"values" jsonb NOT NULL,
	"level_cutoffs" jsonb NOT NULL,
	"alert_min_level" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai"."usage_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"conversation_started" boolean DEFAULT false NOT NULL,
	"answer_mode" text,
	"fallback_reason" text,
	"latency_ms" integer,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"passages_used" integer,
	"cited_item_ids" uuid[],
	"cited_item_titles" text[],
	"helpful" boolean,
	"reason" text,
	"question_excerpt" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ai"."answer_feedback" ADD CONSTRAINT "answer_feedback_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "ai"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai"."messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "ai"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai"."risk_alert_events" ADD CONSTRAINT "risk_alert_events_alert_id_risk_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "ai"."risk_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_owner_idx" ON "ai"."conversations" USING btree ("owner_id","status","last_message_at");--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "ai"."messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "risk_alert_events_alert_idx" ON "ai"."risk_alert_events" USING btree ("alert_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_alerts_open_uq" ON "ai"."risk_alerts" USING btree ("apprentice_id") WHERE status in ('active', 'acknowledged');--> statement-breakpoint
CREATE INDEX "risk_alerts_group_idx" ON "ai"."risk_alerts" USING btree ("group_id","status");--> statement-breakpoint
CREATE INDEX "risk_alerts_apprentice_idx" ON "ai"."risk_alerts" USING btree ("apprentice_id","updated_at");--> statement-breakpoint
CREATE INDEX "risk_assessments_apprentice_idx" ON "ai"."risk_assessments" USING btree ("apprentice_id","computed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "risk_assessments_group_idx" ON "ai"."risk_assessments" USING btree ("group_id","computed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "risk_runs_created_idx" ON "ai"."risk_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "risk_runs_group_idx" ON "ai"."risk_runs" USING btree ("group_id","created_at");--> statement-breakpoint
CREATE INDEX "usage_events_created_idx" ON "ai"."usage_events" USING btree ("created_at");