DROP INDEX "notification"."device_tokens_token_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "device_tokens_active_token_uq" ON "notification"."device_tokens" USING btree (md5("token")) WHERE "notification"."device_tokens"."disabled_at" IS NULL;--> statement-breakpoint
CREATE INDEX "device_tokens_token_idx" ON "notification"."device_tokens" USING hash ("token");