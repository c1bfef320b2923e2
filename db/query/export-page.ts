import { sql } from "drizzle-orm";
import { newestFirst, type TraceFilter } from "./list-traces.ts";
import type { Db } from "../connect/open.ts";
import { projects, traces } from "../schema.ts";

export type ExportPage = { lines: string[]; nextSeq: number | null };

// A span in the ingest format. Metrics merge the stored metrics with the
// summary columns (as the API's span view does), without nulls.
const spanJson = sql`json_build_object(
  'id', s.id, 'span_id', s.span_id, 'root_span_id', s.root_span_id,
  'span_parents', coalesce(s.span_parents, '[]'::jsonb),
  'span_attributes', json_build_object('name', s.name, 'type', s.type),
  'input', s.input, 'output', s.output, 'metadata', s.metadata, 'error', s.error, 'status', s.status,
  'metrics', jsonb_strip_nulls(coalesce(s.metrics, '{}'::jsonb) || jsonb_build_object(
    'start', extract(epoch from s.start_time), 'end', extract(epoch from s.end_time),
    'time_to_first_token', s.ttft_ms / 1000.0,
    'prompt_tokens', s.prompt_tokens, 'completion_tokens', s.completion_tokens, 'tokens', s.total_tokens,
    'prompt_cached_tokens', s.cached_tokens, 'cost_usd', s.cost_usd)))`;

/**
 * One page of the export: each trace with its spans as one line of the ingest
 * format, built by the database. Building the JSON there skips decoding every
 * jsonb value into JavaScript only to encode it again, which was most of the
 * export's time.
 */
export async function exportPage(db: Db, filter: TraceFilter, limit: number, beforeSeq?: number): Promise<ExportPage> {
  const { page, nextSeq } = await newestFirst(
    db,
    {
      line: sql<string>`json_build_object(
        'id', ${traces.id}, 'project_id', ${projects.name}, 'name', ${traces.name},
        'input', ${traces.input}, 'output', ${traces.output}, 'metadata', ${traces.metadata}, 'error', ${traces.error},
        'user_id', ${traces.userId}, 'session_id', ${traces.sessionId}, 'tags', ${traces.tags},
        'start_time', to_char(coalesce(${traces.startTime}, ${traces.createdAt}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'spans', coalesce((select json_agg(${spanJson} order by s.start_time asc nulls first, s.id)
                            from spans s where s.trace_id = ${traces.id} and s.trace_created_at = ${traces.createdAt}), '[]'::json))::text`,
    },
    filter,
    limit,
    beforeSeq,
  );
  return { lines: page.map((r) => r.line), nextSeq };
}
