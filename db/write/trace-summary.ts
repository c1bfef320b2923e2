import { sql, type SQL } from "drizzle-orm";
import { chunked } from "./chunk.ts";
import { rollupUpsert, storedFigures } from "./rollups.ts";
import { byPlace, type TracePlace } from "./trace-creation.ts";

/** One trace as the writer hands it to the upsert: what the batch says of it. */
export type TraceUpsertRow = {
  id: string;
  projectId: string;
  experimentId: string;
  source: string;
  name: string | null;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown> | null;
  error: unknown;
  /** What the trace itself says (ingestion); else its root span's, or the first span's that says it. */
  userId?: string | null;
  sessionId?: string | null;
  tags?: string[] | null;
  /** Only for a trace without spans: spans, once there, decide these. */
  provider: string | null;
  model: string | null;
  /** The family of `model`, set as the batch is written (db/write/write-batch.ts). */
  modelFamily?: string | null;
  status: "running" | "ok" | "error";
  startTime: Date | null;
};

// Rows per statement: the rows travel as one jsonb parameter.
const TRACES_PER_STATEMENT = 2_000;

/**
 * The batch's traces with their summaries, one statement per day partition and chunk: each row
 * is computed from what the batch says of the trace, what is stored (merged,
 * later non-null fields winning) and the trace's spans, which the same
 * transaction has already written. A new trace is inserted once, final, at its
 * place's creation time; a known one updated once. The caller holds the traces'
 * advisory locks, so the stored row read here cannot change before the write. With `rollups`, the same
 * statement moves the trace's contribution to the overview's rollups (db/write/rollups.ts) from what was
 * stored to what is written; only a benchmark measuring their cost turns them off.
 */
export function traceUpserts(rows: TraceUpsertRow[], placeOf: (traceId: string) => TracePlace, rollups = true): SQL[] {
  return byPlace(rows, (r) => r.id, placeOf).flatMap(([place, inPartition]) =>
    chunked(inPartition, TRACES_PER_STATEMENT).map((chunk) =>
      traceUpsert(JSON.stringify(chunk.map((r) => toJsonRow(r, placeOf(r.id).createdAt))), place, rollups),
    ),
  );
}

function toJsonRow(r: TraceUpsertRow, createdAt: string): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: r.id, created_at: createdAt, project_id: r.projectId, experiment_id: r.experimentId,
    source: r.source, name: r.name, input: r.input, output: r.output, metadata: r.metadata, error: r.error,
    user_id: r.userId, session_id: r.sessionId, tags: r.tags,
    provider: r.provider, model: r.model, model_family: r.modelFamily, status: r.status, start_time: r.startTime?.toISOString(),
  };
  // Left out, not null: a jsonb column must get SQL NULL, never the JSON value null.
  for (const key of Object.keys(row)) if (row[key] === null || row[key] === undefined) delete row[key];
  return row;
}

/** Every column the upsert writes, in the order its select computes them. */
const COLUMNS = [
  "id", "created_at", "project_id", "experiment_id", "source", "name", "input", "output", "metadata", "error",
  "user_id", "session_id", "tags", "provider", "model", "model_family", "status", "start_time", "end_time", "duration_ms", "ttft_ms", "prompt_tokens",
  "completion_tokens", "total_tokens", "cached_tokens", "cost_usd", "span_count", "error_count", "updated_at",
];
const columns = sql.raw(COLUMNS.join(", "));
const updates = sql.raw(COLUMNS.filter((c) => c !== "id" && c !== "created_at").map((c) => `${c} = excluded.${c}`).join(", "));
// A summary figure: the spans' once there are spans, else what is stored.
const figures = sql.raw(
  ["ttft_ms", "prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens", "cost_usd"]
    .map((c) => `case when s.has_spans is null then t.${c} else s.${c} end as ${c}`)
    .join(",\n    "),
);

/**
 * `json`: the rows as a jsonb array, all in the day partitions `place` names. Written and read there
 * directly: a statement on the parents would lock and set up every day partition on each run (three
 * times over, for its laterals), a cost that grows with the days kept.
 */
