CREATE TYPE "projecteval"."cr_origin" AS ENUM('team', 'stakeholder', 'instructor');--> statement-breakpoint
CREATE TYPE "projecteval"."cr_priority" AS ENUM('low', 'medium', 'high', 'critical');--> statement-breakpoint
CREATE TYPE "projecteval"."cr_status" AS ENUM('submitted', 'under_review', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "projecteval"."cr_type" AS ENUM('scope', 'requirements', 'technology', 'timeline', 'team');--> statement-breakpoint
CREATE TYPE "projecteval"."deliverable_type" AS ENUM('documentation', 'source_code', 'presentation', 'demo_video', 'database_script', 'deployment_guide', 'user_manual', 'technical_specification', 'other');--> statement-breakpoint
CREATE TYPE "projecteval"."document_status" AS ENUM('draft', 'in_review', 'approved', 'rejected');--> statement-breakpoint
CREATE TYPE "projecteval"."document_type" AS ENUM('requirements', 'specification', 'design', 'test_plan', 'user_manual', 'deployment_guide', 'report', 'presentation', 'other');--> statement-breakpoint
CREATE TYPE "projecteval"."evaluation_status" AS ENUM('draft', 'completed', 'published');--> statement-breakpoint
CREATE TYPE "projecteval"."idea_status" AS ENUM('proposed', 'revision_requested', 'approved', 'rejected', 'not_selected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "projecteval"."juror_status" AS ENUM('invited', 'confirmed', 'declined', 'no_response', 'removed');--> statement-breakpoint
CREATE TYPE "projecteval"."member_role" AS ENUM('member', 'developer', 'analyst', 'designer', 'tester');--> statement-breakpoint
CREATE TYPE "projecteval"."project_status" AS ENUM('active', 'suspended', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "projecteval"."project_type" AS ENUM('web_application', 'mobile_application', 'desktop_application', 'api_service', 'data_analytics', 'other');--> statement-breakpoint
CREATE TYPE "projecteval"."rubric_status" AS ENUM('draft', 'active', 'archived');--> statement-breakpoint
CREATE TYPE "projecteval"."session_status" AS ENUM('scheduled', 'in_progress', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "projecteval"."session_type" AS ENUM('progress_review', 'final_presentation');--> statement-breakpoint
CREATE TYPE "projecteval"."stakeholder_status" AS ENUM('active', 'inactive');--> statement-breakpoint
CREATE TYPE "projecteval"."stakeholder_type" AS ENUM('company', 'government', 'ngo', 'educational_institution', 'individual', 'internal_sena');--> statement-breakpoint
CREATE TYPE "projecteval"."submission_status" AS ENUM('submitted', 'returned', 'in_evaluation', 'evaluated', 'published', 'superseded');--> statement-breakpoint
CREATE TYPE "projecteval"."team_status" AS ENUM('forming', 'active', 'closed');--> statement-breakpoint
CREATE TABLE "projecteval"."agenda_items" (
	"session_id" uuid NOT NULL,
	"submission_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "agenda_items_session_id_submission_id_pk" PRIMARY KEY("session_id","submission_id")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."change_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"origin" "projecteval"."cr_origin" NOT NULL,
	"stakeholder_id" uuid,
	"requested_by" uuid NOT NULL,
	"change_type" "projecteval"."cr_type" NOT NULL,
	"priority" "projecteval"."cr_priority" DEFAULT 'medium' NOT NULL,
	"status" "projecteval"."cr_status" DEFAULT 'submitted' NOT NULL,
	"title" varchar(200) NOT NULL,
	"description" text NOT NULL,
	"justification" varchar(2000) NOT NULL,
	"proposed_changes" jsonb,
	"impact_on_timeline" varchar(2000),
	"impact_on_learning" varchar(2000),
	"review_comments" varchar(2000),
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"decision_reason" varchar(2000),
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"applied_scope_version" integer,
	"quarter" varchar(7) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."criterion_scores" (
	"evaluation_id" uuid NOT NULL,
	"criterion_id" uuid NOT NULL,
	"score" numeric(4, 1) NOT NULL,
	"comment" varchar(2000),
	CONSTRAINT "criterion_scores_evaluation_id_criterion_id_pk" PRIMARY KEY("evaluation_id","criterion_id")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."deliverables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"description" text,
	"deliverable_type" "projecteval"."deliverable_type" NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"rubric_id" uuid NOT NULL,
	"weight" smallint DEFAULT 1 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."document_versions" (
	"document_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"stored_file_id" uuid NOT NULL,
	"change_note" varchar(500),
	"uploaded_by" uuid NOT NULL,
	"uploaded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "document_versions_document_id_version_pk" PRIMARY KEY("document_id","version")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"document_type" "projecteval"."document_type" NOT NULL,
	"description" varchar(2000),
	"status" "projecteval"."document_status" DEFAULT 'draft' NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"approved_version" integer,
	"review_comments" varchar(2000),
	"reviewed_by" uuid,
	"reviewed_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."evaluations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"evaluator_id" uuid NOT NULL,
	"rubric_id" uuid NOT NULL,
	"status" "projecteval"."evaluation_status" DEFAULT 'draft' NOT NULL,
	"general_comments" text,
	"recommendations" text,
	"total_score" numeric(4, 1),
	"band_code" varchar(10),
	"completed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."ideas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"description" text NOT NULL,
	"objectives" text NOT NULL,
	"technologies" text[] DEFAULT '{}'::text[] NOT NULL,
	"stakeholder_id" uuid,
	"stakeholder_info" varchar(1000),
	"expected_impact" varchar(2000),
	"status" "projecteval"."idea_status" DEFAULT 'proposed' NOT NULL,
	"viability_score" smallint,
	"feedback" varchar(2000),
	"proposed_by" uuid NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"idea_id" uuid NOT NULL,
	"title" varchar(200) NOT NULL,
	"description" text NOT NULL,
	"objectives" text NOT NULL,
	"scope" text NOT NULL,
	"technologies" text[] DEFAULT '{}'::text[] NOT NULL,
	"project_type" "projecteval"."project_type" NOT NULL,
	"stakeholder_id" uuid,
	"status" "projecteval"."project_status" DEFAULT 'active' NOT NULL,
	"status_reason" varchar(1000),
	"scope_locked" boolean DEFAULT false NOT NULL,
	"scope_locked_at" timestamp with time zone,
	"scope_locked_by" uuid,
	"scope_lock_reason" varchar(1000),
	"scope_version" integer DEFAULT 1 NOT NULL,
	"start_date" date NOT NULL,
	"expected_end_date" date NOT NULL,
	"repository_url" varchar(500),
	"stakeholder_expectations_documented" boolean DEFAULT false NOT NULL,
	"stakeholder_limitations_communicated" boolean DEFAULT false NOT NULL,
	"intellectual_property_owner" varchar(10) DEFAULT 'SENA' NOT NULL,
	"created_by" uuid NOT NULL,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_team_uq" UNIQUE("team_id"),
	CONSTRAINT "projects_idea_uq" UNIQUE("idea_id")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."rubric_bands" (
	"rubric_id" uuid NOT NULL,
	"code" varchar(10) NOT NULL,
	"label" varchar(50) NOT NULL,
	"min_score" numeric(4, 1) NOT NULL,
	"is_passing" boolean NOT NULL,
	CONSTRAINT "rubric_bands_rubric_id_code_pk" PRIMARY KEY("rubric_id","code")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."rubric_criteria" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rubric_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" varchar(1000),
	"weight" smallint NOT NULL,
	"levels" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."rubrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"description" varchar(2000),
	"program_code" varchar(20),
	"trimester" smallint,
	"status" "projecteval"."rubric_status" DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"derived_from_id" uuid,
	"created_by" uuid NOT NULL,
	"activated_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."scope_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"scope_version" integer NOT NULL,
	"changes" jsonb NOT NULL,
	"change_request_id" uuid,
	"reason" varchar(1000),
	"changed_by" uuid NOT NULL,
	"changed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."session_jurors" (
	"session_id" uuid NOT NULL,
	"instructor_id" uuid NOT NULL,
	"status" "projecteval"."juror_status" DEFAULT 'invited' NOT NULL,
	"is_panel" boolean DEFAULT false NOT NULL,
	"responded_at" timestamp with time zone,
	"decline_reason" varchar(500),
	CONSTRAINT "session_jurors_session_id_instructor_id_pk" PRIMARY KEY("session_id","instructor_id")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" varchar(200) NOT NULL,
	"session_type" "projecteval"."session_type" NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"location" varchar(200),
	"virtual_url" varchar(500),
	"minutes_per_team" smallint DEFAULT 30 NOT NULL,
	"max_teams" smallint DEFAULT 10 NOT NULL,
	"status" "projecteval"."session_status" DEFAULT 'scheduled' NOT NULL,
	"cancel_reason" varchar(500),
	"organizer_id" uuid NOT NULL,
	"chair_id" uuid NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."stakeholders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(200) NOT NULL,
	"stakeholder_type" "projecteval"."stakeholder_type" NOT NULL,
	"status" "projecteval"."stakeholder_status" DEFAULT 'active' NOT NULL,
	"contact_person" varchar(150) NOT NULL,
	"email" varchar(254) NOT NULL,
	"phone" varchar(20),
	"sector" varchar(100),
	"website" varchar(500),
	"notes" varchar(2000),
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."stored_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"storage_key" varchar(300) NOT NULL,
	"original_name" varchar(255) NOT NULL,
	"mime_type" varchar(150) NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."submission_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"submission_id" uuid NOT NULL,
	"stored_file_id" uuid NOT NULL,
	"original_name" varchar(255) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deliverable_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" "projecteval"."submission_status" DEFAULT 'submitted' NOT NULL,
	"repository_url" varchar(500),
	"deployment_url" varchar(500),
	"notes" varchar(2000),
	"submitted_by" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"return_reason" varchar(1000),
	"returned_by" uuid,
	"returned_at" timestamp with time zone,
	"final_score" numeric(4, 1),
	"band_code" varchar(10),
	"band_label" varchar(50),
	"is_passing" boolean,
	"score_spread" numeric(4, 1),
	"needs_calibration" boolean,
	"criterion_averages" jsonb,
	"published_by" uuid,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projecteval"."team_members" (
	"team_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"role" "projecteval"."member_role" DEFAULT 'member' NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "team_members_team_id_student_id_joined_at_pk" PRIMARY KEY("team_id","student_id","joined_at")
);
--> statement-breakpoint
CREATE TABLE "projecteval"."teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(100) NOT NULL,
	"group_id" uuid NOT NULL,
	"group_number" varchar(20) NOT NULL,
	"advisor_id" uuid NOT NULL,
	"leader_id" uuid,
	"status" "projecteval"."team_status" DEFAULT 'forming' NOT NULL,
	"close_reason" varchar(500),
	"created_by" uuid NOT NULL,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "projecteval"."agenda_items" ADD CONSTRAINT "agenda_items_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "projecteval"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."agenda_items" ADD CONSTRAINT "agenda_items_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "projecteval"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."change_requests" ADD CONSTRAINT "change_requests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "projecteval"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."change_requests" ADD CONSTRAINT "change_requests_stakeholder_id_stakeholders_id_fk" FOREIGN KEY ("stakeholder_id") REFERENCES "projecteval"."stakeholders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."criterion_scores" ADD CONSTRAINT "criterion_scores_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "projecteval"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."criterion_scores" ADD CONSTRAINT "criterion_scores_criterion_id_rubric_criteria_id_fk" FOREIGN KEY ("criterion_id") REFERENCES "projecteval"."rubric_criteria"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."deliverables" ADD CONSTRAINT "deliverables_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "projecteval"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."deliverables" ADD CONSTRAINT "deliverables_rubric_id_rubrics_id_fk" FOREIGN KEY ("rubric_id") REFERENCES "projecteval"."rubrics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."document_versions" ADD CONSTRAINT "document_versions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "projecteval"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."document_versions" ADD CONSTRAINT "document_versions_stored_file_id_stored_files_id_fk" FOREIGN KEY ("stored_file_id") REFERENCES "projecteval"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."documents" ADD CONSTRAINT "documents_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "projecteval"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."evaluations" ADD CONSTRAINT "evaluations_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "projecteval"."submissions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."evaluations" ADD CONSTRAINT "evaluations_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "projecteval"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."evaluations" ADD CONSTRAINT "evaluations_rubric_id_rubrics_id_fk" FOREIGN KEY ("rubric_id") REFERENCES "projecteval"."rubrics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."ideas" ADD CONSTRAINT "ideas_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "projecteval"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."ideas" ADD CONSTRAINT "ideas_stakeholder_id_stakeholders_id_fk" FOREIGN KEY ("stakeholder_id") REFERENCES "projecteval"."stakeholders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."projects" ADD CONSTRAINT "projects_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "projecteval"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."projects" ADD CONSTRAINT "projects_idea_id_ideas_id_fk" FOREIGN KEY ("idea_id") REFERENCES "projecteval"."ideas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."projects" ADD CONSTRAINT "projects_stakeholder_id_stakeholders_id_fk" FOREIGN KEY ("stakeholder_id") REFERENCES "projecteval"."stakeholders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."rubric_bands" ADD CONSTRAINT "rubric_bands_rubric_id_rubrics_id_fk" FOREIGN KEY ("rubric_id") REFERENCES "projecteval"."rubrics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."rubric_criteria" ADD CONSTRAINT "rubric_criteria_rubric_id_rubrics_id_fk" FOREIGN KEY ("rubric_id") REFERENCES "projecteval"."rubrics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."scope_changes" ADD CONSTRAINT "scope_changes_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "projecteval"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."session_jurors" ADD CONSTRAINT "session_jurors_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "projecteval"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."submission_files" ADD CONSTRAINT "submission_files_submission_id_submissions_id_fk" FOREIGN KEY ("submission_id") REFERENCES "projecteval"."submissions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."submission_files" ADD CONSTRAINT "submission_files_stored_file_id_stored_files_id_fk" FOREIGN KEY ("stored_file_id") REFERENCES "projecteval"."stored_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."submissions" ADD CONSTRAINT "submissions_deliverable_id_deliverables_id_fk" FOREIGN KEY ("deliverable_id") REFERENCES "projecteval"."deliverables"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."submissions" ADD CONSTRAINT "submissions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "projecteval"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."submissions" ADD CONSTRAINT "submissions_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "projecteval"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projecteval"."team_members" ADD CONSTRAINT "team_members_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "projecteval"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agenda_items_position_uq" ON "projecteval"."agenda_items" USING btree ("session_id","position");--> statement-breakpoint
CREATE INDEX "agenda_items_submission_idx" ON "projecteval"."agenda_items" USING btree ("submission_id");--> statement-breakpoint
CREATE INDEX "change_requests_project_idx" ON "projecteval"."change_requests" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "deliverables_title_uq" ON "projecteval"."deliverables" USING btree ("project_id",lower("title"));--> statement-breakpoint
CREATE INDEX "deliverables_due_idx" ON "projecteval"."deliverables" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_title_uq" ON "projecteval"."documents" USING btree ("project_id",lower("title"));--> statement-breakpoint
CREATE UNIQUE INDEX "evaluations_submission_evaluator_uq" ON "projecteval"."evaluations" USING btree ("submission_id","evaluator_id");--> statement-breakpoint
CREATE INDEX "evaluations_session_idx" ON "projecteval"."evaluations" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "ideas_team_idx" ON "projecteval"."ideas" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ideas_one_approved_uq" ON "projecteval"."ideas" USING btree ("team_id") WHERE "projecteval"."ideas"."status" = 'approved';--> statement-breakpoint
CREATE UNIQUE INDEX "rubric_criteria_position_uq" ON "projecteval"."rubric_criteria" USING btree ("rubric_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "rubrics_name_uq" ON "projecteval"."rubrics" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "scope_changes_version_uq" ON "projecteval"."scope_changes" USING btree ("project_id","scope_version");--> statement-breakpoint
CREATE INDEX "session_jurors_instructor_idx" ON "projecteval"."session_jurors" USING btree ("instructor_id");--> statement-breakpoint
CREATE INDEX "sessions_starts_idx" ON "projecteval"."sessions" USING btree ("starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "stakeholders_name_uq" ON "projecteval"."stakeholders" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "submission_files_submission_idx" ON "projecteval"."submission_files" USING btree ("submission_id");--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_current_uq" ON "projecteval"."submissions" USING btree ("deliverable_id","team_id") WHERE "projecteval"."submissions"."status" <> 'superseded';--> statement-breakpoint
CREATE UNIQUE INDEX "submissions_version_uq" ON "projecteval"."submissions" USING btree ("deliverable_id","team_id","version");--> statement-breakpoint
CREATE INDEX "submissions_team_idx" ON "projecteval"."submissions" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "team_members_open_uq" ON "projecteval"."team_members" USING btree ("student_id") WHERE "projecteval"."team_members"."left_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "teams_group_name_uq" ON "projecteval"."teams" USING btree ("group_id",lower("name"));--> statement-breakpoint
CREATE INDEX "teams_advisor_idx" ON "projecteval"."teams" USING btree ("advisor_id");