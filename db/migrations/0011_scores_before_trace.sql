ALTER TABLE "scores" ADD COLUMN "before_trace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The scores stored so far whose trace is not: from now on the writer keeps the flag.
UPDATE "scores" s SET "before_trace" = true WHERE NOT EXISTS (SELECT 1 FROM "traces" t WHERE t."id" = s."trace_id");--> statement-breakpoint
CREATE INDEX "scores_before_trace" ON "scores" USING btree ("trace_id") WHERE before_trace;--> statement-breakpoint
-- The new column's statistics now: without them the planner takes half the scores for flagged, and
-- the list's count (db/query/scores.ts scoredTraceIds) would plan for a million rows where none are.
ANALYZE "scores";
