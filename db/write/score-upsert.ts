import { sql, type SQL } from "drizzle-orm";
import { chunked } from "./chunk.ts";

/** A score ready for its upsert: its project resolved to an id. */
export type ScoreRecord = {
  id: string;
  /** The project named (or the request's): its trace's wins once the trace is stored. */
  projectId: string;
  traceId: string;
  spanId: string | null;
  name: string;
  value: number | null;
  label: string | null;
  comment: string | null;
  source: string;
  author: string | null;
  metadata: Record<string, unknown> | null;
};

const SCORES_PER_STATEMENT = 2_000;

// A score belongs to its trace's project; until the trace is stored (a score may come first), to the
// project it named, or the request's, flagged before_trace. The trace's creation then moves it and
// clears the flag (adoptScores below).
const upsert = sql.raw(`insert into scores as s (id, project_id, trace_id, span_id, name, value, label, comment, source, author, metadata, before_trace)
  select r.id, coalesce(t.project_id, r.project_id),
    r.trace_id, r.span_id, r.name, r.value, r.label, r.comment, r.source, r.author, r.metadata, t.project_id is null
  from jsonb_to_recordset(`);
const tail = sql.raw(`::jsonb) as r(id text, project_id text, trace_id text, span_id text, name text,
    value double precision, label text, comment text, source text, author text, metadata jsonb)
  left join lateral (select t.project_id from traces t where t.id = r.trace_id limit 1) t on true
  on conflict (id) do update set project_id = excluded.project_id, trace_id = excluded.trace_id, span_id = excluded.span_id,
    name = excluded.name, value = excluded.value, label = excluded.label, comment = excluded.comment,
    source = excluded.source, author = excluded.author, metadata = excluded.metadata,
    before_trace = excluded.before_trace, updated_at = now()`);

/** The upserts of a batch's scores: the same id updates (a thumbs-up flipped to down is one score). */
export function scoreUpserts(records: ScoreRecord[]): SQL[] {
  return chunked(records, SCORES_PER_STATEMENT).map((chunk) => {
    const json = JSON.stringify(
      chunk.map((r) => ({
        id: r.id, project_id: r.projectId, trace_id: r.traceId, span_id: r.spanId,
        name: r.name, value: r.value, label: r.label, comment: r.comment, source: r.source, author: r.author,
        metadata: r.metadata,
      })),
    );
    return sql`${upsert}${json}${tail}`;
  });
}

/**
 * Flags the scores of the batch's (trace, name) pairs that share them with another score (new or
 * stored): the list's count (db/query/scores.ts countScoredTraces) counts those traces apart, once
 * each, and any other score as its trace's only one of that name. One index probe per pair.
 */
export function markSharedNames(records: ScoreRecord[]): SQL {
  const pairs = JSON.stringify([...new Map(records.map((r) => [`${r.traceId}\u0000${r.name}`, { trace_id: r.traceId, name: r.name }])).values()]);
  return sql`update scores s set shares_name = true
    from jsonb_to_recordset(${pairs}::jsonb) as b(trace_id text, name text)
    where s.trace_id = b.trace_id and s.name = b.name and not s.shares_name
      and exists (select 1 from scores o where o.trace_id = s.trace_id and o.name = s.name and o.id <> s.id)`;
}

/**
 * The scores given before their traces, moved into the traces' projects as the traces are created
 * (`created`: [trace id, project id] of the batch's new traces): a score's project is its trace's,
 * which is what lets the list's score filter read one project's scores. One index probe per new trace.
 */
export function adoptScores(created: [string, string][]): SQL {
  return sql`update scores s set project_id = t.project_id, before_trace = false
    from jsonb_to_recordset(${JSON.stringify(created.map(([id, project_id]) => ({ id, project_id })))}::jsonb) as t(id text, project_id text)
    where s.trace_id = t.id and (s.project_id <> t.project_id or s.before_trace)`;
}
