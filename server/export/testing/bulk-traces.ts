import { sql } from "drizzle-orm";
import type { Store } from "../../../db/store.ts";
import { tracePlaces } from "../../../db/write/trace-creation.ts";
import { traceUpserts } from "../../../db/write/trace-summary.ts";

/**
 * Writes `count` two-span traces straight into the database with
 * generate_series: setting up 100,000 traces through HTTP would take minutes
 * on PGlite, and the export under test only reads. Summaries are then
 * computed by the writer's own refresh, so they are what ingestion makes.
 */
export async function bulkTraces(store: Store, project: string, count: number): Promise<void> {
  const { projectId, experimentId } = await store.projects.resolve(project);
  const start = Math.floor(Date.now() / 1000) - 86_400;
  const chunk = 10_000;
  // Traces and their spans share one creation time: the partition key.
  const created = new Date();
  const createdAt = created.toISOString();
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk) - 1;
    await store.db.execute(sql`
      insert into traces (id, created_at, project_id, experiment_id, source, status, metadata, start_time)
      select 'bulk-' || g, ${createdAt}::timestamptz, ${projectId}, ${experimentId}, 'ingest', 'ok',
        case when g % 7 = 0 then jsonb_build_object('customer', 'c-' || (g % 13)) end,
        to_timestamp(${start} + g / 1000.0)
      from generate_series(${from}::int, ${to}::int) g`);
    await store.db.execute(sql`
      insert into spans (id, span_id, trace_id, trace_created_at, root_span_id, project_id, span_parents, name, type, status,
        input, output, metadata, metrics, error, provider, model, model_family, start_time, end_time, prompt_tokens, completion_tokens, total_tokens, cost_usd)
      select 'bulk-' || g || '-root', 'bulk-' || g || '-root', 'bulk-' || g, ${createdAt}::timestamptz, 'bulk-' || g || '-root', ${projectId},
        '[]'::jsonb, 'weather-agent', 'task', case when g % 10 = 0 then 'error' else 'ok' end,
        to_jsonb('question ' || g || ': what is the weather in city ' || (g % 97) || '?'),
        case when g % 10 = 0 then null else to_jsonb('It is ' || (g % 30) || ' degrees and sunny.') end,
        null, jsonb_build_object('start', ${start} + g / 1000.0, 'end', ${start} + g / 1000.0 + 1.25),
        case when g % 10 = 0 then jsonb_build_object('message', 'tool timeout ' || g) end,
        null, null, null, to_timestamp(${start} + g / 1000.0), to_timestamp(${start} + g / 1000.0 + 1.25), null, null, null, null
      from generate_series(${from}::int, ${to}::int) g
      union all
      select 'bulk-' || g || '-llm', 'bulk-' || g || '-llm', 'bulk-' || g, ${createdAt}::timestamptz, 'bulk-' || g || '-root', ${projectId},
        jsonb_build_array('bulk-' || g || '-root'), 'openai chat', 'llm', 'ok',
        jsonb_build_array(
          jsonb_build_object('role', 'system', 'content', 'You are a weather assistant. Answer briefly and cite the tool output.'),
          jsonb_build_object('role', 'user', 'content', 'what is the weather in city ' || (g % 97) || '?')),
        jsonb_build_object('role', 'assistant', 'content', 'It is ' || (g % 30) || ' degrees.'),
        jsonb_build_object('provider', 'openai', 'model', 'gpt-4o', 'temperature', 0.2),
        jsonb_build_object('start', ${start} + g / 1000.0 + 0.1, 'end', ${start} + g / 1000.0 + 1.1),
        null, 'openai', 'gpt-4o', 'gpt-4o', to_timestamp(${start} + g / 1000.0 + 0.1), to_timestamp(${start} + g / 1000.0 + 1.1),
        40 + g % 50, 10 + g % 20, 50 + g % 50 + g % 20, (40 + g % 50) * 0.0000025 + (10 + g % 20) * 0.00001
      from generate_series(${from}::int, ${to}::int) g`);
    const rows = Array.from({ length: to - from + 1 }, (_, i) => ({
      id: `bulk-${from + i}`, projectId, experimentId, source: "ingest",
      name: null, input: null, output: null, metadata: null, error: null, provider: null, model: null, status: "ok" as const, startTime: null,
    }));
    for (const statement of traceUpserts(rows, tracePlaces([], created))) await store.database.rows(statement);
  }
}