const traceUpsert = (json: string, place: TracePlace, rollups: boolean) => {
  const [traces, spans] = [sql.raw(place.traces), sql.raw(place.spans)];
  return sql`
  with b as materialized (
    select r.* from jsonb_to_recordset(${json}::jsonb) as r(id text, created_at timestamptz, project_id text,
      experiment_id text, source text, name text, input jsonb, output jsonb, metadata jsonb, error jsonb,
      user_id text, session_id text, tags text[], provider text, model text, model_family text, status text, start_time timestamptz)
  ),
  -- The trace as it will be, beside what was stored (o_*): the rollups move from one to the other.
  n as materialized (
  select b.id, b.created_at,
    coalesce(t.project_id, b.project_id) as project_id, coalesce(t.experiment_id, b.experiment_id) as experiment_id,
    coalesce(t.source, b.source) as source, coalesce(m.name, root.name) as name, coalesce(root.input, m.input) as input,
    coalesce(root.output, m.output) as output,
    -- The root span's metadata under the trace's own (so metadata.KEY= finds what traced(metadata=) set),
    -- over what is stored; without the tool definitions a proxied call's metadata carries.
    case when t.metadata is null and root.metadata is null and b.metadata is null then null
      else coalesce(t.metadata, '{}') || coalesce(root.metadata - 'tools', '{}') || coalesce(b.metadata, '{}') end as metadata,
    m.error,
    -- Who, which conversation, which labels: the trace's own, else its root's, else the first span's that says.
    coalesce(b.user_id, root.user_id, s.user_id, t.user_id) as user_id,
    coalesce(b.session_id, root.session_id, s.session_id, t.session_id) as session_id,
    coalesce(b.tags, root.tags, case when s.tags is not null then array(select jsonb_array_elements_text(s.tags)) end, t.tags) as tags,
    case when s.has_spans is null then coalesce(t.provider, b.provider) else coalesce(s.provider, m.metadata->>'provider') end as provider,
    case when s.has_spans is null then coalesce(t.model, b.model) else coalesce(s.model, m.metadata->>'model') end as model,
    -- The family of the model just chosen: its span's, or (from the trace's own metadata) the batch's or the stored one.
    case when s.model is not null then s.model_family else coalesce(b.model_family, t.model_family) end as model_family,
    -- The root's status: a failed step under a root that delivered shows in error_count, not here.
    -- Until the root arrives, the steps say whether it still runs.
    case
      when s.has_spans is null then coalesce(t.status, b.status)
      when m.error is not null or root.status = 'error' then 'error'
      when root.status is not null then root.status
      when s.any_running then 'running'
      else 'ok' end as status,
    -- Never null: a trace without times starts when first seen, so the list's time order has no gaps.
    coalesce(s.start_time, b.start_time, t.start_time, b.created_at) as start_time,
    case when s.has_spans is null then t.end_time when s.any_running then null else s.end_time end as end_time,
    case when s.has_spans is null then t.duration_ms when s.any_running or s.end_time < s.start_time then null
      else extract(epoch from (s.end_time - s.start_time)) * 1000 end as duration_ms,
    ${figures},
    case when s.has_spans is null then coalesce(t.span_count, 0) else s.span_count end as span_count,
    case when s.has_spans is null then coalesce(t.error_count, 0) else s.error_count end as error_count,
    now() as updated_at,
    ${storedFigures("t")}
  from b
  -- Laterals, each row found through an index (offset 0 keeps the planner from
  -- flattening it into a join that may scan a whole day's partition).
  left join lateral (select * from ${traces} t where t.id = b.id and t.created_at = b.created_at offset 0) t on true
  cross join lateral (
    select nullif(count(*), 0) as has_spans, -- null: the trace has no spans yet
      count(*)::int as span_count,
      count(*) filter (where sp.status = 'error')::int as error_count,
      bool_or(sp.status = 'running') as any_running,
      min(sp.start_time) as start_time,
      max(sp.end_time) as end_time,
      (array_agg(sp.provider order by sp.start_time nulls last) filter (where sp.provider is not null))[1] as provider,
      (array_agg(sp.model order by sp.start_time nulls last) filter (where sp.model is not null))[1] as model,
      (array_agg(sp.model_family order by sp.start_time nulls last) filter (where sp.model is not null))[1] as model_family,
      (array_agg(sp.user_id order by sp.start_time nulls last) filter (where sp.user_id is not null))[1] as user_id,
      (array_agg(sp.session_id order by sp.start_time nulls last) filter (where sp.session_id is not null))[1] as session_id,
      -- As JSON: array_agg of arrays would make one two-dimensional array, which needs equal lengths.
      (array_agg(to_jsonb(sp.tags) order by sp.start_time nulls last) filter (where sp.tags is not null))[1] as tags,
      (array_agg(sp.ttft_ms order by sp.start_time nulls last) filter (where sp.ttft_ms is not null))[1] as ttft_ms,
      -- bigint sums of int counts: past 2^31 - 1, as many spans can add up, and exact far beyond.
      sum(sp.prompt_tokens) as prompt_tokens,
      sum(sp.completion_tokens) as completion_tokens,
      sum(sp.total_tokens) as total_tokens,
      sum(sp.cached_tokens) as cached_tokens,
      sum(sp.cost_usd) as cost_usd
    from ${spans} sp where sp.trace_id = b.id and sp.trace_created_at = b.created_at
  ) s
  cross join lateral (select
    coalesce(b.name, t.name) as name, coalesce(b.input, t.input) as input, coalesce(b.output, t.output) as output,
    coalesce(b.metadata, t.metadata) as metadata, coalesce(b.error, t.error) as error) m
  left join lateral (
    select r.name, r.input, r.output, r.status, r.metadata, r.user_id, r.session_id, r.tags from ${spans} r
    where s.has_spans is not null and r.trace_id = b.id and r.trace_created_at = b.created_at
      and (r.span_parents is null or jsonb_array_length(r.span_parents) = 0)
    order by r.start_time nulls last limit 1
  ) root on true
  ),
  up as (insert into ${traces} as traces (${columns}) select ${columns} from n on conflict (id, created_at) do update set ${updates})
  ${rollups ? rollupUpsert(sql`n`, sql.raw(place.rollups)) : sql`select 1 from n limit 0`}`;
};
