DROP INDEX "notification"."deliveries_due_idx";--> statement-breakpoint
DROP INDEX "notification"."deliveries_lease_idx";--> statement-breakpoint
DROP INDEX "notification"."deliveries_dead_idx";--> statement-breakpoint
DROP INDEX "notification"."deliveries_provider_msg_idx";--> statement-breakpoint
CREATE INDEX "deliveries_wake_idx" ON "notification"."deliveries" USING btree ("status",(CASE status WHEN 'sending' THEN lease_until WHEN 'retrying' THEN next_attempt_at WHEN 'pending' THEN not_before WHEN 'queued' THEN queued_at END)) WHERE status IN ('pending','queued','sending','retrying');--> statement-breakpoint
CREATE INDEX "deliveries_dead_idx" ON "notification"."deliveries" USING btree ("dead_at") WHERE status = 'dead';--> statement-breakpoint
CREATE INDEX "deliveries_provider_msg_idx" ON "notification"."deliveries" USING btree ("provider_message_id") WHERE channel = 'sms';