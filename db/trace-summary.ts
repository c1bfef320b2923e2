import { sql } from "drizzle-orm";
import type { Db } from "./open.ts";

/**
 * Recomputes the summary columns of the given traces from their spans, inside
 * the writing transaction (whose trace upsert holds the row locks), so that
 * concurrent writers from several replicas cannot leave a stale summary.
 */
export async function refreshTraceSummaries(tx: Db, traceIds: string[], createdAts: Date[]): Promise<void> {
  if (traceIds.length === 0) return;
  await tx.execute(sql`
    update traces t set
      span_count = s.span_count,
      status = case
        when s.any_error or t.error is not null then 'error'
        when root.status = 'cancelled' then 'cancelled'
        when s.any_running then 'running'
        else 'ok' end,
      name = coalesce(t.name, root.name),
      input = coalesce(root.input, t.input),
      output = coalesce(root.output, t.output),
      provider = coalesce(s.provider, t.metadata->>'provider'),
      model = coalesce(s.model, t.metadata->>'model'),
      start_time = coalesce(s.start_time, t.start_time),
      end_time = case when s.any_running then null else s.end_time end,
      duration_ms = case when s.any_running then null
        else extract(epoch from (s.end_time - s.start_time)) * 1000 end,
      ttft_ms = s.ttft_ms,
      prompt_tokens = s.prompt_tokens,
      completion_tokens = s.completion_tokens,
      total_tokens = s.total_tokens,
      cached_tokens = s.cached_tokens,
      cost_usd = s.cost_usd,
      updated_at = now()
    from (
      select trace_id, trace_created_at,
        count(*)::int as span_count,
        bool_or(status = 'error') as any_error,
        bool_or(status = 'running') as any_running,
        min(start_time) as start_time,
        max(end_time) as end_time,
        (array_agg(provider order by start_time nulls last) filter (where provider is not null))[1] as provider,
        (array_agg(model order by start_time nulls last) filter (where model is not null))[1] as model,
        (array_agg(ttft_ms order by start_time nulls last) filter (where ttft_ms is not null))[1] as ttft_ms,
        sum(prompt_tokens)::int as prompt_tokens,
        sum(completion_tokens)::int as completion_tokens,
        sum(total_tokens)::int as total_tokens,
        sum(cached_tokens)::int as cached_tokens,
        sum(cost_usd) as cost_usd
      from spans
      where trace_id in ${inList(traceIds)}
        and trace_created_at in (${sql.join(createdAts.map((d) => sql`${d.toISOString()}::timestamptz`), sql`, `)})
      group by trace_id, trace_created_at
    ) s
    left join lateral (
      select r.name, r.input, r.output, r.status from spans r
      where r.trace_id = s.trace_id and r.trace_created_at = s.trace_created_at
        and (r.span_parents is null or jsonb_array_length(r.span_parents) = 0)
      order by r.start_time nulls last limit 1
    ) root on true
    where t.id = s.trace_id and t.created_at = s.trace_created_at`);
}

export function inList(values: string[]) {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}
