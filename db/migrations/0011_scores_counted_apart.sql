ALTER TABLE "scores" ADD COLUMN "before_trace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "scores" ADD COLUMN "shares_name" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- The scores stored so far whose trace is not, and those sharing their name with another of their
-- trace's: from now on the writer keeps both flags.
UPDATE "scores" s SET "before_trace" = true WHERE NOT EXISTS (SELECT 1 FROM "traces" t WHERE t."id" = s."trace_id");--> statement-breakpoint
UPDATE "scores" s SET "shares_name" = true
  FROM (SELECT "trace_id", "name" FROM "scores" GROUP BY "trace_id", "name" HAVING count(*) > 1) d
  WHERE s."trace_id" = d."trace_id" AND s."name" = d."name";--> statement-breakpoint
CREATE INDEX "scores_counted_apart" ON "scores" USING btree ("name","value","trace_id","project_id") WHERE before_trace or shares_name;--> statement-breakpoint
-- The new columns' statistics now: without them the planner takes half the scores for flagged, and
-- the list's count (db/query/scores.ts countScoredTraces) would plan for a million rows where none are.
ANALYZE "scores";
