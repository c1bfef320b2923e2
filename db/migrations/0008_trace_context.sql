ALTER TABLE "spans" ADD COLUMN "user_id" text;--> statement-breakpoint
ALTER TABLE "spans" ADD COLUMN "session_id" text;--> statement-breakpoint
ALTER TABLE "spans" ADD COLUMN "tags" text[];--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "user_id" text;--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "session_id" text;--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "tags" text[];--> statement-breakpoint
CREATE INDEX "traces_project_user_start" ON "traces" USING btree ("project_id","user_id","start_time");--> statement-breakpoint
CREATE INDEX "traces_project_session_start" ON "traces" USING btree ("project_id","session_id","start_time");--> statement-breakpoint
CREATE INDEX "traces_tags" ON "traces" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "traces_metadata" ON "traces" USING gin ("metadata" jsonb_path_ops);--> statement-breakpoint
-- Traces stored before these columns kept them, if at all, as metadata keys (ingested traces).
UPDATE "traces" SET
  "user_id" = coalesce("metadata"->>'user_id', "metadata"->>'userId'),
  "session_id" = coalesce("metadata"->>'session_id', "metadata"->>'sessionId', "metadata"->>'thread_id', "metadata"->>'conversation_id')
WHERE "metadata" ?| array['user_id', 'userId', 'session_id', 'sessionId', 'thread_id', 'conversation_id'];
