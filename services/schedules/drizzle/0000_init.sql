CREATE SCHEMA IF NOT EXISTS "schedules";
--> statement-breakpoint
CREATE TABLE "schedules"."campuses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"city" text DEFAULT 'Bogotá D.C.' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"search_text" text NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campuses_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "schedules"."group_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"role" text NOT NULL,
	"subject" text,
	"start_date" date NOT NULL,
	"end_date" date,
	"notes" text,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules"."groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"program_id" uuid NOT NULL,
	"campus_id" uuid NOT NULL,
	"shift" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"current_quarter" integer DEFAULT 1 NOT NULL,
	"max_apprentices" integer,
	"notes" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"search_text" text NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "schedules"."non_teaching_days" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	"campus_id" uuid,
	"source" text NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "non_teaching_days_date_campus_uq" UNIQUE NULLS NOT DISTINCT("date","campus_id")
);
--> statement-breakpoint
CREATE TABLE "schedules"."outbox" (
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
CREATE TABLE "schedules"."programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"duration_months" integer NOT NULL,
	"quarters" integer,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"search_text" text NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "schedules"."schedule_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"group_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"venue_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"day_of_week" integer NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"cancelled_from" date,
	"cancel_reason" text,
	"replaced_by_id" uuid,
	"notes" text,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules"."seed_runs" (
	"name" text PRIMARY KEY NOT NULL,
	"completed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedules"."session_exceptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"schedule_id" uuid NOT NULL,
	"date" date NOT NULL,
	"kind" text NOT NULL,
	"instructor_id" uuid,
	"venue_id" uuid,
	"reason" text NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_exceptions_schedule_date_uq" UNIQUE("schedule_id","date")
);
--> statement-breakpoint
CREATE TABLE "schedules"."venues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campus_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"capacity" integer NOT NULL,
	"floor" text,
	"building" text,
	"equipment" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"search_text" text NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "venues_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "schedules"."group_assignments" ADD CONSTRAINT "group_assignments_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "schedules"."groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."groups" ADD CONSTRAINT "groups_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "schedules"."programs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."groups" ADD CONSTRAINT "groups_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "schedules"."campuses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."non_teaching_days" ADD CONSTRAINT "non_teaching_days_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "schedules"."campuses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."schedule_entries" ADD CONSTRAINT "schedule_entries_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "schedules"."groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."schedule_entries" ADD CONSTRAINT "schedule_entries_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "schedules"."venues"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."session_exceptions" ADD CONSTRAINT "session_exceptions_schedule_id_schedule_entries_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "schedules"."schedule_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."session_exceptions" ADD CONSTRAINT "session_exceptions_venue_id_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "schedules"."venues"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schedules"."venues" ADD CONSTRAINT "venues_campus_id_campuses_id_fk" FOREIGN KEY ("campus_id") REFERENCES "schedules"."campuses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_assignments_group_idx" ON "schedules"."group_assignments" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "group_assignments_instructor_idx" ON "schedules"."group_assignments" USING btree ("instructor_id");--> statement-breakpoint
CREATE INDEX "groups_program_idx" ON "schedules"."groups" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "groups_campus_idx" ON "schedules"."groups" USING btree ("campus_id");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "schedules"."outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "schedule_entries_instructor_day_idx" ON "schedules"."schedule_entries" USING btree ("instructor_id","day_of_week");--> statement-breakpoint
CREATE INDEX "schedule_entries_venue_day_idx" ON "schedules"."schedule_entries" USING btree ("venue_id","day_of_week");--> statement-breakpoint
CREATE INDEX "schedule_entries_group_day_idx" ON "schedules"."schedule_entries" USING btree ("group_id","day_of_week");--> statement-breakpoint
CREATE INDEX "schedule_entries_dates_idx" ON "schedules"."schedule_entries" USING btree ("start_date","end_date");--> statement-breakpoint
CREATE INDEX "session_exceptions_date_idx" ON "schedules"."session_exceptions" USING btree ("date");--> statement-breakpoint
CREATE INDEX "venues_campus_idx" ON "schedules"."venues" USING btree ("campus_id");