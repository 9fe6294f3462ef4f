CREATE TYPE "evalin"."closed_reason" AS ENUM('manual', 'end_date');--> statement-breakpoint
CREATE TYPE "evalin"."comment_status" AS ENUM('pending', 'approved', 'hidden');--> statement-breakpoint
CREATE TYPE "evalin"."delivery_status" AS ENUM('pending', 'accepted', 'failed');--> statement-breakpoint
CREATE TYPE "evalin"."evaluation_status" AS ENUM('draft', 'submitted');--> statement-breakpoint
CREATE TYPE "evalin"."period_status" AS ENUM('draft', 'scheduled', 'active', 'suspended', 'closed', 'published');--> statement-breakpoint
CREATE TYPE "evalin"."question_type" AS ENUM('likert', 'single_choice', 'multiple_choice', 'text');--> statement-breakpoint
CREATE TYPE "evalin"."reminder_kind" AS ENUM('auto_ending', 'manual');--> statement-breakpoint
CREATE TABLE "evalin"."comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"response_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"question_id" uuid,
	"text" varchar(1000) NOT NULL,
	"flagged" boolean DEFAULT false NOT NULL,
	"status" "evalin"."comment_status" NOT NULL,
	"moderation_note" varchar(500),
	"moderated_by" uuid,
	"moderated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evalin"."config" (
	"id" integer PRIMARY KEY NOT NULL,
	"values" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evalin"."evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"status" "evalin"."evaluation_status" NOT NULL,
	"draft_answers" jsonb,
	"draft_general_comment" varchar(1000),
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluations_student_instructor_period_uq" UNIQUE("student_id","instructor_id","period_id"),
	CONSTRAINT "evaluations_submitted_ck" CHECK (("evalin"."evaluations"."status" = 'submitted') = ("evalin"."evaluations"."submitted_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "evalin"."period_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"action" varchar(40) NOT NULL,
	"from_status" "evalin"."period_status",
	"to_status" "evalin"."period_status",
	"actor_id" uuid,
	"reason" varchar(500),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evalin"."period_group_snapshots" (
	"period_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"student_ids" uuid[] NOT NULL,
	"instructor_ids" uuid[] NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	CONSTRAINT "period_group_snapshots_period_id_group_id_pk" PRIMARY KEY("period_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "evalin"."period_groups" (
	"period_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"group_number" varchar(20) NOT NULL,
	CONSTRAINT "period_groups_period_id_group_id_pk" PRIMARY KEY("period_id","group_id")
);
--> statement-breakpoint
CREATE TABLE "evalin"."periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"description" varchar(1000),
	"start_date" timestamp with time zone NOT NULL,
	"end_date" timestamp with time zone NOT NULL,
	"questionnaire_id" uuid NOT NULL,
	"status" "evalin"."period_status" DEFAULT 'draft' NOT NULL,
	"closed_reason" "evalin"."closed_reason",
	"suspend_reason" varchar(500),
	"activated_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"results_published_at" timestamp with time zone,
	"results_published_by" uuid,
	"snapshot_pending" boolean DEFAULT false NOT NULL,
	"participation_expected" integer,
	"participation_submitted" integer,
	"participation_as_of" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "periods_dates_ck" CHECK ("evalin"."periods"."start_date" < "evalin"."periods"."end_date")
);
--> statement-breakpoint
CREATE TABLE "evalin"."questionnaire_questions" (
	"questionnaire_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "questionnaire_questions_questionnaire_id_question_id_pk" PRIMARY KEY("questionnaire_id","question_id"),
	CONSTRAINT "qq_position_uq" UNIQUE("questionnaire_id","position")
);
--> statement-breakpoint
CREATE TABLE "evalin"."questionnaires" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"name_key" varchar(200) NOT NULL,
	"description" varchar(1000),
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evalin"."questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"text" varchar(500) NOT NULL,
	"text_key" varchar(500) NOT NULL,
	"search_text" varchar(500) NOT NULL,
	"description" varchar(1000),
	"question_type" "evalin"."question_type" NOT NULL,
	"category" varchar(100) NOT NULL,
	"options" text[],
	"is_required" boolean DEFAULT true NOT NULL,
	"order_index" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evalin"."reminder_deliveries" (
	"reminder_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"local_date" date NOT NULL,
	CONSTRAINT "reminder_deliveries_daily_uq" UNIQUE("period_id","student_id","local_date")
);
--> statement-breakpoint
CREATE TABLE "evalin"."reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"kind" "evalin"."reminder_kind" NOT NULL,
	"days_before" smallint,
	"sent_by" uuid,
	"message" varchar(500),
	"recipient_count" integer NOT NULL,
	"skipped_count" integer NOT NULL,
	"delivery_status" "evalin"."delivery_status" DEFAULT 'pending' NOT NULL,
	"outbox_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evalin"."response_answers" (
	"response_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"likert_value" smallint,
	"choice_values" text[],
	CONSTRAINT "response_answers_response_id_question_id_pk" PRIMARY KEY("response_id","question_id"),
	CONSTRAINT "response_answers_likert_ck" CHECK ("evalin"."response_answers"."likert_value" IS NULL OR "evalin"."response_answers"."likert_value" BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "evalin"."responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"period_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"questionnaire_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "evalin"."comments" ADD CONSTRAINT "comments_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "evalin"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."evaluations" ADD CONSTRAINT "evaluations_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "evalin"."periods"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."period_events" ADD CONSTRAINT "period_events_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "evalin"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."period_group_snapshots" ADD CONSTRAINT "period_group_snapshots_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "evalin"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."period_groups" ADD CONSTRAINT "period_groups_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "evalin"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."periods" ADD CONSTRAINT "periods_questionnaire_id_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "evalin"."questionnaires"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."questionnaire_questions" ADD CONSTRAINT "questionnaire_questions_questionnaire_id_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "evalin"."questionnaires"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."questionnaire_questions" ADD CONSTRAINT "questionnaire_questions_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "evalin"."questions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."reminder_deliveries" ADD CONSTRAINT "reminder_deliveries_reminder_id_reminders_id_fk" FOREIGN KEY ("reminder_id") REFERENCES "evalin"."reminders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."reminders" ADD CONSTRAINT "reminders_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "evalin"."periods"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."response_answers" ADD CONSTRAINT "response_answers_response_id_responses_id_fk" FOREIGN KEY ("response_id") REFERENCES "evalin"."responses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evalin"."responses" ADD CONSTRAINT "responses_period_id_periods_id_fk" FOREIGN KEY ("period_id") REFERENCES "evalin"."periods"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comments_period_idx" ON "evalin"."comments" USING btree ("period_id","instructor_id");--> statement-breakpoint
CREATE INDEX "evaluations_period_idx" ON "evalin"."evaluations" USING btree ("period_id","group_id");--> statement-breakpoint
CREATE INDEX "period_events_period_idx" ON "evalin"."period_events" USING btree ("period_id");--> statement-breakpoint
CREATE INDEX "period_groups_group_idx" ON "evalin"."period_groups" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "periods_status_idx" ON "evalin"."periods" USING btree ("status","start_date");--> statement-breakpoint
CREATE INDEX "qq_question_idx" ON "evalin"."questionnaire_questions" USING btree ("question_id");--> statement-breakpoint
CREATE UNIQUE INDEX "questionnaires_name_uq" ON "evalin"."questionnaires" USING btree ("name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "questions_text_live_uq" ON "evalin"."questions" USING btree ("text_key") WHERE "evalin"."questions"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX "questions_category_idx" ON "evalin"."questions" USING btree ("category");--> statement-breakpoint
CREATE INDEX "reminders_period_idx" ON "evalin"."reminders" USING btree ("period_id","group_id");--> statement-breakpoint
CREATE INDEX "responses_period_idx" ON "evalin"."responses" USING btree ("period_id","instructor_id");