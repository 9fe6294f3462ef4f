-- R34: every change to a student's records (a record_changes row: marks, close, scan, correction, delete,
-- approved justification) makes the student due for evaluation 60 s after that change, pushing back a
-- pending due time (debounce). The change row's own `at` is the writer's clock, so tests and production
-- agree on when a student is due.
CREATE FUNCTION "attendance"."queue_evaluation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "attendance"."evaluation_queue" ("student_id", "due_at")
  SELECT r."student_id", NEW."at" + interval '60 seconds' FROM "attendance"."records" r WHERE r."id" = NEW."record_id"
  ON CONFLICT ("student_id") DO UPDATE SET "due_at" = GREATEST("attendance"."evaluation_queue"."due_at", EXCLUDED."due_at");
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "record_changes_queue_evaluation" AFTER INSERT ON "attendance"."record_changes"
  FOR EACH ROW EXECUTE FUNCTION "attendance"."queue_evaluation"();
