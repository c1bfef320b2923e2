-- Hand-edited after drizzle-kit. Search (`q`) moves off the write path: the trigram index on spans
-- (0003) was maintained inside every write and cut Postgres ingest from ~8,500 to ~2,500 spans/s
-- (BENCHMARKS.md). A write now only records which spans it changed (search_pending, one row per
-- write); the search indexer (db/search-indexer.ts) copies their span_search_text into span_search,
-- which carries the trigram index. span_search is partitioned by day like spans (db/partitions.ts
-- makes and drops its partitions with theirs).
CREATE TABLE "search_pending" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "search_pending_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"keys" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "span_search" (
	"trace_id" text NOT NULL,
	"span_id" text NOT NULL,
	"trace_created_at" timestamp with time zone NOT NULL,
	"project_id" text NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "span_search_trace_id_span_id_trace_created_at_pk" PRIMARY KEY("trace_id","span_id","trace_created_at")
) PARTITION BY RANGE ("trace_created_at");
--> statement-breakpoint
-- A database made before: a span_search day for each spans day, with the same bounds.
DO $$
DECLARE part record;
BEGIN
  FOR part IN
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'spans'
  LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF span_search %s',
      regexp_replace(part.name, '^spans_', 'span_search_'), part.bound);
  END LOOP;
END $$;
--> statement-breakpoint
-- ... and the search text of every stored span, indexed once it is all in (faster than row by row).
INSERT INTO "span_search" ("trace_id", "span_id", "trace_created_at", "project_id", "text")
SELECT "trace_id", "id", "trace_created_at", "project_id", span_search_text("name", "input", "output", "error", "metadata") FROM "spans";
--> statement-breakpoint
CREATE INDEX "span_search_text" ON "span_search" USING gin ("text" gin_trgm_ops);
--> statement-breakpoint
DROP INDEX IF EXISTS "spans_search";
