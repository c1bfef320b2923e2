import { sql, type SQL } from "drizzle-orm";

/**
 * What a trace contributes to the overview's rollups (trace_rollups in db/schema.ts), as a delta:
 * `changes` names a relation with one row per changed trace holding its new figures (project_id,
 * created_at, start_time, model_family, provider, status, duration_ms, ttft_ms, prompt_tokens,
 * completion_tokens, cost_usd) and, when it was stored before (`had`), its stored ones (the same
 * names with `o_`). The old contribution is taken back and the new one added, so a running trace
 * that ends moves to its latency bin, a late span that moves the start moves the trace to its
 * minute, and a re-sent trace that changed nothing writes nothing (its deltas add to zero and are
 * left out). Rows in key order, so two writers updating the same rollup rows take them in one order.
 * `target`: the table written, a day partition when all rows are in one (as the writer's are).
 */
export function rollupUpsert(changes: SQL, target: SQL): SQL {
  return sql`
  insert into ${target} as r (project_id, minute, model_family, provider, metric, bin, created_day,
    traces, errors, prompt_tokens, completion_tokens, cost_usd)
  select d.project_id, d.minute, d.model_family, d.provider, d.metric, d.bin, d.created_day,
    sum(d.n)::int, sum(d.e)::int, sum(d.p), sum(d.c), sum(d.cost)
  from (
    select x.project_id, date_bin('1 day', x.created_at, timestamptz '2000-01-01 00:00:00+00') as created_day, v.*
    from ${changes} x
    cross join lateral (values
      (true, date_bin('1 minute', coalesce(x.start_time, x.created_at), timestamptz '2000-01-01 00:00:00+00'),
        coalesce(x.model_family, ''), coalesce(x.provider, ''),
        case when x.duration_ms is null then 2 else 0 end, coalesce(latency_bin(x.duration_ms), 0),
        1, (x.status = 'error')::int, coalesce(x.prompt_tokens, 0)::bigint, coalesce(x.completion_tokens, 0)::bigint,
        coalesce(x.cost_usd, 0)::float8),
      (x.ttft_ms is not null, date_bin('1 minute', coalesce(x.start_time, x.created_at), timestamptz '2000-01-01 00:00:00+00'),
        coalesce(x.model_family, ''), coalesce(x.provider, ''), 1, coalesce(latency_bin(x.ttft_ms), 0),
        1, 0, 0::bigint, 0::bigint, 0::float8),
      (x.had, date_bin('1 minute', coalesce(x.o_start_time, x.created_at), timestamptz '2000-01-01 00:00:00+00'),
        coalesce(x.o_model_family, ''), coalesce(x.o_provider, ''),
        case when x.o_duration_ms is null then 2 else 0 end, coalesce(latency_bin(x.o_duration_ms), 0),
        -1, -((x.o_status = 'error')::int), -coalesce(x.o_prompt_tokens, 0)::bigint, -coalesce(x.o_completion_tokens, 0)::bigint,
        -coalesce(x.o_cost_usd, 0)::float8),
      (x.had and x.o_ttft_ms is not null, date_bin('1 minute', coalesce(x.o_start_time, x.created_at), timestamptz '2000-01-01 00:00:00+00'),
        coalesce(x.o_model_family, ''), coalesce(x.o_provider, ''), 1, coalesce(latency_bin(x.o_ttft_ms), 0),
        -1, 0, 0::bigint, 0::bigint, 0::float8)
    ) as v(present, minute, model_family, provider, metric, bin, n, e, p, c, cost)
    where v.present
  ) d
  group by d.project_id, d.minute, d.model_family, d.provider, d.metric, d.bin, d.created_day
  having sum(d.n) <> 0 or sum(d.e) <> 0 or sum(d.p) <> 0 or sum(d.c) <> 0 or sum(d.cost) <> 0
  order by d.project_id, d.minute, d.model_family, d.provider, d.metric, d.bin, d.created_day
  on conflict (project_id, minute, model_family, provider, metric, bin, created_day) do update set
    traces = r.traces + excluded.traces, errors = r.errors + excluded.errors,
    prompt_tokens = r.prompt_tokens + excluded.prompt_tokens,
    completion_tokens = r.completion_tokens + excluded.completion_tokens, cost_usd = r.cost_usd + excluded.cost_usd`;
}

/** The stored figures a change takes back, from the stored row `t` (left-joined: null when new). */
export const storedFigures = (t: string) =>
  sql.raw(
    `${t}.id is not null as had, ` +
      ["start_time", "model_family", "provider", "status", "duration_ms", "ttft_ms", "prompt_tokens", "completion_tokens", "cost_usd"]
        .map((c) => `${t}.${c} as o_${c}`)
        .join(", "),
  );
