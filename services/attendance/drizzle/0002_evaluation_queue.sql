CREATE TABLE "attendance"."evaluation_queue" (
	"student_id" uuid PRIMARY KEY NOT NULL,
	"due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evaluation_queue_due_idx" ON "attendance"."evaluation_queue" USING btree ("due_at");