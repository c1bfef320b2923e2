import { sql } from "drizzle-orm";
import type { Database } from "../connect/open.ts";

export type ExperimentView = {
  id: string;
  name: string;
  project: string;
  created_at: string;
  trace_count: number;
  error_count: number;
  error_rate: number;
  last_activity: string | null;
  total_tokens: number;
  cost_usd: number | null;
};

/** Every experiment with its project's totals, newest activity first. */
export async function listExperiments(database: Database): Promise<ExperimentView[]> {
  const rows = await database.rows<Record<string, unknown>>(sql`
    select e.id, e.name, p.name as project, e.created_at,
      count(t.id)::int as trace_count,
      (count(t.id) filter (where t.status = 'error'))::int as error_count,
      -- The newest span's time (a trace's end, or its start while it runs), not when it was sent.
      max(greatest(t.end_time, t.start_time)) as last_activity,
      coalesce(sum(t.total_tokens), 0)::bigint as total_tokens,
      sum(t.cost_usd) as cost_usd
    from experiments e
    join projects p on p.id = e.project_id
    left join traces t on t.experiment_id = e.id
    group by e.id, e.name, p.name, e.created_at
    order by max(greatest(t.end_time, t.start_time)) desc nulls last, e.created_at desc`);
  return rows.map((r) => {
    const traceCount = Number(r.trace_count);
    const errorCount = Number(r.error_count);
    return {
      id: String(r.id),
      name: String(r.name),
      project: String(r.project),
      created_at: new Date(r.created_at as string).toISOString(),
      trace_count: traceCount,
      error_count: errorCount,
      error_rate: traceCount ? errorCount / traceCount : 0,
      last_activity: r.last_activity ? new Date(r.last_activity as string).toISOString() : null,
      total_tokens: Number(r.total_tokens),
      cost_usd: r.cost_usd === null ? null : Number(r.cost_usd),
    };
  });
}
