-- Hand-edited after drizzle-kit: the overview's per-minute rollups (db/write/rollups.ts keeps them,
-- db/query/stats.ts reads them), partitioned by the day of their traces' created_at like spans
-- (db/connect/partitions.ts makes and drops their days with the traces'), and the latency bins they use.
-- latency_bin: log-scale bins of ratio 1.01/0.99 from 0.01 ms, so that a bin's representative value
-- (latency_of_bin) is within 1% of every latency in it; 0 holds everything up to 0.01 ms.
CREATE FUNCTION latency_bin(ms double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ms IS NULL THEN NULL WHEN ms <= 0.01 THEN 0
    ELSE least(32767, ceil(ln(ms * 100) / ln(1.01 / 0.99)))::smallint END
$$;
--> statement-breakpoint
CREATE FUNCTION latency_of_bin(bin integer) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN bin <= 0 THEN 0.01 ELSE 2 * power(1.01 / 0.99, bin) / (1.01 / 0.99 + 1) / 100 END
$$;
--> statement-breakpoint
CREATE TABLE "trace_rollups" (
	"project_id" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"model_family" text NOT NULL,
	"provider" text NOT NULL,
	"metric" smallint NOT NULL,
	"bin" smallint NOT NULL,
	"created_day" timestamp with time zone NOT NULL,
	"traces" integer NOT NULL,
	"errors" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	CONSTRAINT "trace_rollups_pk" PRIMARY KEY("project_id","minute","model_family","provider","metric","bin","created_day")
) PARTITION BY RANGE ("created_day");
--> statement-breakpoint
-- A database made before: a trace_rollups day for each traces day, with the same bounds.
DO $$
DECLARE part record;
BEGIN
  FOR part IN
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'traces'
  LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF trace_rollups %s',
      regexp_replace(part.name, '^traces_', 'trace_rollups_'), part.bound);
  END LOOP;
END $$;
--> statement-breakpoint
-- ... and the rollups of every stored trace (the writer's contribution, db/write/rollups.ts, in bulk).
INSERT INTO "trace_rollups"
SELECT project_id, minute, model_family, provider, metric, bin, created_day,
  sum(n)::int, sum(e)::int, sum(p), sum(c), sum(cost)
FROM (
  SELECT t.project_id, date_bin('1 minute', coalesce(t.start_time, t.created_at), timestamptz '2000-01-01 00:00:00+00') AS minute,
    coalesce(t.model_family, '') AS model_family, coalesce(t.provider, '') AS provider,
    date_bin('1 day', t.created_at, timestamptz '2000-01-01 00:00:00+00') AS created_day, v.*
  FROM traces t
  CROSS JOIN LATERAL (VALUES
    (true, CASE WHEN t.duration_ms IS NULL THEN 2 ELSE 0 END, coalesce(latency_bin(t.duration_ms), 0), 1,
      (t.status = 'error')::int, coalesce(t.prompt_tokens, 0), coalesce(t.completion_tokens, 0), coalesce(t.cost_usd, 0)),
    (t.ttft_ms IS NOT NULL, 1, coalesce(latency_bin(t.ttft_ms), 0), 1, 0, 0::bigint, 0::bigint, 0::float8)
  ) AS v(present, metric, bin, n, e, p, c, cost)
  WHERE v.present
) d
GROUP BY project_id, minute, model_family, provider, metric, bin, created_day;

--> statement-breakpoint
CREATE INDEX "traces_running" ON "traces" USING btree ("project_id","updated_at") WHERE status = 'running';
