-- Hand-written (drizzle-kit's diff replaced): the overview's rollups become one row per project, grain
-- (`minutes`: 1, 60 or 360) start, model family and provider, with the latencies as histograms inside the
-- row, instead of one row per latency bin (which made more rollup rows than traces at a few traces a
-- minute, so the overview read the traces; BENCHMARKS.md). The table is made again, partitioned by
-- created_day like spans, with a day for each traces day, and refilled from the stored traces.
-- latency_bin: log-scale bins of ratio 1.019/0.981 from 0.01 ms, so that a bin's representative value
-- (latency_of_bin, also in db/query/stats.ts) is within 1.9% of every latency in it; 0 holds everything
-- up to 0.01 ms. Coarser than before (1%): fewer bins a row, and the issue allows 2%.
CREATE OR REPLACE FUNCTION latency_bin(ms double precision) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ms IS NULL THEN NULL WHEN ms <= 0.01 THEN 0
    ELSE least(32767, ceil(ln(ms * 100) / ln(1.019 / 0.981)))::smallint END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION latency_of_bin(bin integer) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN bin <= 0 THEN 0.01 ELSE 2 * power(1.019 / 0.981, bin) / (1.019 / 0.981 + 1) / 100 END
$$;
--> statement-breakpoint
-- Two histograms ({bin: count}) added bin by bin; bins that come to zero are left out.
CREATE FUNCTION hist_add(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN b = '{}'::jsonb THEN a ELSE (
    SELECT coalesce(jsonb_object_agg(k, n), '{}'::jsonb) FROM (
      SELECT k, sum(v::int) AS n FROM (
        SELECT key, value FROM jsonb_each_text(a) UNION ALL SELECT key, value FROM jsonb_each_text(b)
      ) e(k, v) GROUP BY k HAVING sum(v::int) <> 0
    ) s) END
$$;
--> statement-breakpoint
DROP TABLE "trace_rollups";
--> statement-breakpoint
CREATE TABLE "trace_rollups" (
	"project_id" text NOT NULL,
	"minutes" smallint NOT NULL,
	"start" timestamp with time zone NOT NULL,
	"model_family" text NOT NULL,
	"provider" text NOT NULL,
	"created_day" timestamp with time zone NOT NULL,
	"traces" integer NOT NULL,
	"errors" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"cost_usd" double precision NOT NULL,
	"durations" jsonb NOT NULL,
	"ttfts" jsonb NOT NULL,
	CONSTRAINT "trace_rollups_pk" PRIMARY KEY("project_id","minutes","start","model_family","provider","created_day")
) PARTITION BY RANGE ("created_day");
--> statement-breakpoint
-- A trace_rollups day for each traces day, with the same bounds.
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
-- ... and the rollups of every stored trace, at every grain (the writer's contribution, db/write/rollups.ts, in bulk).
INSERT INTO "trace_rollups"
SELECT project_id, minutes, start, model_family, provider, created_day,
  coalesce(sum(n) FILTER (WHERE metric <> 1), 0)::int, coalesce(sum(e), 0)::int, coalesce(sum(p), 0), coalesce(sum(c), 0), coalesce(sum(cost), 0),
  coalesce(jsonb_object_agg(bin::text, n) FILTER (WHERE metric = 0), '{}'::jsonb),
  coalesce(jsonb_object_agg(bin::text, n) FILTER (WHERE metric = 1), '{}'::jsonb)
FROM (
  SELECT t.project_id, g.minutes, date_bin(g.minutes * interval '1 minute', coalesce(t.start_time, t.created_at), timestamptz '2000-01-01 00:00:00+00') AS start,
    coalesce(t.model_family, '') AS model_family, coalesce(t.provider, '') AS provider,
    date_bin('1 day', t.created_at, timestamptz '2000-01-01 00:00:00+00') AS created_day, v.metric, v.bin,
    sum(v.n) AS n, sum(v.e) AS e, sum(v.p) AS p, sum(v.c) AS c, sum(v.cost) AS cost
  FROM traces t
  CROSS JOIN LATERAL (VALUES
    (true, CASE WHEN t.duration_ms IS NULL THEN 2 ELSE 0 END, coalesce(latency_bin(t.duration_ms), 0), 1,
      (t.status = 'error')::int, coalesce(t.prompt_tokens, 0)::bigint, coalesce(t.completion_tokens, 0)::bigint, coalesce(t.cost_usd, 0)::float8),
    (t.ttft_ms IS NOT NULL, 1, coalesce(latency_bin(t.ttft_ms), 0), 1, 0, 0::bigint, 0::bigint, 0::float8)
  ) AS v(present, metric, bin, n, e, p, c, cost)
  CROSS JOIN (VALUES (1), (60), (360)) AS g(minutes)
  WHERE v.present
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
) d
GROUP BY project_id, minutes, start, model_family, provider, created_day;
