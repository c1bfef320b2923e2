import { sql, type SQL } from "drizzle-orm";
import { chunked } from "./chunk.ts";
import { END_BEFORE_START, type SpanRecord } from "./span-record.ts";
import { byPlace, type TracePlace } from "./trace-creation.ts";

// The whole chunk travels as ONE jsonb parameter and is unpacked by
// jsonb_to_recordset: four times faster than a VALUES list with 24 bind
// parameters a row, and Postgres' 65,535-parameter cap can never be reached.
const COLUMNS: [string, string][] = [
  ["id", "text"], ["span_id", "text"], ["trace_id", "text"], ["root_span_id", "text"],
  ["project_id", "text"], ["span_parents", "jsonb"], ["name", "text"], ["type", "text"],
  ["status", "text"], ["input", "jsonb"], ["output", "jsonb"], ["metadata", "jsonb"],
  ["metrics", "jsonb"], ["error", "jsonb"], ["provider", "text"], ["model", "text"], ["model_family", "text"],
  ["user_id", "text"], ["session_id", "text"], ["tags", "text[]"],
  ["start_s", "double precision"], ["end_s", "double precision"], ["ttft_ms", "double precision"],
  ["prompt_tokens", "int"], ["completion_tokens", "int"], ["total_tokens", "int"],
  ["cached_tokens", "int"], ["cost_usd", "double precision"], ["trace_created_at", "timestamptz"],
];

const KEPT = [
  "span_id", "trace_id", "root_span_id", "span_parents", "name", "type", "input", "output",
  "error", "provider", "model", "model_family", "user_id", "session_id", "tags", "start_time", "end_time", "ttft_ms", "prompt_tokens",
  "completion_tokens", "total_tokens", "cached_tokens",
];

const recordsetType = COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ");
const insertColumns = [...COLUMNS.map(([n]) => n).filter((n) => !n.endsWith("_s")), "start_time", "end_time"];
const selectColumns = [...COLUMNS.map(([n]) => n).filter((n) => !n.endsWith("_s")), "to_timestamp(start_s)", "to_timestamp(end_s)"];
// Two rows of one span may each be right alone and wrong together: an end before the start. The
// span then ends where it starts and its metadata says so (db/write/span-record.ts does the same in a batch).
const mergedStart = "coalesce(excluded.start_time, spans.start_time)";
const mergedEnd = "coalesce(excluded.end_time, spans.end_time)";
const endsBeforeStart = `${mergedEnd} < ${mergedStart}`;
const mergedMetadata = `case when excluded.metadata is null then spans.metadata
     else coalesce(spans.metadata, '{}'::jsonb) || excluded.metadata end`;
const assignments = [
  ...KEPT.filter((c) => c !== "end_time").map((c) => `${c} = coalesce(excluded.${c}, spans.${c})`),
  // A row that changes what the price depends on comes priced on the merged span (db/write/span-pricing.ts),
  // null included (a model without a price); any other row keeps the stored cost.
  `cost_usd = case when excluded.cost_usd is null and excluded.model is null and excluded.provider is null
     and excluded.prompt_tokens is null and excluded.completion_tokens is null and excluded.cached_tokens is null
     and not coalesce(excluded.metrics ? 'prompt_cache_creation_tokens', false) then spans.cost_usd else excluded.cost_usd end`,
  `end_time = case when ${endsBeforeStart} then ${mergedStart} else ${mergedEnd} end`,
  `metadata = case when ${endsBeforeStart}
     then coalesce(${mergedMetadata}, '{}'::jsonb) || jsonb_build_object('kalmia_warnings', jsonb_build_array(${`'${END_BEFORE_START}'`}))
     else ${mergedMetadata} end`,
  `metrics = case when excluded.metrics is null then spans.metrics
     else coalesce(spans.metrics, '{}'::jsonb) || excluded.metrics end`,
  // An end never un-ends: a late "running" row keeps the final status.
  `status = case when excluded.status = 'running' then coalesce(spans.status, 'running') else excluded.status end`,
  `updated_at = now()`,
];

// Into the day partition itself, aliased as the parent: a statement on the parent would lock and
// set up every day partition on each run, a cost that grows with the days kept.
const upsertHead = (partition: string) =>
  sql.raw(`insert into ${partition} as spans (${insertColumns.join(", ")})
  select ${selectColumns.join(", ")} from jsonb_to_recordset(`);
const recordset = sql.raw(`::jsonb) as r(${recordsetType})`);
const upsertTail = sql.raw(`on conflict (trace_id, id, trace_created_at) do update set ${assignments.join(", ")}`);

/** A record as recordset JSON: nulls left out, so jsonb columns get SQL NULL, never 'null'. */
function toJsonRow(r: SpanRecord, traceCreatedAt: string): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: r.id, span_id: r.spanId, trace_id: r.traceId, root_span_id: r.rootSpanId,
    project_id: r.projectId, span_parents: r.spanParents, name: r.name, type: r.type,
    status: r.status, input: r.input, output: r.output, metadata: r.metadata,
    metrics: r.metrics, error: r.error, provider: r.provider, model: r.model, model_family: r.modelFamily,
    user_id: r.userId, session_id: r.sessionId, tags: r.tags,
    start_s: r.startTime ? r.startTime.getTime() / 1000 : null,
    end_s: r.endTime ? r.endTime.getTime() / 1000 : null,
    ttft_ms: r.ttftMs, prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens,
    total_tokens: r.totalTokens, cached_tokens: r.cachedTokens, cost_usd: r.costUsd,
    trace_created_at: traceCreatedAt,
  };
  for (const key of Object.keys(row)) if (row[key] === null || row[key] === undefined) delete row[key];
  return row;
}

// Bounds one statement's size (~2 KB rows make ~4 MB).
const SPANS_PER_STATEMENT = 2_000;

/**
 * The upserts of a batch's spans, a statement per day partition and chunk. A span's partition key
 * is its trace's creation time (`placeOf`).
 */
export function spanUpserts(records: SpanRecord[], placeOf: (traceId: string) => TracePlace, returning: boolean): SQL[] {
  return byPlace(records, (r) => r.traceId, placeOf).flatMap(([place, inPartition]) =>
    chunked(inPartition, SPANS_PER_STATEMENT).map((chunk) => {
      const json = JSON.stringify(chunk.map((r) => toJsonRow(r, placeOf(r.traceId).createdAt)));
      return sql`${upsertHead(place.spans)}${json}${recordset}
      ${upsertTail}${returning ? sql` returning *` : sql``}`;
    }),
  );
}
