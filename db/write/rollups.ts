import { sql, type SQL } from "drizzle-orm";

/**
 * The rollups' grains, in minutes: a bucket is read from the coarsest that divides it (db/query/stats.ts),
 * so a 30-day overview (6-hour buckets) reads 120 rows per model and provider, a 7-day one (hours) 168.
 */
export const ROLLUP_GRAINS = [1, 60, 360] as const;

/**
 * What a trace contributes to the overview's rollups (trace_rollups in db/schema.ts), as a delta:
 * `changes` names a relation with one row per changed trace holding its new figures (project_id,
 * created_at, start_time, model_family, provider, status, duration_ms, ttft_ms, prompt_tokens,
 * completion_tokens, cost_usd) and, when it was stored before (`had`), its stored ones (the same
 * names with `o_`). The old contribution is taken back and the new one added, at every grain, so a
 * running trace that ends moves to its latency bin, a late span that moves the start moves the trace
 * to its minute, hour and six hours, and a re-sent trace that changed nothing writes nothing (its deltas add to
 * zero and are left out). A row's latencies are histograms ({bin: count}, latency_bin()) added with
 * hist_add(), so one row per project, grain start, family and provider holds all its traces. Rows in
 * key order, so two writers updating the same rollup rows take them in one order.
 * `target`: the table written, a day partition when all rows are in one (as the writer's are).
 */
export function rollupUpsert(changes: SQL, target: SQL): SQL {
  return sql`
  insert into ${target} as r (project_id, minutes, start, model_family, provider, created_day,
    traces, errors, prompt_tokens, completion_tokens, cost_usd, durations, ttfts)
  select project_id, minutes, start, model_family, provider, created_day,
    coalesce(sum(n) filter (where metric <> 1), 0)::int, coalesce(sum(e), 0)::int, coalesce(sum(p), 0), coalesce(sum(c), 0), coalesce(sum(cost), 0),
    coalesce(jsonb_object_agg(bin::text, n) filter (where metric = 0 and n <> 0), '{}'::jsonb),
    coalesce(jsonb_object_agg(bin::text, n) filter (where metric = 1 and n <> 0), '{}'::jsonb)
  from (
    -- One row per key, metric (0: duration, 1: TTFT, 2: no duration yet) and latency bin.
    select d.project_id, g.minutes, date_bin(g.minutes * interval '1 minute', d.at, timestamptz '2000-01-01 00:00:00+00') as start,
      d.model_family, d.provider, d.created_day, d.metric, d.bin, sum(d.n) as n, sum(d.e) as e, sum(d.p) as p, sum(d.c) as c, sum(d.cost) as cost
    from (
      select x.project_id, date_bin('1 day', x.created_at, timestamptz '2000-01-01 00:00:00+00') as created_day, v.*
      from ${changes} x
      cross join lateral (values
        (true, coalesce(x.start_time, x.created_at), coalesce(x.model_family, ''), coalesce(x.provider, ''),
          case when x.duration_ms is null then 2 else 0 end, coalesce(latency_bin(x.duration_ms), 0),
          1, (x.status = 'error')::int, coalesce(x.prompt_tokens, 0)::bigint, coalesce(x.completion_tokens, 0)::bigint,
          coalesce(x.cost_usd, 0)::float8),
        (x.ttft_ms is not null, coalesce(x.start_time, x.created_at), coalesce(x.model_family, ''), coalesce(x.provider, ''),
          1, coalesce(latency_bin(x.ttft_ms), 0), 1, 0, 0::bigint, 0::bigint, 0::float8),
        (x.had, coalesce(x.o_start_time, x.created_at), coalesce(x.o_model_family, ''), coalesce(x.o_provider, ''),
          case when x.o_duration_ms is null then 2 else 0 end, coalesce(latency_bin(x.o_duration_ms), 0),
          -1, -((x.o_status = 'error')::int), -coalesce(x.o_prompt_tokens, 0)::bigint, -coalesce(x.o_completion_tokens, 0)::bigint,
          -coalesce(x.o_cost_usd, 0)::float8),
        (x.had and x.o_ttft_ms is not null, coalesce(x.o_start_time, x.created_at), coalesce(x.o_model_family, ''), coalesce(x.o_provider, ''),
          1, coalesce(latency_bin(x.o_ttft_ms), 0), -1, 0, 0::bigint, 0::bigint, 0::float8)
      ) as v(present, at, model_family, provider, metric, bin, n, e, p, c, cost)
      where v.present
    ) d
    cross join (values ${sql.raw(ROLLUP_GRAINS.map((m) => `(${m})`).join(", "))}) as g(minutes)
    group by 1, 2, 3, 4, 5, 6, 7, 8
  ) b
  group by project_id, minutes, start, model_family, provider, created_day
  having sum(n) filter (where n <> 0) is not null or sum(e) <> 0 or sum(p) <> 0 or sum(c) <> 0 or sum(cost) <> 0
  order by project_id, minutes, start, model_family, provider, created_day
  on conflict (project_id, minutes, start, model_family, provider, created_day) do update set
    traces = r.traces + excluded.traces, errors = r.errors + excluded.errors,
    prompt_tokens = r.prompt_tokens + excluded.prompt_tokens,
    completion_tokens = r.completion_tokens + excluded.completion_tokens, cost_usd = r.cost_usd + excluded.cost_usd,
    durations = hist_add(r.durations, excluded.durations), ttfts = hist_add(r.ttfts, excluded.ttfts)`;
}

/** The stored figures a change takes back, from the stored row `t` (left-joined: null when new). */
export const storedFigures = (t: string) =>
  sql.raw(
    `${t}.id is not null as had, ` +
      ["start_time", "model_family", "provider", "status", "duration_ms", "ttft_ms", "prompt_tokens", "completion_tokens", "cost_usd"]
        .map((c) => `${t}.${c} as o_${c}`)
        .join(", "),
  );
