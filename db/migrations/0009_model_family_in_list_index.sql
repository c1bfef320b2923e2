-- Hand-written. `model=` matches the exact id or its family (db/query/model-filter.ts), so the list's
-- index carries model_family too: with it, a project's newest traces and their count under a model
-- filter are read from this index alone. Without it each candidate trace's row was read for its
-- family: newest 50 with project + model + status=ok took p95 393 ms at 10M spans (BENCHMARKS.md).
DROP INDEX IF EXISTS "traces_project_start_id";--> statement-breakpoint
CREATE INDEX "traces_project_start_id" ON "traces" USING btree ("project_id","start_time","id") INCLUDE ("status","error_count","provider","model","model_family");
