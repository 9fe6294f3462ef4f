CREATE TYPE "attendance"."alert_level" AS ENUM('LOW', 'MEDIUM', 'HIGH', 'CRITICAL');--> statement-breakpoint
CREATE TYPE "attendance"."alert_resolution" AS ENUM('AUTO_CLEARED', 'HANDLED', 'DISMISSED', 'STUDENT_INACTIVE');--> statement-breakpoint
CREATE TYPE "attendance"."alert_source" AS ENUM('AUTO', 'MANUAL');--> statement-breakpoint
CREATE TYPE "attendance"."alert_state" AS ENUM('OPEN', 'ACKNOWLEDGED', 'RESOLVED');--> statement-breakpoint
CREATE TYPE "attendance"."alert_type" AS ENUM('CONSECUTIVE_ABSENCES', 'LOW_ATTENDANCE', 'FREQUENT_LATENESS', 'CUSTOM');--> statement-breakpoint
CREATE TYPE "attendance"."change_source" AS ENUM('MANUAL', 'QR_SCAN', 'ROLL_CLOSE', 'JUSTIFICATION_APPROVED', 'CORRECTION', 'DELETE');--> statement-breakpoint
CREATE TYPE "attendance"."close_method" AS ENUM('MANUAL', 'AUTO');--> statement-breakpoint
CREATE TYPE "attendance"."justification_kind" AS ENUM('AFTER_ABSENCE', 'ADVANCE_NOTICE');--> statement-breakpoint
CREATE TYPE "attendance"."justification_status" AS ENUM('PENDING', 'APPROVED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "attendance"."justification_type" AS ENUM('MEDICAL', 'FAMILY', 'PERSONAL', 'WORK', 'INSTITUTIONAL', 'OTHER');--> statement-breakpoint
CREATE TYPE "attendance"."qr_outcome" AS ENUM('RECORDED', 'UPDATED', 'ALREADY_RECORDED');--> statement-breakpoint
CREATE TYPE "attendance"."qr_state" AS ENUM('ACTIVE', 'USED', 'SUPERSEDED');--> statement-breakpoint
CREATE TYPE "attendance"."record_method" AS ENUM('MANUAL', 'QR_SCAN', 'ROLL_CLOSE', 'JUSTIFICATION');--> statement-breakpoint
CREATE TYPE "attendance"."record_status" AS ENUM('PRESENT', 'LATE', 'ABSENT', 'JUSTIFIED', 'EXCUSED');--> statement-breakpoint
CREATE TYPE "attendance"."roll_status" AS ENUM('OPEN', 'CLOSED');--> statement-breakpoint
CREATE TABLE "attendance"."alert_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"alert_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"author_role" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"student_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"group_number" text NOT NULL,
	"type" "attendance"."alert_type" NOT NULL,
	"level" "attendance"."alert_level" NOT NULL,
	"state" "attendance"."alert_state" DEFAULT 'OPEN' NOT NULL,
	"source" "attendance"."alert_source" NOT NULL,
	"title" text NOT NULL,
	"message" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"level_history" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" uuid,
	"escalated_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolution" "attendance"."alert_resolution",
	"resolution_note" text,
	"student_seen_at" timestamp with time zone,
	"overdue_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."device_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"device_id" uuid NOT NULL,
	"first_student_id" uuid NOT NULL,
	"second_student_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."evidence_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"justification_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea",
	"purged_at" timestamp with time zone,
	"uploaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."justification_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"justification_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"subject" text NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"instructor_id" uuid NOT NULL,
	"record_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "attendance"."justifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"student_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"kind" "attendance"."justification_kind" NOT NULL,
	"type" "attendance"."justification_type" NOT NULL,
	"reason" text NOT NULL,
	"status" "attendance"."justification_status" DEFAULT 'PENDING' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"deadline_at" timestamp with time zone,
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"review_comment" text,
	"overdue_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."notices_sent" (
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notices_sent_kind_key_pk" PRIMARY KEY("kind","key")
);
--> statement-breakpoint
CREATE TABLE "attendance"."qr_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"student_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"device_id" uuid NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"state" "attendance"."qr_state" DEFAULT 'ACTIVE' NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid,
	"record_id" uuid,
	"used_outcome" "attendance"."qr_outcome",
	"ip_masked" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."record_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_role" text,
	"source" "attendance"."change_source" NOT NULL,
	"from_status" "attendance"."record_status",
	"to_status" "attendance"."record_status",
	"from_late_minutes" integer,
	"to_late_minutes" integer,
	"notes_changed" boolean DEFAULT false NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "attendance"."records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"roll_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"group_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"status" "attendance"."record_status" NOT NULL,
	"check_in_at" timestamp with time zone,
	"late_minutes" integer,
	"method" "attendance"."record_method" NOT NULL,
	"qr_code_id" uuid,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"justification_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	"delete_reason" text
);
--> statement-breakpoint
CREATE TABLE "attendance"."rolls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"group_id" uuid NOT NULL,
	"group_number" text NOT NULL,
	"program_id" uuid NOT NULL,
	"campus_id" uuid NOT NULL,
	"venue_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"start_at" timestamp with time zone NOT NULL,
	"end_at" timestamp with time zone NOT NULL,
	"instructor_id" uuid NOT NULL,
	"status" "attendance"."roll_status" DEFAULT 'OPEN' NOT NULL,
	"opened_by" uuid NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"first_mark_at" timestamp with time zone,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"close_method" "attendance"."close_method",
	"was_closed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attendance"."settings" (
	"id" integer PRIMARY KEY NOT NULL,
	"values" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attendance"."alert_notes" ADD CONSTRAINT "alert_notes_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "attendance"."alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."evidence_files" ADD CONSTRAINT "evidence_files_justification_id_justifications_id_fk" FOREIGN KEY ("justification_id") REFERENCES "attendance"."justifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."justification_items" ADD CONSTRAINT "justification_items_justification_id_justifications_id_fk" FOREIGN KEY ("justification_id") REFERENCES "attendance"."justifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."justification_items" ADD CONSTRAINT "justification_items_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "attendance"."records"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."record_changes" ADD CONSTRAINT "record_changes_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "attendance"."records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."records" ADD CONSTRAINT "records_roll_id_rolls_id_fk" FOREIGN KEY ("roll_id") REFERENCES "attendance"."rolls"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."records" ADD CONSTRAINT "records_qr_code_id_qr_codes_id_fk" FOREIGN KEY ("qr_code_id") REFERENCES "attendance"."qr_codes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance"."records" ADD CONSTRAINT "records_justification_id_justifications_id_fk" FOREIGN KEY ("justification_id") REFERENCES "attendance"."justifications"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_notes_alert_idx" ON "attendance"."alert_notes" USING btree ("alert_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_student_type_open_uq" ON "attendance"."alerts" USING btree ("student_id","type") WHERE "attendance"."alerts"."state" <> 'RESOLVED' AND "attendance"."alerts"."type" <> 'CUSTOM';--> statement-breakpoint
CREATE INDEX "alerts_group_state_idx" ON "attendance"."alerts" USING btree ("group_id","state");--> statement-breakpoint
CREATE INDEX "alerts_state_level_idx" ON "attendance"."alerts" USING btree ("state","level","created_at");--> statement-breakpoint
CREATE INDEX "device_conflicts_session_idx" ON "attendance"."device_conflicts" USING btree ("schedule_id","session_date");--> statement-breakpoint
CREATE INDEX "evidence_files_justification_idx" ON "attendance"."evidence_files" USING btree ("justification_id");--> statement-breakpoint
CREATE UNIQUE INDEX "justification_items_active_uq" ON "attendance"."justification_items" USING btree ("student_id","schedule_id","session_date") WHERE "attendance"."justification_items"."active";--> statement-breakpoint
CREATE INDEX "justification_items_justification_idx" ON "attendance"."justification_items" USING btree ("justification_id");--> statement-breakpoint
CREATE INDEX "justification_items_session_idx" ON "attendance"."justification_items" USING btree ("schedule_id","session_date");--> statement-breakpoint
CREATE INDEX "justification_items_record_idx" ON "attendance"."justification_items" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "justifications_student_idx" ON "attendance"."justifications" USING btree ("student_id","submitted_at");--> statement-breakpoint
CREATE INDEX "justifications_group_idx" ON "attendance"."justifications" USING btree ("group_id","submitted_at");--> statement-breakpoint
CREATE INDEX "justifications_status_idx" ON "attendance"."justifications" USING btree ("status","submitted_at");--> statement-breakpoint
CREATE INDEX "qr_codes_student_session_idx" ON "attendance"."qr_codes" USING btree ("student_id","schedule_id","session_date","issued_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "qr_codes_device_session_idx" ON "attendance"."qr_codes" USING btree ("device_id","schedule_id","session_date");--> statement-breakpoint
CREATE INDEX "qr_codes_issued_idx" ON "attendance"."qr_codes" USING btree ("issued_at");--> statement-breakpoint
CREATE INDEX "record_changes_record_idx" ON "attendance"."record_changes" USING btree ("record_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "records_student_session_live_uq" ON "attendance"."records" USING btree ("student_id","schedule_id","session_date") WHERE "attendance"."records"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "records_student_date_idx" ON "attendance"."records" USING btree ("student_id","session_date");--> statement-breakpoint
CREATE INDEX "records_group_date_idx" ON "attendance"."records" USING btree ("group_id","session_date");--> statement-breakpoint
CREATE INDEX "records_instructor_date_idx" ON "attendance"."records" USING btree ("instructor_id","session_date");--> statement-breakpoint
CREATE INDEX "records_roll_idx" ON "attendance"."records" USING btree ("roll_id");--> statement-breakpoint
CREATE INDEX "records_status_date_idx" ON "attendance"."records" USING btree ("status","session_date");--> statement-breakpoint
CREATE UNIQUE INDEX "rolls_session_uq" ON "attendance"."rolls" USING btree ("schedule_id","session_date");--> statement-breakpoint
CREATE INDEX "rolls_group_date_idx" ON "attendance"."rolls" USING btree ("group_id","session_date");--> statement-breakpoint
CREATE INDEX "rolls_instructor_date_idx" ON "attendance"."rolls" USING btree ("instructor_id","session_date");--> statement-breakpoint
CREATE INDEX "rolls_open_end_idx" ON "attendance"."rolls" USING btree ("end_at") WHERE "attendance"."rolls"."status" = 'OPEN' AND NOT "attendance"."rolls"."was_closed";