DROP INDEX "traces_start_time";--> statement-breakpoint
ALTER TABLE "traces" ALTER COLUMN "prompt_tokens" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "traces" ALTER COLUMN "completion_tokens" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "traces" ALTER COLUMN "total_tokens" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "traces" ALTER COLUMN "cached_tokens" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "traces" ADD COLUMN "error_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "traces_start_id" ON "traces" USING btree ("start_time","id");--> statement-breakpoint
-- Hand-edited: INCLUDE (drizzle-kit cannot write it), so that counting a project's matches of the
-- usual filters reads this index alone, not every trace row (a 50,000-trace project: 90 -> 15 ms).
CREATE INDEX "traces_project_start_id" ON "traces" USING btree ("project_id","start_time","id") INCLUDE ("status","error_count","provider","model");--> statement-breakpoint
CREATE INDEX "traces_project_cost" ON "traces" USING btree ("project_id","cost_usd" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "traces_project_duration" ON "traces" USING btree ("project_id","duration_ms" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "traces_project_tokens" ON "traces" USING btree ("project_id","total_tokens" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "traces_project_root_failed" ON "traces" USING btree ("project_id","start_time","id") WHERE status = 'error';--> statement-breakpoint
CREATE INDEX "traces_project_any_failed" ON "traces" USING btree ("project_id","start_time","id") WHERE (error_count > 0 or status = 'error');--> statement-breakpoint
CREATE INDEX "traces_id_prefix" ON "traces" USING btree ("id" text_pattern_ops);--> statement-breakpoint
-- Hand-written from here (drizzle-kit models none of it).
-- A trace without times starts when it was first seen, so the list's time order has no nulls.
UPDATE "traces" SET "start_time" = "created_at" WHERE "start_time" IS NULL;--> statement-breakpoint
-- A trace's status is its root span's; failed steps are counted apart (db/trace-summary.ts does
-- the same for every write from now on).
UPDATE "traces" t SET
  "error_count" = x.error_count,
  "status" = CASE
    WHEN t.error IS NOT NULL OR x.root_status = 'error' THEN 'error'
    WHEN x.root_status IS NOT NULL THEN x.root_status
    WHEN x.any_running THEN 'running'
    ELSE 'ok' END
FROM (
  SELECT sp.trace_id, sp.trace_created_at,
    (count(*) FILTER (WHERE sp.status = 'error'))::int AS error_count,
    bool_or(sp.status = 'running') AS any_running,
    (array_agg(sp.status ORDER BY sp.start_time NULLS LAST)
      FILTER (WHERE sp.span_parents IS NULL OR jsonb_array_length(sp.span_parents) = 0))[1] AS root_status
  FROM "spans" sp GROUP BY sp.trace_id, sp.trace_created_at
) x
WHERE t.id = x.trace_id AND t.created_at = x.trace_created_at;--> statement-breakpoint
-- Search (`q`, db/span-search.ts): a trigram index over the text of every span (of its metadata, the
-- values, not the keys). Each field counts by its first 4,096 characters, so that one huge input
-- neither bloats the index nor slows a write; text past that is not found (README.md says so).
-- One function, so that the index and the query compute exactly the same expression.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE OR REPLACE FUNCTION span_search_text(name text, input jsonb, output jsonb, error jsonb, metadata jsonb)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(left(name, 4096), '') || ' ' || coalesce(left(input::text, 4096), '') || ' '
    || coalesce(left(output::text, 4096), '') || ' ' || coalesce(left(error::text, 4096), '') || ' '
    || coalesce(left(jsonb_path_query_array(metadata, 'strict $.** ? (@.type() != "object" && @.type() != "array")')::text, 4096), '')
$$;--> statement-breakpoint
CREATE INDEX "spans_search" ON "spans" USING gin (span_search_text("name", "input", "output", "error", "metadata") gin_trgm_ops);